"""What a run must do: the raw files against the published version's manifest, code and options.

`make_plan` gathers the facts (stat, hashes, the published state); the decisions are pure
functions of them (`full_reason`, `Plan.nothing_changed`, `Plan.report_holds_for`). No Prefect
here: `newspipe run` asks the same question before starting Prefect, so a run with nothing to
do answers in a second or two.
"""
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
import time

import polars as pl

from flows import checksums, store
from flows.settings import STATE_FORMAT
from flows.state import EXTRACTION_CODE, AssembledVersion, FileCounts, Fingerprint, RunOptions
from transforms import changes
from transforms.frames import empty_frame

MAX_NAMED = 10      # damaged files a run's reason names (`newspipe verify` lists them all)


@dataclass(frozen=True)
class Plan:
    files: pl.DataFrame                 # one row per raw file now or in the manifest, with its status
    previous: store.Published | None    # the version whose unchanged rows are carried over
    full_reason: str | None             # why everything is processed again; None for an incremental run
    options: RunOptions                 # the run options that decide the rows
    fingerprint: Fingerprint
    scanned_at_ns: int
    counts: FileCounts
    published_run_id: str | None        # what OUT/current shows now, kept for readers in flight
    report_published: bool              # OUT/validation is the published tables' report (not a failed run's)
    damaged: tuple[str, ...] = ()       # the published version's damaged files: tables or state ones make
                                        # everything be redone, report ones a new report

    def with_status(self, *statuses: str) -> pl.DataFrame:
        return self.files.filter(pl.col("status").is_in(statuses))

    def carried_paths(self) -> pl.Series:
        """The files whose published rows are carried over as they are."""
        return self.with_status(changes.UNCHANGED, changes.TOUCHED)["source_path"]

    def to_read(self) -> list[store.RawFile]:
        return self._raw_files(changes.CHANGED, changes.NEW)

    def to_reclean(self) -> list[store.RawFile]:
        """Unchanged files to clean again: a line of theirs crossed the corpus-wide threshold."""
        return self._raw_files(changes.RECLEANED)

    def with_recleaned(self, source_paths: list[str]) -> "Plan":
        files = changes.mark_recleaned(self.files, source_paths)
        return replace(self, files=files, counts=FileCounts.of(changes.status_counts(files)))

    def _raw_files(self, *statuses: str) -> list[store.RawFile]:
        rows = self.with_status(*statuses).select("source_path", "size").iter_rows()
        return [store.RawFile(path, size) for path, size in rows]

    @property
    def nothing_changed(self) -> bool:
        """Same code, suites, options and files (by size and mtime): the published version stays."""
        return (self.full_reason is None and self.counts.unchanged == self.files.height
                and self.previous.state.fingerprint == self.fingerprint and self.report_published and not self.damaged)

    def report_holds_for(self, version: AssembledVersion) -> bool:
        """The published report is the new version's: the same suites, and every part of the
        version carried over as published (only mtimes changed, say). It is carried, not redone."""
        return (self.previous is not None and version.parts_rewritten == 0 and not self.damaged
                and self.previous.state.fingerprint.expectations == self.fingerprint.expectations)

    def describe(self) -> str:
        c = self.counts
        if self.full_reason:
            return f"processing all {c.new} raw files: {self.full_reason}"
        return (f"since run {self.previous.run_id}: unchanged {c.unchanged + c.touched}, "
                f"changed {c.changed}, new {c.new}, deleted {c.deleted}"
                + (f" ({c.touched} with a new mtime but the same bytes)" if c.touched else ""))


def run_options(max_file_mb: float) -> RunOptions:
    """The options that decide the rows: when one differs from the published run's, all is redone."""
    return RunOptions(float(max_file_mb))


def make_plan(raw_dir: Path, out_dir: Path, files: list[store.RawFile], options: RunOptions, full: bool) -> Plan:
    """Stat every raw file, hash only those whose size or mtime differ from the manifest, and
    mark new and changed ones to be read again."""
    scanned_at_ns = time.time_ns()
    now = store.stat_raw(raw_dir, [f.source_path for f in files])
    fingerprint = store.code_fingerprint()
    published = store.published(out_dir)
    damaged = tuple(checksums.check_published(out_dir).problems)
    reason = full_reason(published, fingerprint, options, full, [d for d in damaged if checksums.holds_data(d)])
    previous = None if reason else published
    manifest = previous.manifest() if previous else empty_frame(changes.MANIFEST)
    compared = changes.compare_files(now, manifest, previous.state.scanned_at_ns if previous else 0)
    to_hash = compared.filter(pl.col("status") == changes.CHECK)["source_path"].to_list()
    compared = changes.settle_checked(compared, {p: store.hash_raw(raw_dir, p) for p in to_hash})
    return Plan(compared, previous, reason, options, fingerprint, scanned_at_ns,
                FileCounts.of(changes.status_counts(compared)), published.run_id if published else None,
                store.shows_published_report(out_dir), damaged)


def full_reason(previous: store.Published | None, fingerprint: Fingerprint, options: RunOptions,
                full: bool, damaged: Sequence[str] = ()) -> str | None:
    """Why every file must be processed again (the published rows cannot be carried over), or None.
    `damaged`: what the check of the published version found wrong in its tables and state."""
    if damaged:
        listed = "; ".join(damaged[:MAX_NAMED]) + (f"; and {len(damaged) - MAX_NAMED} more" if len(damaged) > MAX_NAMED
                                                  else "")
        return (f"the published version is damaged, so nothing of it is carried over and every table is rebuilt "
                f"from the raw files: {listed}")
    if full:
        return "--full was given"
    if previous is None:
        return "no published run with a manifest in the output folder"
    if previous.state_format != STATE_FORMAT:
        return f"the state of run {previous.run_id} has another format ({previous.state_format} != {STATE_FORMAT})"
    if (state := previous.state) is None:
        return f"the state of run {previous.run_id} is incomplete (its _state/{store.STATE_FILE} lacks a field)"
    for part in EXTRACTION_CODE:
        if getattr(state.fingerprint, part) != getattr(fingerprint, part):
            return (f"the {part} changed since run {previous.run_id} "
                    f"({getattr(state.fingerprint, part)} -> {getattr(fingerprint, part)})")
    if changed := options.changed_since(state.options):
        name, before, now = changed
        return f"--{name.replace('_', '-')} changed since run {previous.run_id} ({before} -> {now})"
    return None
