"""What a published version holds, file by file: recorded when the version is published, checked
before a run builds on it and by `newspipe verify`.

    OUT/.versions/<run_id>/_state/checksums.json
        {"format": 1,
         "files": {"articles/part-00000-3f2a1b.parquet": {"bytes": 81234, "sha256": "…", "rows": 1000},
                   "validation/index.html": {"bytes": 5120, "sha256": "…"}, …},
         "sha256": "…"}      the SHA-256 of the "files" entry: an edit of this file is caught too

Every file of the version is listed (the tables' parts, the state, the reports) with its size,
the SHA-256 of its bytes and, for Parquet, its rows. Hashing bytes runs at hundreds of MB/s,
far faster than reading the tables, so a run checks the whole version it builds on, and a
damaged part is rebuilt from the raw files instead of being carried into the next version; a
damaged report (validation/, report.html) is only written anew. A version published before
checksums were recorded is checked by reading each Parquet file whole.
"""
from dataclasses import dataclass
import hashlib
import json
import os
from pathlib import Path

import pyarrow.parquet as pq

from transforms.schemas import TABLES

CHECKSUMS = "_state/checksums.json"       # inside a version
FORMAT = 1
CURRENT = "current"                       # OUT/current -> .versions/<run_id> (flows/store.py)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Verdict:
    """The check of OUT's published version."""
    version: Path | None        # the version OUT/current points at; None when OUT has none
    problems: list[str]         # "current/<file>: what is wrong", one per damaged file, in name order
    recorded: bool              # its checksums were recorded (False: published before they were)


def record(version: Path) -> None:
    """Write the checksums of every file of `version`, once all of them are written."""
    files = {name: observe(version / name) for name in _files(version)}
    text = json.dumps({"format": FORMAT, "files": files, "sha256": files_digest(files)}, indent=1)
    tmp = version / (CHECKSUMS + ".tmp")
    with open(tmp, "w", encoding="utf-8") as sink:
        sink.write(text)
        sink.flush()
        os.fsync(sink.fileno())
    tmp.rename(version / CHECKSUMS)


def check_published(out_dir: Path) -> Verdict:
    """Every file of the version OUT/current points at against its checksums."""
    current = out_dir / CURRENT
    if not current.is_symlink():
        return Verdict(None, [], recorded=False)
    version = out_dir / os.readlink(current)
    if not version.is_dir():
        return Verdict(version, [f"{CURRENT}: points at {os.readlink(current)}, which does not exist"], recorded=False)
    recorded = _recorded(version)
    if recorded is None:
        return Verdict(version, _prefixed(_unreadable_parquet(version)), recorded=False)
    if recorded is False:
        problem = f"{CHECKSUMS}: not as it was written (it does not parse, or its own checksum differs)"
        return Verdict(version, _prefixed([problem, *_unreadable_parquet(version)]), recorded=True)
    observed = {name: observe(version / name) if (version / name).is_file() else None
                for name in sorted(set(recorded) | set(_files(version)))}
    return Verdict(version, _prefixed(compare(recorded, observed)), recorded=True)


def holds_data(problem: str) -> bool:
    """A damaged table or state file (or the whole version gone): the run cannot build on the
    version. Other files are reports, which a run writes anew."""
    return problem.startswith((f"{CURRENT}:", *(f"{CURRENT}/{folder}/" for folder in (*TABLES, "_state"))))


def observe(path: Path) -> dict:
    """bytes and sha256 of a file, and rows for Parquet (a string saying why when the footer
    cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    seen = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    if path.suffix == ".parquet":
        try:
            seen["rows"] = pq.read_metadata(path).num_rows
        except Exception as err:  # noqa: BLE001 - any reason a footer does not read is damage
            seen["rows"] = f"{type(err).__name__}: {err}"
    return seen


def compare(recorded: dict[str, dict], observed: dict[str, dict | None]) -> list[str]:
    """'name: what is wrong' for each file whose observation differs from its record."""
    problems = []
    for name in sorted(set(recorded) | set(observed)):
        if (problem := file_problem(recorded.get(name), observed.get(name))) is not None:
            problems.append(f"{name}: {problem}")
    return problems


def file_problem(recorded: dict | None, observed: dict | None) -> str | None:
    """What is wrong with one file, or None when it is as published."""
    if recorded is None:
        return "not in the version as published (added since)"
    if observed is None:
        return "missing (deleted since it was published)"
    if isinstance(observed.get("rows"), str):
        return f"not readable as Parquet ({observed['rows']})"
    if observed["bytes"] != recorded["bytes"]:
        return f"{observed['bytes']:,} bytes, {recorded['bytes']:,} when published (truncated or overwritten)"
    if observed.get("rows") != recorded.get("rows"):
        return f"{observed.get('rows'):,} rows, {recorded.get('rows'):,} when published"
    if observed["sha256"] != recorded["sha256"]:
        return "its bytes changed since it was published (SHA-256 differs)"
    return None


def files_digest(files: dict[str, dict]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _recorded(version: Path) -> dict[str, dict] | bool | None:
    """The recorded files; None when the version has no checksums, False when they are damaged."""
    path = version / CHECKSUMS
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        whole = data["format"] == FORMAT and data["sha256"] == files_digest(files)
    except (ValueError, KeyError, TypeError):
        return False
    return files if whole else False


def _unreadable_parquet(version: Path) -> list[str]:
    """Without checksums, what can still be checked: every Parquet file reads whole."""
    problems = []
    for name in _files(version):
        if name.endswith(".parquet"):
            try:
                pq.read_table(version / name)
            except Exception as err:  # noqa: BLE001 - any reason it does not read is damage
                problems.append(f"{name}: not readable as Parquet ({type(err).__name__}: {err})")
    return problems


def _files(version: Path) -> list[str]:
    """Every file of the version but its checksums, as '/'-separated names relative to it."""
    names = []
    for root, _, files in os.walk(version):
        for name in files:
            rel = Path(root, name).relative_to(version).as_posix()
            if rel not in (CHECKSUMS, CHECKSUMS + ".tmp"):
                names.append(rel)
    return sorted(names)


def _prefixed(problems: list[str]) -> list[str]:
    """Names as a reader of OUT finds them: through OUT/current."""
    return [f"{CURRENT}/{problem}" for problem in problems]
