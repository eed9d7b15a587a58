"""The table store: every read and write of a run's rows, by name, as dagster's IO managers do.

A task loads its inputs here, hands them to a pure function and stores what comes back here;
it names a table or a statistic, never a path, a schema or a sort column. Underneath are the
folders of store.Run (staging, the new version) and store.Published (the version carried over):

    texts           decoded raw files waiting to be cleaned (staging/texts)
    deltas          rows this run made, by table, before they are merged into parts (staging/delta)
    statistics      the corpus statistics kept in the state: line counts, body signatures, near pairs
    to extract      the batches of articles staged for extraction (staging/to_extract)
    version parts   the new version's tables, part by part, and the published ones they replace
"""
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa

from flows import store
from flows.steps import READS, TEXTS
from transforms import changes, corpus_lines, duplicates, schemas
from transforms.frames import empty_frame
from transforms.ingest import DECODED

# What the deltas of a run hold: the four tables, and beside them the short lines read
# (_lines), the body signatures (_signatures), what became of each file (_state) and the size
# and mtime of the bytes read (_reads).
DELTAS = {**schemas.TABLES, "_lines": corpus_lines.SCANNED, "_signatures": duplicates.SIGNATURES,
          "_state": changes.OUTCOMES, "_reads": READS}
# The corpus statistics of the state: their schema and the column they are sorted by.
STATISTICS = {store.LINES_FILE: (corpus_lines.LINES, "source_path"),
              store.FREQUENT_FILE: (corpus_lines.FREQUENT, "line_key"),
              store.SIGNATURES_FILE: (duplicates.SIGNATURES, "content_hash"),
              store.NEAR_PAIRS_FILE: (duplicates.NEAR_PAIRS, "content_hash")}
TO_EXTRACT = pa.schema([schemas.ARTICLES.field(c) for c in TEXTS])


