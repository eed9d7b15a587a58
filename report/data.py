"""What a run's report is made of, gathered by the flow (flows/reporting.py) and handed to the
pure rendering (report/html.py, report/summary.py)."""
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class ReportData:
    state: dict                          # the run's last_run.json (RunState.to_json): counts, times, success
    phases: list[tuple[str, float]]      # (phase, seconds) in the order the run went through them
    summary: dict                        # the validation's summary.json: every expectation's outcome
    suite_pages: dict[str, str]          # suite -> its Great Expectations page, relative to the report
    tables: dict[str, pl.DataFrame]      # the version's tables, the columns report.figures.COLUMNS names
    history: list[dict]                  # report.history entries of the runs kept, this run last

    @property
    def success(self) -> bool:
        return bool(self.state["success"])

    def expectations(self):
        """(suite, outcome) of every expectation, in the suites' order."""
        return [(suite, outcome) for suite, results in self.summary.get("suites", {}).items()
                for outcome in results["expectations"]]

    def failed(self, severity: str) -> list[tuple[str, dict]]:
        return [(suite, o) for suite, o in self.expectations() if not o["success"] and o["severity"] == severity]
