"""What a run must do: the raw files against the published version's manifest, code and options.

No Prefect here: `newspipe run` asks the same question before starting Prefect, so a run with
nothing to do answers in a second or two.
"""
from dataclasses import dataclass, replace
from pathlib import Path
import time

import polars as pl

from flows import store
from flows.settings import STATE_FORMAT
from transforms import changes
from transforms.frames import empty_frame


@dataclass(frozen=True)
class Plan:
    files: pl.DataFrame                 # one row per raw file now or in the manifest, with its status
    previous: store.Published | None    # the version whose unchanged rows are carried over
    full_reason: str | None             # why everything is processed again; None for an incremental run
    options: dict                       # the run options that decide the rows
    fingerprint: dict
    scanned_at_ns: int
    counts: dict
    published_run_id: str | None        # what OUT/current shows now, kept for readers in flight
    report_published: bool              # OUT/validation is the published tables' report (not a failed run's)

    def with_status(self, *statuses: str) -> pl.DataFrame:
        return self.files.filter(pl.col("status").is_in(statuses))

    def to_read(self) -> list[store.RawFile]:
        return self._raw_files(changes.CHANGED, changes.NEW)

    def to_reclean(self) -> list[store.RawFile]:
        """Unchanged files to clean again: a line of theirs crossed the corpus-wide threshold."""
        return self._raw_files(changes.RECLEANED)

    def with_recleaned(self, source_paths: list[str]) -> "Plan":
        files = changes.mark_recleaned(self.files, source_paths)
        return replace(self, files=files, counts=changes.status_counts(files))

    def _raw_files(self, *statuses: str) -> list[store.RawFile]:
        rows = self.with_status(*statuses).select("source_path", "size").iter_rows()
        return [store.RawFile(path, size) for path, size in rows]

    @property
    def nothing_changed(self) -> bool:
        """Same code, suites, options and files (by size and mtime): the published version stays."""
        return (self.full_reason is None and self.counts[changes.UNCHANGED] == self.files.height
                and self.previous.state.get("fingerprint") == self.fingerprint and self.report_published)

    def describe(self) -> str:
        c = self.counts
        if self.full_reason:
            return f"processing all {c[changes.NEW]} raw files: {self.full_reason}"
        return (f"since run {self.previous.run_id}: unchanged {c[changes.UNCHANGED] + c[changes.TOUCHED]}, "
                f"changed {c[changes.CHANGED]}, new {c[changes.NEW]}, deleted {c[changes.DELETED]}"
                + (f" ({c[changes.TOUCHED]} with a new mtime but the same bytes)" if c[changes.TOUCHED] else ""))


def run_options(max_file_mb: float) -> dict:
    """The options that decide the rows: when one differs from the published run's, all is redone."""
    return {"max_file_mb": float(max_file_mb)}


def make_plan(raw_dir: Path, out_dir: Path, files: list[store.RawFile], options: dict, full: bool) -> Plan:
    """Stat every raw file, hash only those whose size or mtime differ from the manifest, and
    mark new and changed ones to be read again."""
    scanned_at_ns = time.time_ns()
    now = store.stat_raw(raw_dir, [f.source_path for f in files])
    fingerprint = store.code_fingerprint()
    published = store.published(out_dir)
    reason = _full_reason(published, fingerprint, options, full)
    previous = None if reason else published
    manifest = previous.manifest() if previous else empty_frame(changes.MANIFEST)
    compared = changes.compare_files(now, manifest, previous.state["scanned_at_ns"] if previous else 0)
    to_hash = compared.filter(pl.col("status") == changes.CHECK)["source_path"].to_list()
    compared = changes.settle_checked(compared, {p: store.hash_raw(raw_dir, p) for p in to_hash})
    return Plan(compared, previous, reason, options, fingerprint, scanned_at_ns,
                changes.status_counts(compared), published.run_id if published else None,
                store.shows_published_report(out_dir))


def _full_reason(previous: store.Published | None, fingerprint: dict, options: dict, full: bool) -> str | None:
    if full:
        return "--full was given"
    if previous is None:
        return "no published run with a manifest in the output folder"
    state = previous.state
    if state.get("state_format") != STATE_FORMAT:
        return f"the state of run {previous.run_id} has another format ({state.get('state_format')} != {STATE_FORMAT})"
    before = state.get("fingerprint", {})
    for part in store.EXTRACTION_CODE:
        if before.get(part) != fingerprint[part]:
            return f"the {part} changed since run {previous.run_id} ({before.get(part)} -> {fingerprint[part]})"
    for name, value in options.items():
        if state.get("options", {}).get(name) != value:
            return (f"--{name.replace('_', '-')} changed since run {previous.run_id} "
                    f"({state.get('options', {}).get(name)} -> {value})")
    return None
