"""The newspipe flow: discover → compare with the published run → read (decode) the new and
changed files → count lines corpus-wide → clean → mark duplicates → extract → assemble the new
version → validate → publish."""
from collections import deque
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows import cluster, settings, store, workers
from flows.planning import run_options
from flows.progress import Progress
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, DEFAULT_OUT_DIR, DEFAULT_RAW_DIR, STATE_FORMAT
from flows.tasks import (assemble_version, carry_validation, clean_batch, count_lines, discover_raw, extract_batch,
                         plan_changes, publish_run, read_batch, resolve_duplicates, validate_run)


EXTRACT_AHEAD = 1   # parts submitted beyond the one being waited for (memory: one more part)


class ValidationFailed(Exception):
    """A critical expectation failed: the new tables were not published."""


@flow(name="newspipe", log_prints=True)
def newspipe_run(raw_dir: str = DEFAULT_RAW_DIR, out_dir: str = DEFAULT_OUT_DIR,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 full: bool = False, dask_address: str | None = None) -> dict:
    """Bring the articles, entities, quotes and rejects tables up to date with the raw texts:
    only new and changed files are processed, unless `full` or the code or options changed.
    With a Dask scheduler's address (or NEWSPIPE_DASK_ADDRESS), its workers extract."""
    logger = get_run_logger()
    raw, out = Path(raw_dir), Path(out_dir)
    started = datetime.now(timezone.utc)
    on_cluster = None
    if address := settings.dask_address(dask_address):
        on_cluster = cluster.check(address, warm_up=True)
        logger.info("extraction on the Dask cluster at %s: %s", address, on_cluster.describe())
    files = discover_raw(raw)
    logger.info("found %d raw files under %s", len(files), raw)
    with store.lock_out(out):
        plan = plan_changes(raw, out, files, run_options(max_file_mb), full)
        logger.info(plan.describe())
        if plan.nothing_changed:
            logger.info("nothing changed: the tables of run %s stay published in %s", plan.previous.run_id, out)
            return plan.previous.state
        run = store.start_run(out, plan.fingerprint, started)

        if plan.to_read() and not on_cluster:   # the spaCy workers load their model while the ingest runs
            workers.warm_up()
        plan = _ingest(run, raw, plan, batch_size, int(max_file_mb * 1024 * 1024))
        merge, salvaged = resolve_duplicates(run, plan, batch_size)
        if salvaged:
            logger.info("reusing the entities and quotes of %d articles a killed run had extracted", salvaged)

        extract = Progress("extract", merge.extract.len() - salvaged)
        parts = sorted((run.staging / "to_extract").glob("*.parquet"))
        batches = (cluster.extract_on_cluster(run, parts, on_cluster) if on_cluster
                   else _pipelined(extract_batch, run, parts))
        for counts in batches:
            logger.info(extract.advance(counts["articles"]))
        workers.shutdown()   # their memory (the model, twice) goes back before validation loads the tables

        built = assemble_version(run, plan, merge)
        run_info = {"run_id": run.run_id, "raw_dir": str(raw.resolve()), "out_dir": str(out.resolve()),
                    "started_at": run.started_at.isoformat(), "raw_files": len(files), "full_reason": plan.full_reason,
                    "dask_address": address,
                    **{f"files_{status}": n for status, n in plan.counts.items()},
                    "extracted": merge.extract.len(), "salvaged": salvaged, "duplicates": merge.duplicates.height,
                    "near_duplicates": merge.duplicates.filter(pl.col("duplicate_kind") == "near").height,
                    **built["totals"], "parts_rewritten": built["parts_rewritten"], "parts_carried": built["parts_linked"]}
        same_tables = plan.previous and not built["parts_rewritten"] and \
            plan.previous.state["fingerprint"]["expectations"] == plan.fingerprint["expectations"]
        report = carry_validation(run, plan.previous) if same_tables else validate_run(run, run_info)
        state = run_info | _state(plan, built, report.success)
        publish_run(run, state, built["manifest"], tables_too=report.success)

    index = out / "validation" / "index.html"
    create_markdown_artifact(key="newspipe-validation", description="Validation report of the run",
                             markdown=_report_markdown(run_info, report, index))
    for warning in report.warnings:
        logger.warning("expectation warning: %s", warning)
    if not report.success:
        raise ValidationFailed(f"{report.failed_critical[0]} (and {len(report.failed_critical) - 1} more); "
                               f"tables not published; report: {index}")
    logger.info("published run %s: %s articles, %s entities, %s quotes, %s rejects in %s "
                "(%s parts rewritten, %s carried over); report: %s", run.run_id, run_info["articles"],
                run_info["entities"], run_info["quotes"], run_info["rejects"], out,
                built["parts_rewritten"], built["parts_linked"], index)
    return state


def _ingest(run: store.Run, raw: Path, plan, batch_size: int, max_bytes: int):
    """Read the new and changed files, count their lines with the corpus, then clean them (and
    the unchanged files a crossed count concerns) in batches. Returns the plan with those files."""
    logger = get_run_logger()
    to_read = plan.to_read()
    reading = Progress("read", len(to_read))
    for part_no, batch in enumerate(_batched(to_read, batch_size)):
        logger.info(reading.advance(read_batch(run, raw, batch, part_no, max_bytes)["files"]))
    plan = count_lines(run, plan)
    if again := plan.to_reclean():
        logger.info("%d unchanged files hold a line whose corpus-wide count crossed the boilerplate threshold: "
                    "they are cleaned again", len(again))
    for part_no, batch in enumerate(_batched(again, batch_size), start=-(-len(to_read) // batch_size)):
        read_batch(run, raw, batch, part_no, max_bytes, scan_lines=False)
    ingest = Progress("ingest", store.row_count(run.texts_dir))
    for part in store.parquet_files(run.texts_dir):
        logger.info(ingest.advance(clean_batch(run, part)["files"]))
    return plan


def _state(plan, built: dict, success: bool) -> dict:
    """What the next run compares itself with, beside the manifest in OUT/_state."""
    return {"success": success, "finished_at": datetime.now(timezone.utc).isoformat(), "state_format": STATE_FORMAT,
            "fingerprint": plan.fingerprint, "options": plan.options, "part_bits": built["part_bits"],
            "scanned_at_ns": plan.scanned_at_ns, "previous_version": plan.published_run_id}


def _pipelined(task, run: store.Run, parts: list[Path], ahead: int = EXTRACT_AHEAD):
    """Results of `task(run, part)` in part order, with `ahead` more parts submitted meanwhile:
    the spaCy workers start on the next part while this one's rows are written, instead of
    idling at each part's end. On a failure the parts in flight finish before it is raised."""
    in_flight: deque = deque()
    try:
        for part in parts:
            in_flight.append(task.submit(run, part))
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


def _report_markdown(run_info: dict, report, index: Path) -> str:
    lines = [f"# newspipe run {run_info['run_id']}: {'passed' if report.success else 'FAILED'}", "",
             f"Report: [{index}]({index.resolve().as_uri()})", "", "| count | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in run_info.items() if isinstance(v, int)]
    lines += [f"- critical: {m}" for m in report.failed_critical] + [f"- warning: {m}" for m in report.warnings]
    return "\n".join(lines)
