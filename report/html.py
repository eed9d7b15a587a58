"""A run's report as one self-contained HTML page: styles inline, charts inline SVG
(report/svg.py), no script and no request for anything outside the file. Article text is
hostile input: every value goes through `escape`. A failed run's page opens with what failed."""
from datetime import datetime
from html import escape

import polars as pl

from report import figures, svg
from report.data import ReportData

LIST_ROWS = 100          # rows of a list (rejects, copies) shown; the rest are counted
OPEN_ROWS = 10           # a longer list is folded (<details>): one click opens it
TOP_LABELS = 4           # entity labels with a chart of their own
FILE_STATUSES = ("new", "changed", "unchanged", "touched", "deleted", "recleaned")
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:0;
background:#f6f7f9}
header{background:#fff;border-bottom:1px solid #ddd;padding:16px 28px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}h3{font-size:15px;margin:18px 0 6px}
main{padding:8px 28px 40px;max-width:1180px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px 20px;margin:16px 0}
nav a{margin-right:14px}.status{font-weight:600;padding:2px 8px;border-radius:4px}
.passed{background:#e3f3e6;color:#1d6b2f}.failed{background:#fde4e1;color:#a1261b}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-top:12px}
.tile{background:#f0f4f8;border-radius:6px;padding:6px 12px;min-width:90px}
.tile b{display:block;font-size:18px}.grid{display:flex;flex-wrap:wrap;gap:8px 32px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid #e4e4e4;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
summary{cursor:pointer;margin:6px 0}tr[data-outcome=failed]>td:first-child{color:#a1261b;font-weight:600}
tr[data-outcome=error]>td:first-child{color:#a15c00;font-weight:600}
.muted,.none{color:#777}.quote{max-width:520px}svg.chart{display:block;margin:4px 0 10px}
"""


def render_report(data: ReportData) -> str:
    """The whole page."""
    sections = [_run(data), _checks(data), _cleaning(data), _people(data), _over_time(data)]
    if not data.success:
        sections.insert(0, _what_failed(data))
    title = f"newspipe run {data.state['run_id']}"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{STYLE}</style></head>'
            f'<body>{_header(data)}<main>{"".join(sections)}</main></body></html>')


def _header(data: ReportData) -> str:
    state = data.state
    verdict = ('<span class="status passed">passed</span> — the tables were published' if data.success else
               f'<span class="status failed">FAILED</span> — {len(data.failed("critical"))} critical check(s) '
               'failed: the tables were not published, the previous version stays')
    tiles = [("articles", state["articles"]), ("entities", state["entities"]), ("quotes", state["quotes"]),
             ("rejects", state["rejects"]), ("copies", state["duplicates"]), ("files new", state["files_new"]),
             ("files changed", state["files_changed"]), ("files deleted", state["files_deleted"])]
    nav = "".join(f'<a href="#{key}">{name}</a>' for key, name in
                  [("failed", "what failed")] * (not data.success)
                  + [("run", "the run"), ("checks", "checks"), ("cleaning", "cleaning"),
                     ("people", "people and organisations"), ("over-time", "over time")])
    return (f'<header><h1>newspipe run {escape(state["run_id"])}</h1><p>{verdict}</p>'
            f'<p class="muted">{_when(state["started_at"])} · {escape(str(state["raw_dir"]))} → '
            f'{escape(str(state["out_dir"]))}</p><nav>{nav}</nav><div class="tiles">'
            + "".join(f'<div class="tile" data-figure="{escape(key)}"><b>{svg.number(value)}</b>{escape(key)}</div>'
                      for key, value in tiles) + "</div></header>")


def _what_failed(data: ReportData) -> str:
    items = "".join(f"<h3>{escape(_check_name(suite, outcome))}</h3><p>{escape(outcome['why'])}</p>"
                    f"<p>{_failure_size(outcome)} · {_suite_link(data, suite)}</p>{_examples(outcome)}"
                    for suite, outcome in data.failed("critical"))
    return _section("failed", "What failed", items)


def _run(data: ReportData) -> str:
    state = data.state
    how = (f"all files processed: {escape(state['full_reason'])}" if state["full_reason"]
           else "incremental: only new and changed files processed")
    files = [(status, state[f"files_{status}"]) for status in FILE_STATUSES]
    rejects, copies = data.tables["rejects"], figures.copies(data.tables["articles"])
    body = (f"<p>Started {_when(state['started_at'])}, validated {_when(state['finished_at'])}; "
            f"{svg.number(state['raw_files'])} raw files; {how}.</p>"
            f"<h3>Duration per phase</h3>{svg.bar_chart('phases', data.phases, ' s')}"
            f"<h3>Raw files against the published run</h3>{svg.bar_chart('files', files)}"
            f"<p>{svg.number(state['extracted'])} articles extracted ({svg.number(state['salvaged'])} reused "
            f"from a killed run); {svg.number(state['parts_rewritten'])} parts written, "
            f"{svg.number(state['parts_carried'])} carried over.</p>"
            f"<h3>Rejects by reason</h3>{svg.bar_chart('rejects', figures.counts(rejects, 'reason'))}"
            f"{_list(rejects, ['source_path', 'reason', 'detail'], 'rejected files')}"
            f"<h3>Duplicates: {svg.number(copies.height)} copies "
            f"({svg.number(copies.filter(pl.col('kind') == 'near').height)} near)</h3>"
            f"{_list(copies, ['source_path', 'kind', 'copy_of'], 'copies and what they copy')}")
    return _section("run", "The run", body)


def _checks(data: ReportData) -> str:
    outcomes = data.expectations()
    passed = sum(o["success"] for _, o in outcomes)
    parts = [f"<p>{passed} of {len(outcomes)} expectations met; {len(data.failed('critical'))} critical and "
             f"{len(data.failed('warning'))} warning failed.</p>"]
    for suite, results in data.summary.get("suites", {}).items():
        checks = results["expectations"]
        failed = sum(not o["success"] for o in checks)
        rows = "".join(_check_row(suite, o) for o in sorted(checks, key=lambda o: (o["success"],
                                                                                    o["severity"] != "critical")))
        parts.append(f"<details{' open' * bool(failed)}><summary><b>{escape(suite)}</b>: {len(checks) - failed} of "
                     f"{len(checks)} met, {svg.number(results['rows'])} rows · {_suite_link(data, suite)}</summary>"
                     "<table><tr><th>outcome</th><th>severity</th><th>expectation</th><th>why</th>"
                     f"<th>unexpected</th><th>examples</th></tr>{rows}</table></details>")
    return _section("checks", "Checks", "".join(parts))


def _check_row(suite: str, outcome: dict) -> str:
    state = "passed" if outcome["success"] else "error" if outcome["error"] else "failed"
    return (f'<tr data-suite="{escape(suite)}" data-outcome="{state}"><td>{state}</td>'
            f"<td>{escape(outcome['severity'])}</td><td>{escape(_check_name(None, outcome))}</td>"
            f"<td>{escape(outcome['why'])}</td><td>{'' if outcome['success'] else _failure_size(outcome)}</td>"
            f"<td>{_examples(outcome)}</td></tr>")


def _cleaning(data: ReportData) -> str:
    articles = data.tables["articles"]
    dropped = figures.lines_dropped(articles)
    shortest = figures.shortest_bodies(articles).with_columns(
        pl.format("{}%", (pl.col("body_share") * 100).round(1)).alias("body_share"))
    body = (f"<h3>Lines dropped by reason</h3><p>{svg.number(dropped['lines'].sum())} page lines dropped or moved "
            f"to metadata, from {svg.number(articles.filter(pl.col('lines_dropped_by').list.len() > 0).height)} "
            f"of {svg.number(articles.height)} articles.</p>"
            f"{svg.bar_chart('lines-dropped', list(dropped.head(20).select('reason', 'lines').iter_rows()))}"
            f"<h3>Languages</h3>{svg.bar_chart('languages', figures.counts(articles, 'lang'))}"
            f"<h3>Words per article</h3>{svg.histogram('word-counts', figures.histogram(articles['word_count']))}"
            "<h3>Shortest bodies for their page</h3><p class=\"muted\">Body characters per byte of the raw file: "
            "the likeliest pages where cleaning cut the article.</p>"
            f"{_table(shortest, ['source_path', 'title', 'body_chars', 'raw_bytes', 'body_share'])}")
    return _section("cleaning", "Cleaning", body)


def _people(data: ReportData) -> str:
    entities, quotes = data.tables["entities"], data.tables["quotes"]
    labels = figures.counts(entities, "label")
    speakers = figures.top_speakers(quotes)
    body = [f"<h3>Entities by label</h3>{svg.bar_chart('entity-labels', labels)}", '<div class="grid">']
    body += [f"<div><h3>Top {escape(label)}</h3>"
             f"{svg.bar_chart(f'top-{label}', figures.top_entities(entities, label), label_width=190, width=520)}</div>"
             for label, _ in labels[:TOP_LABELS]]
    body += ["</div><h3>Most quoted speakers</h3>",
             svg.bar_chart("speakers", list(speakers.select("speaker", "quotes").iter_rows())),
             _table(speakers, ["speaker", "quotes", "articles", "sample"]),
             f"<h3>Quotes by type</h3>{svg.bar_chart('quote-types', figures.counts(quotes, 'quote_type'))}",
             f"<h3>Confidence</h3>{svg.histogram('confidence', figures.confidence_bins(quotes))}"]
    return _section("people", "People and organisations", "".join(body))


def _over_time(data: ReportData) -> str:
    runs = [(datetime.fromisoformat(entry["started_at"]).strftime("%m-%d %H:%M"), entry) for entry in data.history]
    body = ['<p class="muted">The runs the state keeps (published runs; a failed run only in its own report), '
            'oldest first.</p><div class="grid">']
    body += [f"<div><h3>{table} per run</h3>"
             f"{svg.time_series(f'runs-{table}', [(run, entry[table]) for run, entry in runs], 120, 330)}</div>"
             for table in ("articles", "entities", "quotes", "rejects")]
    history = pl.DataFrame(data.history, infer_schema_length=None).with_columns(
        pl.when(pl.col("success")).then(pl.lit("published")).otherwise(pl.lit("FAILED")).alias("outcome"))
    dates = figures.published_dates(data.tables["articles"])
    body += ["</div>", _table(history, ["run_id", "outcome", "seconds", "files_new", "files_changed",
                                        "files_deleted", "articles", "entities", "quotes", "rejects"]),
             "<h3>Articles per publication date</h3>",
             svg.time_series("published", dates) if dates else
             '<p class="none" data-chart="published">no article states its publication date</p>']
    return _section("over-time", "Over time", "".join(body))


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{escape(title)}</h2>{body}</section>'


def _list(frame: pl.DataFrame, columns: list[str], what: str) -> str:
    """A table of the first LIST_ROWS rows and how many more the table holds; folded when long."""
    if frame.is_empty():
        return ""
    more = frame.height - LIST_ROWS
    rest = f'<p class="muted">… and {svg.number(more)} more in the tables.</p>' if more > 0 else ""
    folded = " open" * (frame.height <= OPEN_ROWS)
    return (f"<details{folded}><summary>the {svg.number(frame.height)} {escape(what)}</summary>"
            f"{_table(frame.head(LIST_ROWS), columns)}{rest}</details>")


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    if frame.is_empty():
        return '<p class="none">none</p>'
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in columns)
    rows = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in frame.select(columns).iter_rows())
    return f"<table><tr>{head}</tr>{rows}</table>"


def _cell(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="n">{svg.number(value)}</td>'
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _check_name(suite: str | None, outcome: dict) -> str:
    column = f"({outcome['column']})" if outcome["column"] else ""
    return f"{suite + ': ' if suite else ''}{outcome['type']}{column}"


def _failure_size(outcome: dict) -> str:
    if outcome["error"]:
        return f"could not run: {escape(outcome['error'])}"
    if outcome["unexpected_count"] is None:
        return f"observed {escape(str(outcome['observed_value']))}"
    count = outcome["unexpected_count"]
    return f"failed on {svg.number(count)} row{'' if count == 1 else 's'}"


def _examples(outcome: dict) -> str:
    examples = outcome.get("unexpected_examples") or []
    return _table(pl.DataFrame(examples, infer_schema_length=None), list(examples[0])) if examples else ""


def _suite_link(data: ReportData, suite: str) -> str:
    page = data.suite_pages.get(suite)
    return f'<a href="{escape(page)}">Great Expectations page</a>' if page else "no Great Expectations page"


def _when(iso: str) -> str:
    return escape(datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S %Z"))
