"""Are two output folders' tables the same? `bench/tables_equal.py OUT_A OUT_B`

Compares the published articles, entities, quotes and rejects tables of two `newspipe run`
output folders row for row: each table sorted by its key, rows matched on the key, every column
compared. What differs by nature between two runs is left out: timestamp columns
(`ingested_at`), and the output folder's own path wherever a text holds it. With `--state`, the
counts of the two published runs' `_state/last_run.json` are compared too (their ids, times,
folders and code fingerprint are not, nor a run id a message names). Prints what differs (a few examples per column) and
exits 1 when anything does, 0 when all is equal.

For: showing that a change to the flow (or a refactor of a transform) leaves the tables as
they were; run the same raw folder through the code before and after into two folders.
"""
import argparse
import json
from pathlib import Path
import re
import sys

import polars as pl

KEYS = {"articles": ["article_id"], "entities": ["article_id", "entity_id"],
        "quotes": ["article_id", "quote_id"], "rejects": ["source_path"]}
# Keys of last_run.json that differ between two runs of the same rows.
STATE_VOLATILE = {"run_id", "raw_dir", "out_dir", "started_at", "finished_at", "scanned_at_ns",
                  "previous_version", "fingerprint"}
RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")     # as store.new_run_id makes them
EXAMPLES = 3


def read_table(out: Path, table: str) -> pl.DataFrame:
    """The published table, timestamp columns dropped and OUT's path replaced by `<OUT>`."""
    files = sorted((out / table).glob("*.parquet"))
    if not files:
        raise SystemExit(f"{out / table} holds no Parquet file: is {out} a newspipe output folder?")
    frame = pl.concat([pl.read_parquet(f, glob=False) for f in files], how="vertical")
    frame = frame.drop([c for c, dtype in frame.schema.items() if dtype.is_temporal() and dtype != pl.Date])
    prefix = str(out.resolve())
    return frame.with_columns(pl.col(pl.String).str.replace_all(prefix, "<OUT>", literal=True))


def table_differences(a: pl.DataFrame, b: pl.DataFrame, keys: list[str]) -> list[str]:
    """One line per difference: columns, rows only on one side, values that differ (by column)."""
    if a.columns != b.columns:
        return [f"columns differ: {a.columns} != {b.columns}"]
    lines = []
    for side, frame in (("A", a), ("B", b)):
        if (repeated := frame.height - frame.unique(keys).height):
            lines.append(f"{repeated} rows of {side} repeat a key {keys}")
    rows_a = {tuple(r[k] for k in keys): r for r in a.sort(keys).iter_rows(named=True)}
    rows_b = {tuple(r[k] for k in keys): r for r in b.sort(keys).iter_rows(named=True)}
    for side, mine, other in (("A", rows_a, rows_b), ("B", rows_b, rows_a)):
        only = [k for k in mine if k not in other]
        if only:
            lines.append(f"{len(only)} rows only in {side}, e.g. {only[:EXAMPLES]}")
    by_column: dict[str, list] = {}
    for key in rows_a.keys() & rows_b.keys():
        for column, value in rows_a[key].items():
            if value != rows_b[key][column]:
                by_column.setdefault(column, []).append((key, value, rows_b[key][column]))
    for column, found in sorted(by_column.items()):
        lines.append(f"{len(found)} rows differ in {column}")
        lines += [f"    {key}: {value_a!r} != {value_b!r}" for key, value_a, value_b in sorted(found)[:EXAMPLES]]
    return lines


def state_differences(out_a: Path, out_b: Path) -> list[str]:
    states = [json.loads(RUN_ID.sub("<RUN>", (out / "_state" / "last_run.json").read_text(encoding="utf-8")))
              for out in (out_a, out_b)]
    keys = [[k for k in state if k not in STATE_VOLATILE] for state in states]
    if keys[0] != keys[1]:
        return [f"last_run.json keys differ: {keys[0]} != {keys[1]}"]
    return [f"last_run.json {k}: {states[0][k]!r} != {states[1][k]!r}" for k in keys[0] if states[0][k] != states[1][k]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_a", type=Path)
    parser.add_argument("out_b", type=Path)
    parser.add_argument("--state", action="store_true", help="also compare the counts in _state/last_run.json")
    args = parser.parse_args(argv)
    differs = False
    for table, keys in KEYS.items():
        a, b = read_table(args.out_a, table), read_table(args.out_b, table)
        lines = table_differences(a, b, keys)
        differs |= _report(f"{table}: {a.height} rows in A, {b.height} in B", lines)
    if args.state:
        differs |= _report("last_run.json counts", state_differences(args.out_a, args.out_b))
    return 1 if differs else 0


def _report(what: str, lines: list[str]) -> bool:
    print(f"{what}: " + ("DIFFERENT" if lines else "equal"))
    for line in lines:
        print(f"  {line}")
    return bool(lines)


if __name__ == "__main__":
    sys.exit(main())
