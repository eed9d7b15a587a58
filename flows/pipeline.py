"""The newspipe flow: discover → compare with the published run → read (decode) the new and
changed files → count lines corpus-wide → clean → mark duplicates → extract → assemble the new
version → validate → write the run report → publish."""
from collections import deque
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows import cluster, settings, store, workers
from flows.planning import Plan, run_options
from flows.progress import Progress
from flows.reporting import PhaseClock, publish_artifacts, write_report
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, DEFAULT_OUT_DIR, DEFAULT_RAW_DIR
from flows.state import AssembledVersion, RunInfo, RunState
from flows.tables import TableStore
from flows.tasks import (assemble_version, carry_validation, clean_batch, count_lines, discover_raw, extract_batch,
                         extract_texts, find_duplicates, plan_changes, publish_run, read_batch, stage_extraction,
                         validate_run)
from transforms.changes import Merge

EXTRACT_AHEAD = 1   # parts submitted beyond the one being waited for (memory: one more part)


class ValidationFailed(Exception):
    """A critical expectation failed: the new tables were not published."""


@flow(name="newspipe", log_prints=True)
def newspipe_run(raw_dir: str = DEFAULT_RAW_DIR, out_dir: str = DEFAULT_OUT_DIR,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 full: bool = False, dask_address: str | None = None) -> dict:
    """Bring the articles, entities, quotes and rejects tables up to date with the raw texts:
    only new and changed files are processed, unless `full` or the code or options changed.
    With a Dask scheduler's address (or NEWSPIPE_DASK_ADDRESS), its workers extract.
    Returns the run's state as written to OUT/_state/last_run.json."""
    logger = get_run_logger()
    raw, out, started, clock = Path(raw_dir), Path(out_dir), datetime.now(timezone.utc), PhaseClock()
    address = settings.dask_address(dask_address)
    on_cluster = _check_cluster(address)
    files = discover_raw(raw)
    logger.info("found %d raw files under %s", len(files), raw)
    with store.lock_out(out):
        plan = plan_changes(raw, out, files, run_options(max_file_mb), full)
        logger.info(plan.describe())
        if plan.nothing_changed:
            logger.info("nothing changed: the tables of run %s stay published in %s", plan.previous.run_id, out)
            return plan.previous.state.to_json()
        tables = TableStore(store.start_run(out, plan.fingerprint, started), plan.previous)
        if plan.to_read() and not on_cluster:   # the spaCy workers load their model while the ingest runs
            workers.warm_up()
        clock.lap("discover and plan")
        plan = _ingest(tables, raw, plan, batch_size, int(max_file_mb * 1024 * 1024))
        clock.lap("read and clean")
        merge = find_duplicates(tables, plan)
        clock.lap("duplicates")
        salvaged = stage_extraction(tables, plan, merge, batch_size)
        _extract(tables, merge.extract.len() - salvaged, on_cluster)
        clock.lap("extract")
        version = assemble_version(tables, plan, merge)
        clock.lap("assemble")
        info = _run_info(tables, raw, len(files), plan, merge, salvaged, version, address)
        report = (carry_validation(tables) if plan.report_holds_for(version)
                  else validate_run(tables, info, reuse_published=not plan.damaged))
        clock.lap("validate")
        state = _run_state(info, plan, version, report.success)
        shown = write_report(tables, state, clock.phases)
        publish_run(tables, state, version.manifest, tables_too=report.success)
    publish_artifacts(shown, out / store.REPORT_FILE)
    _announce(info, report, out)
    return state.to_json()


def _check_cluster(address: str | None) -> cluster.Cluster | None:
    """The Dask cluster that extracts, checked and warming up; None: this machine extracts."""
    if not address:
        return None
    on_cluster = cluster.check(address, warm_up=True)
    get_run_logger().info("extraction on the Dask cluster at %s: %s", address, on_cluster.describe())
    return on_cluster