@dataclass(frozen=True)
class TableStore:
    """The reads and writes of one run, which carries over the rows of `previous` (if any)."""
    run: store.Run
    previous: store.Published | None

    def write_texts(self, name: str, texts: pl.DataFrame) -> None:
        store.write_part(texts, DECODED, self.run.texts_dir / name)

    def text_parts(self) -> list[Path]:
        return store.parquet_files(self.run.texts_dir)

    def count_texts(self) -> int:
        return store.row_count(self.run.texts_dir)

    def write_delta(self, table: str, frame: pl.DataFrame, name: str) -> None:
        store.write_part(frame, DELTAS[table], self.run.delta_dir(table) / name)

    def scan_delta(self, table: str, columns: list[str] | None = None) -> pl.LazyFrame:
        """This run's rows of `table` so far, in the order of their files."""
        return store.scan_parts(self.delta_parts(table), columns or DELTAS[table].names, DELTAS[table])

    def scan_delta_by_file(self, table: str, columns: list[str]) -> list[pl.LazyFrame]:
        """This run's rows of `table`, one lazy frame per file, to be read a file at a time."""
        return [pl.scan_parquet(part, glob=False).select(columns) for part in self.delta_parts(table)]

    def delta_parts(self, table: str) -> list[Path]:
        return store.parquet_files(self.run.delta_dir(table))

    def count_delta(self, table: str) -> int:
        return store.row_count(self.run.delta_dir(table))

    def write_statistic(self, name: str, frame: pl.DataFrame) -> None:
        schema, sorted_by = STATISTICS[name]
        store.write_part(frame, schema, self.run.state_path(name), sorted_by=sorted_by, durable=True)

    def read_statistic(self, name: str) -> pl.DataFrame:
        """A statistic this run wrote."""
        return pl.read_parquet(self.run.state_path(name), glob=False)

    def published_statistic(self, name: str) -> pl.LazyFrame:
        """A statistic of the version carried over (empty when there is none, or it has none)."""
        schema = STATISTICS[name][0]
        return self.previous.state_table(name, schema) if self.previous else store.scan_parts([], schema.names, schema)

    def published_rows(self, table: str, columns: list[str]) -> pl.LazyFrame:
        """The rows of a table of the version carried over (empty when there is none)."""
        return store.scan_parts(self.published_files(table), columns, schemas.TABLES[table])

    def published_files(self, table: str) -> list[Path]:
        return store.parquet_files(self.previous.table_dir(table)) if self.previous else []

    def stage_for_extraction(self, part_no: int, articles: pl.DataFrame) -> None:
        store.write_part(articles, TO_EXTRACT, self.run.staging / "to_extract" / f"part-{part_no:05d}.parquet")

    def extraction_parts(self) -> list[Path]:
        return sorted((self.run.staging / "to_extract").glob("*.parquet"))

    @staticmethod
    def read_part(part: Path) -> pl.DataFrame:
        """One file this store listed: staged texts or articles, or a killed run's rows."""
        return pl.read_parquet(part, glob=False)

    def write_extraction(self, part: Path, entities: pl.DataFrame, quotes: pl.DataFrame) -> None:
        """The rows of the staged batch `part`, under its number; quotes last: a killed run's batch
        counts as done for the next run only once its quotes exist."""
        part_no = int(part.stem.split("-")[1])
        store.write_part(entities, schemas.ENTITIES, self.run.delta_part("entities", part_no))
        store.write_part(quotes, schemas.QUOTES, self.run.delta_part("quotes", part_no))

    def salvaged(self, fingerprint) -> list[store.SalvagedBatch]:
        """The batches killed runs extracted with the code of `fingerprint`."""
        return store.salvaged_extractions(self.run, fingerprint)

    def spill_by_part(self, table: str, part: pl.Expr) -> dict[int, list[Path]]:
        """This run's rows of `table` regrouped by part (store.spill_by_part)."""
        return store.spill_by_part(self.delta_parts(table), schemas.TABLES[table], part,
                                   self.run.staging / "by_part" / table)

    @staticmethod
    def read_spilled(files: list[Path]) -> list[pl.DataFrame]:
        return [store.read_spill(f) for f in files]

    def published_parts(self, table: str) -> dict[int, Path]:
        return store.parts_by_number(self.previous.table_dir(table)) if self.previous else {}

    def published_rows_in_range(self, table: str, key: str, low: str | None, high: str | None) -> pl.DataFrame:
        """The published rows whose `key` is in [low, high): the row-group statistics skip the rest."""
        frame = self.published_rows(table, schemas.TABLES[table].names)
        if low is not None:
            frame = frame.filter(pl.col(key) >= low)
        if high is not None:
            frame = frame.filter(pl.col(key) < high)
        return frame.collect()

    def carry_part(self, table: str, published: Path) -> None:
        store.link_into(published, self.run.table_dir(table) / published.name)

    def write_version_part(self, table: str, part_no: int, rows: pl.DataFrame, sorted_by: str) -> None:
        target = self.run.table_dir(table) / store.part_name(part_no, self.run.run_id)
        store.write_part(rows, schemas.TABLES[table], target, row_group_rows=store.ROW_GROUP_ROWS[table],
                         sorted_by=sorted_by, durable=True)

    def show_columns(self, table: str) -> str | None:
        """A table with no rows still shows its columns: the published empty file is carried
        ("carried"), or an empty one written ("written"); None when the table has rows."""
        if store.parquet_files(self.run.table_dir(table)):
            return None
        if empty := [p for p in self.published_files(table) if not p.name.startswith("part-")]:
            self.carry_part(table, empty[0])
            return "carried"
        schema = schemas.TABLES[table]
        store.write_part(empty_frame(schema), schema,
                         self.run.table_dir(table) / store.empty_part_name(self.run.run_id), durable=True)
        return "written"

    def version_parts(self) -> dict[str, list[Path]]:
        """Each table of the new version as its files in row order."""
        return {t: store.parquet_files(self.run.table_dir(t)) for t in schemas.TABLES}

    def count_version(self, table: str) -> int:
        return store.row_count(self.run.table_dir(table))
