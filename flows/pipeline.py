"""The newspipe flow: discover → ingest (decode, clean) → mark duplicates → extract → validate → publish."""
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows import store
from flows.progress import Progress
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, DEFAULT_OUT_DIR, DEFAULT_RAW_DIR
from flows.tasks import discover_raw, extract_batch, ingest_batch, mark_duplicates, publish_run, validate_run



class ValidationFailed(Exception):
    """A critical expectation failed: the new tables were not published."""


@flow(name="newspipe", log_prints=True)
def newspipe_run(raw_dir: str = DEFAULT_RAW_DIR, out_dir: str = DEFAULT_OUT_DIR,
                 batch_size: int = DEFAULT_BATCH_SIZE, max_file_mb: float = DEFAULT_MAX_FILE_MB) -> dict:
    """Turn every raw text under raw_dir into the articles, entities, quotes and rejects tables."""
    logger = get_run_logger()
    raw, out = Path(raw_dir), Path(out_dir)
    started = datetime.now(timezone.utc)
    files = discover_raw(raw)
    logger.info("found %d raw .txt files under %s", len(files), raw)
    run = store.start_run(out)

    ingest = Progress("ingest", len(files))
    counts = {"articles": 0, "rejects": 0}
    for part_no, batch in enumerate(_batched(files, batch_size)):
        done = ingest_batch(run, raw, batch, part_no, int(max_file_mb * 1024 * 1024))
        counts = {k: counts[k] + done[k] for k in counts}
        logger.info(ingest.advance(len(batch)))
    counts["duplicates"] = mark_duplicates(run)

    extract = Progress("extract", counts["articles"])
    extracted = {"extracted": 0, "entities": 0, "quotes": 0}
    for part in sorted(run.table_dir("articles").glob("*.parquet")):
        done = extract_batch(run, part)
        extracted = {k: extracted[k] + done[k] for k in extracted}
        logger.info(extract.advance(done["articles"]))
    counts |= extracted

    run_info = {"run_id": run.run_id, "raw_dir": str(raw.resolve()), "out_dir": str(out.resolve()),
                "started_at": started.isoformat(), "raw_files": len(files), **counts}
    report = validate_run(run, run_info)
    publish_run(run, run_info | {"success": report.success, "finished_at": datetime.now(timezone.utc).isoformat()},
                tables_too=report.success)
    index = out / "validation" / "index.html"
    create_markdown_artifact(key="newspipe-validation", description="Validation report of the run",
                             markdown=_report_markdown(run_info, report, index))
    for warning in report.warnings:
        logger.warning("expectation warning: %s", warning)
    if not report.success:
        raise ValidationFailed(f"{report.failed_critical[0]} (and {len(report.failed_critical) - 1} more); "
                               f"tables not published; report: {index}")
    logger.info("wrote %s articles, %s entities, %s quotes, %s rejects to %s; report: %s",
                counts["articles"], counts["entities"], counts["quotes"], counts["rejects"], out, index)
    return run_info


def _batched(items: list, size: int):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _report_markdown(run_info: dict, report, index: Path) -> str:
    lines = [f"# newspipe run {run_info['run_id']}: {'passed' if report.success else 'FAILED'}", "",
             f"Report: [{index}](file://{index.resolve()})", "", "| count | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in run_info.items() if isinstance(v, int)]
    lines += [f"- critical: {m}" for m in report.failed_critical] + [f"- warning: {m}" for m in report.warnings]
    return "\n".join(lines)