def _ingest(tables: TableStore, raw: Path, plan: Plan, batch_size: int, max_bytes: int) -> Plan:
    """Read the new and changed files, count their lines with the corpus, then clean them (and
    the unchanged files a crossed count concerns) in batches. Returns the plan with those files."""
    logger = get_run_logger()
    to_read = plan.to_read()
    reading = Progress("read", len(to_read))
    for part_no, batch in enumerate(_batched(to_read, batch_size)):
        logger.info(reading.advance(read_batch(tables, raw, batch, part_no, max_bytes)))
    plan = count_lines(tables, plan)
    if again := plan.to_reclean():
        logger.info("%d unchanged files hold a line whose corpus-wide count crossed the boilerplate threshold: "
                    "they are cleaned again", len(again))
    for part_no, batch in enumerate(_batched(again, batch_size), start=-(-len(to_read) // batch_size)):
        read_batch(tables, raw, batch, part_no, max_bytes, scan_lines=False)
    ingest = Progress("ingest", tables.count_texts())
    for part in tables.text_parts():
        logger.info(ingest.advance(clean_batch(tables, part)))
    return plan


def _extract(tables: TableStore, articles: int, on_cluster: cluster.Cluster | None) -> None:
    """Extract the staged batches, on the cluster or on this machine's workers, then stop the
    workers: their memory (the model, twice) goes back before validation loads the tables."""
    logger = get_run_logger()
    extract = Progress("extract", articles)
    parts = tables.extraction_parts()
    batches = (cluster.extract_on_cluster(tables, parts, on_cluster, extract_texts) if on_cluster
               else _pipelined(extract_batch, tables, parts))
    for n in batches:
        logger.info(extract.advance(n))
    workers.shutdown()


def _run_info(tables: TableStore, raw: Path, raw_files: int, plan: Plan, merge: Merge, salvaged: int,
              version: AssembledVersion, address: str | None) -> RunInfo:
    run = tables.run
    return RunInfo(run_id=run.run_id, raw_dir=str(raw.resolve()), out_dir=str(run.out_dir.resolve()),
                   started_at=run.started_at, raw_files=raw_files, full_reason=plan.full_reason,
                   dask_address=address, files=plan.counts, extracted=merge.extract.len(), salvaged=salvaged,
                   duplicates=merge.duplicates.height,
                   near_duplicates=merge.duplicates.filter(pl.col("duplicate_kind") == "near").height,
                   totals=version.totals, parts_rewritten=version.parts_rewritten,
                   parts_carried=version.parts_carried)


def _run_state(info: RunInfo, plan: Plan, version: AssembledVersion, success: bool) -> RunState:
    """What the next run compares itself with, beside the manifest in OUT/_state."""
    return RunState(info, success, datetime.now(timezone.utc), plan.fingerprint, plan.options, version.part_bits,
                    plan.scanned_at_ns, plan.published_run_id)


def _announce(info: RunInfo, report, out: Path) -> None:
    """The outcome in the log; a failed critical expectation fails the run."""
    logger = get_run_logger()
    page = out / store.REPORT_FILE
    for warning in report.warnings:
        logger.warning("expectation warning: %s", warning)
    if not report.success:
        raise ValidationFailed(f"{report.failed_critical[0]} (and {len(report.failed_critical) - 1} more); "
                               f"tables not published; report: {page}")
    totals = info.totals
    logger.info("published run %s: %s articles, %s entities, %s quotes, %s rejects in %s "
                "(%s parts rewritten, %s carried over); report: %s", info.run_id, totals.articles, totals.entities,
                totals.quotes, totals.rejects, out, info.parts_rewritten, info.parts_carried, page)


def _pipelined(task, tables: TableStore, parts: list[Path], ahead: int = EXTRACT_AHEAD):
    """Results of `task(tables, part)` in part order, with `ahead` more parts submitted meanwhile:
    the spaCy workers start on the next part while this one's rows are written, instead of
    idling at each part's end. On a failure the parts in flight finish before it is raised."""
    in_flight: deque = deque()
    try:
        for part in parts:
            in_flight.append(task.submit(tables, part))
            if len(in_flight) > ahead:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        for future in in_flight:
            future.wait()


def _batched(items: list, size: int):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
