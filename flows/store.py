"""All file I/O of a run: discovering raw files, staging Parquet parts, publishing atomically.

A run writes everything under OUT/.staging/<run_id>/ and only a finished, validated run is
moved into place, so readers never see half-written tables. Everything kept between runs
lives under OUT, so deleting OUT starts afresh.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
import json
import os
from pathlib import Path
import secrets
import shutil
import stat

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from transforms.schemas import TABLES

PUBLISHED = (*TABLES, "validation", "_state")
STAGING, TRASH = ".staging", ".trash"


class RawDirMissing(Exception):
    """The raw folder named on the command line does not exist."""


@dataclass(frozen=True)
class RawFile:
    source_path: str     # relative to the raw dir, '/'-separated
    size: int


@dataclass(frozen=True)
class Run:
    run_id: str
    out_dir: Path
    staging: Path

    def table_dir(self, table: str) -> Path:
        return self.staging / table

    def part_path(self, table: str, part_no: int) -> Path:
        return self.staging / table / f"part-{part_no:05d}.parquet"


def discover(raw_dir: Path) -> list[RawFile]:
    """Every visible file below raw_dir, in source_path order; the caller rejects what is not .txt.

    Hidden files and folders (name starting with '.') are skipped, and so are pipes, sockets and
    devices (reading one could block the run). A broken link is listed, so it ends as a reject.
    A name that is not UTF-8 is listed with its bad bytes escaped (`caf\\xe9.txt`): it cannot be
    opened under that name, so it too ends as a reject, and the tables stay valid UTF-8.
    """
    if not raw_dir.is_dir():
        raise RawDirMissing(f"raw dir {raw_dir} does not exist or is not a folder")
    found = []
    for folder, dirs, names in os.walk(raw_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = Path(folder, name)
            rel = path.relative_to(raw_dir).as_posix().encode("utf-8", "surrogateescape")
            source_path = rel.decode("utf-8", "backslashreplace")
            try:
                info = path.stat()          # through a link to its target
            except OSError:                 # a broken link: listed, reading it gives the reason
                found.append(RawFile(source_path, 0))
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(RawFile(source_path, info.st_size))
    return sorted(found, key=lambda f: f.source_path)


def read_raw(raw_dir: Path, source_path: str) -> bytes:
    return (raw_dir / source_path).read_bytes()


def start_run(out_dir: Path) -> Run:
    """A fresh staging folder; leftovers of crashed runs are removed first."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in (out_dir / STAGING, out_dir / TRASH):
        shutil.rmtree(leftover, ignore_errors=True)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    staging = out_dir / STAGING / run_id
    for table in TABLES:
        (staging / table).mkdir(parents=True)
    (staging / "_state").mkdir()
    return Run(run_id, out_dir, staging)


def write_part(frame: pl.DataFrame, schema: pa.Schema, path: Path) -> None:
    """One Parquet file with the declared schema, zstd-compressed."""
    table = frame.to_arrow().select(schema.names).cast(schema)
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=50_000)
    tmp.rename(path)


def read_table(directory: Path) -> pl.DataFrame:
    files = sorted(directory.glob("*.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical") if files else None


def scan_table(directory: Path, columns: list[str]) -> pl.LazyFrame:
    return pl.scan_parquet(sorted(directory.glob("*.parquet"))).select(columns)


def ensure_nonempty(run: Run, table: str, empty: pl.DataFrame) -> None:
    """A table with no rows still gets one file, so readers see its columns."""
    if not any(run.table_dir(table).glob("*.parquet")):
        write_part(empty, TABLES[table], run.part_path(table, 0))


def write_state(run: Run, name: str, payload: dict) -> None:
    (run.staging / "_state" / name).write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")


def publish(run: Run, names: tuple[str, ...] = PUBLISHED) -> None:
    """Swap the staged folders into OUT; the old ones go to a trash folder first, then away."""
    trash = run.out_dir / TRASH / run.run_id
    trash.mkdir(parents=True, exist_ok=True)
    for name in names:
        staged, target = run.staging / name, run.out_dir / name
        if not staged.exists():
            continue
        if target.exists():
            os.replace(target, trash / name)
        os.replace(staged, target)
    shutil.rmtree(run.out_dir / TRASH, ignore_errors=True)


def discard(run: Run) -> None:
    shutil.rmtree(run.out_dir / STAGING, ignore_errors=True)
