"""The state a run carries and leaves behind, as types, and the JSON each is written as.

    Fingerprint     what made the rows: the hashes of the code and the package versions
    RunOptions      the options that decide the rows (--max-file-mb)
    FileCounts      raw files by status against the published manifest
    TableTotals     rows per table of a version
    AssembledVersion  what assembling a version built (its layout, manifest and totals)
    RunInfo         what a run did, in counts: the report's `run_info`, the head of last_run.json
    RunState        OUT/_state/last_run.json: what the next run compares itself with

`to_json` gives the layout of STATE_FORMAT 2 key for key, in its order, and `from_json` reads it
back: an OUT written before these types existed is read as it is, and a state of another format
is not read at all (the run then processes everything again, and says why). No I/O here.
"""
from dataclasses import asdict, dataclass, fields
from datetime import datetime

import polars as pl

from flows.settings import STATE_FORMAT

# The parts of the fingerprint the extraction's rows depend on (the suites only decide validation).
EXTRACTION_CODE = ("transforms", "packages")


@dataclass(frozen=True)
class Fingerprint:
    """Hashes of what makes the rows (transforms, packages) and of the suites (expectations)."""
    transforms: str
    packages: str
    expectations: str

    def extraction(self) -> dict[str, str]:
        """What the extraction depends on: a killed run's rows are reused and a Dask worker
        extracts only when these are the same."""
        return {part: getattr(self, part) for part in EXTRACTION_CODE}

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Fingerprint":
        return cls(data["transforms"], data["packages"], data["expectations"])


@dataclass(frozen=True)
class RunOptions:
    """The options that decide the rows: when one differs from the published run's, all is redone."""
    max_file_mb: float

    def to_json(self) -> dict:
        return {"max_file_mb": float(self.max_file_mb)}

    @classmethod
    def from_json(cls, data: dict) -> "RunOptions":
        return cls(float(data["max_file_mb"]))

    def changed_since(self, before: "RunOptions") -> tuple[str, object, object] | None:
        """(option, value before, value now) of the first option that differs, or None."""
        for option in fields(self):
            if getattr(before, option.name) != getattr(self, option.name):
                return option.name, getattr(before, option.name), getattr(self, option.name)
        return None


@dataclass(frozen=True)
class FileCounts:
    """Raw files by status against the published manifest (the statuses of transforms/changes.py)."""
    unchanged: int = 0
    touched: int = 0
    changed: int = 0
    new: int = 0
    deleted: int = 0
    recleaned: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> "FileCounts":
        """From changes.status_counts' dict."""
        return cls(**{f.name: counts.get(f.name, 0) for f in fields(cls)})

    def to_json(self) -> dict:
        return {f"files_{name}": n for name, n in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> "FileCounts":
        return cls(**{f.name: data[f"files_{f.name}"] for f in fields(cls)})


@dataclass(frozen=True)
class TableTotals:
    """Rows per table of a version."""
    articles: int
    entities: int
    quotes: int
    rejects: int

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "TableTotals":
        return cls(**{f.name: data[f.name] for f in fields(cls)})


@dataclass(frozen=True)
class AssembledVersion:
    """What assembling the new version built; its manifest goes beside the state as Parquet."""
    part_bits: int              # leading bits of article_id that choose a row's part
    manifest: pl.DataFrame      # one row per raw file the version accounts for (changes.MANIFEST)
    totals: TableTotals
    parts_rewritten: int
    parts_carried: int          # hard-linked from the published version as they were


@dataclass(frozen=True)
class RunInfo:
    """What a run did, in counts: the report's `run_info`, the head of last_run.json."""
    run_id: str
    raw_dir: str
    out_dir: str
    started_at: datetime
    raw_files: int
    full_reason: str | None     # why every file was processed; None for an incremental run
    dask_address: str | None
    files: FileCounts
    extracted: int
    salvaged: int               # extracted by a killed run, reused
    duplicates: int
    near_duplicates: int
    totals: TableTotals
    parts_rewritten: int
    parts_carried: int

    def to_json(self) -> dict:
        head = {"run_id": self.run_id, "raw_dir": self.raw_dir, "out_dir": self.out_dir,
                "started_at": self.started_at.isoformat(), "raw_files": self.raw_files,
                "full_reason": self.full_reason, "dask_address": self.dask_address}
        return head | self.files.to_json() | {
            "extracted": self.extracted, "salvaged": self.salvaged, "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates} | self.totals.to_json() | {
            "parts_rewritten": self.parts_rewritten, "parts_carried": self.parts_carried}

    @classmethod
    def from_json(cls, data: dict) -> "RunInfo":
        plain = {f.name: data[f.name] for f in fields(cls) if f.name not in ("started_at", "files", "totals")}
        return cls(**plain, started_at=datetime.fromisoformat(data["started_at"]), files=FileCounts.from_json(data),
                   totals=TableTotals.from_json(data))


@dataclass(frozen=True)
class RunState:
    """OUT/_state/last_run.json: what the run did and what the next run compares itself with."""
    info: RunInfo
    success: bool
    finished_at: datetime
    fingerprint: Fingerprint
    options: RunOptions
    part_bits: int
    scanned_at_ns: int              # when the raw files were stat'ed: a file changed since is hashed again
    previous_version: str | None    # the version published before, kept for readers in flight
    state_format: int = STATE_FORMAT

    @property
    def run_id(self) -> str:
        return self.info.run_id

    def to_json(self) -> dict:
        return self.info.to_json() | {
            "success": self.success, "finished_at": self.finished_at.isoformat(), "state_format": self.state_format,
            "fingerprint": self.fingerprint.to_json(), "options": self.options.to_json(), "part_bits": self.part_bits,
            "scanned_at_ns": self.scanned_at_ns, "previous_version": self.previous_version}

    @classmethod
    def from_json(cls, data: dict) -> "RunState":
        """The state of format STATE_FORMAT; KeyError, TypeError or ValueError for anything else."""
        if data.get("state_format") != STATE_FORMAT:
            raise ValueError(f"state format {data.get('state_format')}, not {STATE_FORMAT}")
        return cls(RunInfo.from_json(data), bool(data["success"]), datetime.fromisoformat(data["finished_at"]),
                   Fingerprint.from_json(data["fingerprint"]), RunOptions.from_json(data["options"]),
                   int(data["part_bits"]), int(data["scanned_at_ns"]), data["previous_version"], data["state_format"])


def read_state(data: dict) -> RunState | None:
    """A published run's state, or None when it is of another format or incomplete."""
    try:
        return RunState.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None
