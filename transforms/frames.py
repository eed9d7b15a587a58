"""Rows to frames with the declared schema, so every table has its types from one place."""
import polars as pl
import pyarrow as pa


def to_frame(rows: list[dict], schema: pa.Schema) -> pl.DataFrame:
    return pl.from_arrow(pa.Table.from_pylist(rows, schema=schema))


def empty_frame(schema: pa.Schema) -> pl.DataFrame:
    return to_frame([], schema)
