"""The report's key figures for the Prefect UI: a markdown summary and the checks as table rows
(flows/reporting.py makes them artifacts of the flow run). Text from the tables is escaped:
the UI renders the markdown."""
from html import escape
import re

from report import figures, svg
from report.data import ReportData

_MARKDOWN = re.compile(r"([\\`*_\[\]|#])")    # characters markdown would read as markup
TOP_SPEAKERS = 5


def markdown_summary(data: ReportData, report_uri: str) -> str:
    """Did it work and what came in: outcome, counts, files, phases, failures, top speakers."""
    state = data.state
    files = ", ".join(f"{status} {state[f'files_{status}']:,}" for status in ("new", "changed", "unchanged", "deleted"))
    rejects = ", ".join(f"{_md(reason)} {n:,}" for reason, n in figures.counts(data.tables["rejects"], "reason"))
    phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in data.phases)
    speakers = ", ".join(f"{_md(row['speaker'])} ({row['quotes']})"
                         for row in figures.top_speakers(data.tables["quotes"], TOP_SPEAKERS).iter_rows(named=True))
    lines = [f"# newspipe run {state['run_id']}: {'passed' if data.success else 'FAILED'}", "",
             f"[Run report]({report_uri})", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {svg.number(state[key])} |" for key in ("articles", "entities", "quotes", "rejects",
                                                                   "duplicates", "extracted")]
    lines += ["", f"- files: {files}", f"- rejects: {rejects or 'none'}", f"- phases: {phases}",
              f"- most quoted: {speakers or 'nobody'}", ""]
    lines += [f"- **critical**: {_md(line)}" for line in data.summary.get("failed_critical", [])]
    lines += [f"- warning: {_md(line)}" for line in data.summary.get("warnings", [])]
    return "\n".join(lines)


def check_rows(data: ReportData) -> list[dict]:
    """One row per expectation: suite, expectation, severity, outcome, unexpected rows, why."""
    return [{"suite": suite, "expectation": outcome["type"], "column": outcome["column"] or "",
             "severity": outcome["severity"],
             "outcome": "passed" if outcome["success"] else "error" if outcome["error"] else "failed",
             "unexpected": outcome["unexpected_count"], "why": outcome["why"]}
            for suite, outcome in data.expectations()]


def _md(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", escape(str(text), quote=False)).replace("\n", " ")
