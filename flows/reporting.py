"""The run report in the flow: gather what report/ renders (the new version's tables, the
validation summary, the runs the state keeps, the time each phase took), write report.html into
the version being published (a failed run's goes with its validation report), and show the key
figures as artifacts of the flow run. The page itself is built in report/, without Prefect."""
from dataclasses import dataclass, field
import json
from pathlib import Path
import time
from urllib.parse import quote

import polars as pl
from prefect import get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows import store
from flows.state import RunState
from flows.tables import TableStore
from report import ReportData, render_report
from report.figures import COLUMNS
from report.history import run_entry, with_run
from report.summary import check_rows, markdown_summary

HISTORY_FILE = "runs.json"      # in _state: report.history's entries of the runs kept


@dataclass
class PhaseClock:
    """Seconds per phase of a run: `lap(name)` closes the phase that ends now."""
    phases: list[tuple[str, float]] = field(default_factory=list)
    last: float = field(default_factory=time.monotonic)

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.phases.append((name, round(now - self.last, 2)))
        self.last = now


@task(cache_policy=NO_CACHE)
def write_report(tables: TableStore, state: RunState, phases: list[tuple[str, float]]) -> ReportData:
    """report.html beside the new version's tables and validation report, and the runs kept
    (with this one) in its state. Returns what the report shows, for the artifacts."""
    started = time.monotonic()
    history = with_run(_published_history(tables.run.out_dir), run_entry(state.to_json()))
    data = ReportData(state=state.to_json(), phases=phases, summary=_summary(tables.run.report_dir),
                      suite_pages=_suite_pages(tables.run.report_dir), tables=_report_tables(tables),
                      history=history)
    _write_atomically(tables.run.version / store.REPORT_FILE, render_report(data))
    _write_atomically(tables.run.state_path(HISTORY_FILE), json.dumps(history, indent=1))
    get_run_logger().info("report written in %.2f s", time.monotonic() - started)
    return data


def publish_artifacts(data: ReportData, report: Path) -> None:
    """The run's summary, its checks and a link to its report, on the flow run's page."""
    uri = report.absolute().as_uri()
    run_id = data.state["run_id"]
    create_markdown_artifact(key="newspipe-run", markdown=markdown_summary(data, uri),
                             description=f"newspipe run {run_id}: key figures")
    create_table_artifact(key="newspipe-checks", table=check_rows(data),
                          description=f"newspipe run {run_id}: every expectation and its outcome")
    create_link_artifact(key="newspipe-report", link=uri, link_text=str(report),
                         description=f"newspipe run {run_id}: the run report (one offline HTML page)")


def _report_tables(tables: TableStore) -> dict[str, pl.DataFrame]:
    """The columns the report reads of each table of the new version."""
    return {table: pl.scan_parquet(files, glob=False).select(COLUMNS[table]).collect()
            for table, files in tables.version_parts().items()}


def _summary(report_dir: Path) -> dict:
    return json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))


def _suite_pages(report_dir: Path) -> dict[str, str]:
    """Each suite's Data Docs page of validation results, as a link from the report beside the
    validation folder (there is one per suite: validation removes the pages of earlier runs)."""
    pages = {}
    for folder in sorted((report_dir / "validations").glob("*/")):
        if found := sorted(folder.rglob("*.html")):
            pages[folder.name] = quote(f"{report_dir.name}/{found[-1].relative_to(report_dir).as_posix()}")
    return pages


def _published_history(out_dir: Path) -> list[dict]:
    """The runs the published version's state keeps; a version from before runs.json was kept
    gives its own run."""
    published = store.published(out_dir)
    if published is None or published.state is None:
        return []
    kept = published.path / "_state" / HISTORY_FILE
    if kept.is_file():
        return json.loads(kept.read_text(encoding="utf-8"))
    return [run_entry(published.state.to_json())]


def _write_atomically(path: Path, text: str) -> None:
    """Whole or not at all: a killed run never leaves half a file where the next one looks."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.rename(path)
