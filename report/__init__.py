"""The run report (OUT/report.html) and its key figures for the Prefect UI: pure functions from
a run's counts, its validation summary and its tables (Polars frames) to an HTML page and
markdown, with no Prefect and no I/O, so each piece is tested on tiny frames.

    data.py       ReportData: what the flow gathers for a report
    figures.py    the figures: counts, histograms, top lists, from the tables' columns (COLUMNS)
    svg.py        charts as inline SVG
    html.py       the page: render_report(ReportData) -> str
    summary.py    the markdown summary and the checks' rows (Prefect artifacts)
    history.py    the entries of the runs the state keeps (OUT/_state/runs.json)

A package of its own beside `expectations/` (which validates the tables and writes the Data Docs
the report links to); flows/reporting.py reads the inputs, writes the file into the version
being published and creates the artifacts.
"""
from report.data import ReportData
from report.html import render_report

__all__ = ["ReportData", "render_report"]
