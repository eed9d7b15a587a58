"""The report of a real run, opened in headless Chromium with the network off: every section and
chart is there with the run's numbers, and the page requests nothing outside its file; a failed
run's report opens with what failed, with examples. The key figures are artifacts of the flow
run. Screenshots go to tests/artifacts/ (CI keeps them)."""
from collections import Counter
import json
import os
from pathlib import Path

import polars as pl
import pytest

from expectations import validate
from flows.reporting import PhaseClock
from tests import browser

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).parent / "artifacts"
SECTIONS = ["run", "checks", "cleaning", "people", "over-time"]
# What the test reads back from the page: sections, charts' marks, tiles, checks, links, SVG boxes.
FACTS = """(() => {
  const all = (selector, root = document) => [...root.querySelectorAll(selector)];
  return {
    sections: all("main > section").map(s => s.id),
    charts: Object.fromEntries(all("[data-chart]").map(c => [c.dataset.chart,
      all("[data-value]", c).map(m => [m.dataset.label, Number(m.dataset.value)])])),
    tiles: Object.fromEntries(all("[data-figure]").map(t => [t.dataset.figure, t.querySelector("b").textContent])),
    checks: all("#checks tr[data-outcome]").map(r => [r.dataset.suite, r.dataset.outcome]),
    failed: all("#failed h3").map(h => h.textContent),
    failedExamples: all("#failed td").map(td => td.textContent),
    links: all("a[href]").map(a => a.getAttribute("href")).filter(h => !h.startsWith("#")),
    unrenderedCharts: all("svg.chart").filter(s => s.getBoundingClientRect().width === 0).length,
  };
})()"""
PLANTED = {"type": "expect_column_values_to_be_between", "kwargs": {"column": "word_count", "max_value": 100},
           "meta": {"severity": "critical", "why": "Planted by the test: no article over 100 words."}}


@pytest.fixture(scope="module")
def chromium():
    if browser.CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium): the report's browser tests need it")


@pytest.fixture(scope="module")
def failed_out(seed_corpus, tmp_path_factory, prefect_harness):
    """OUT of a first run of the seeds whose validation fails: the planted expectation."""
    from flows.pipeline import ValidationFailed, newspipe_run

    def planted(name):
        suite = load_suite(name)
        return suite | {"expectations": suite["expectations"] + [PLANTED]} if name == "articles" else suite

    load_suite, out = validate.load_suite, tmp_path_factory.mktemp("failed")
    with pytest.MonkeyPatch.context() as patch, pytest.raises(ValidationFailed, match="Planted by the test"):
        patch.setattr(validate, "load_suite", planted)
        newspipe_run(raw_dir=str(seed_corpus), out_dir=str(out), batch_size=3)
    return out


def open_report(out: Path, name: str) -> dict:
    """The report's facts as the browser shows them; the screenshot saved; no request but the page."""
    visit = browser.visit(out / "report.html", FACTS)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"report-{name}.png").write_bytes(visit.screenshot)
    print(f"screenshot: {ARTIFACTS / f'report-{name}.png'}")
    assert visit.requests == [(out / "report.html").absolute().as_uri()]
    assert visit.result["unrenderedCharts"] == 0
    assert all((out / link).is_file() for link in visit.result["links"]) and visit.result["links"]
    return visit.result


def tables(out: Path) -> dict[str, pl.DataFrame]:
    return {t: pl.read_parquet(out / t) for t in ("articles", "entities", "quotes", "rejects")}


def bars(facts: dict, chart: str) -> dict[str, float]:
    return dict(facts["charts"][chart])


def test_the_report_shows_the_runs_numbers_offline(chromium, seed_corpus, seed_out):
    facts, rows = open_report(seed_out, "passed"), tables(seed_out)
    articles, quotes = rows["articles"], rows["quotes"]
    assert facts["sections"] == SECTIONS
    assert {k: int(v) for k, v in facts["tiles"].items() if k in rows} == {t: f.height for t, f in rows.items()}
    assert bars(facts, "rejects") == dict(Counter(rows["rejects"]["reason"]))
    assert bars(facts, "files")["new"] == sum(p.is_file() for p in seed_corpus.rglob("*"))
    assert len(facts["charts"]["phases"]) == 6
    assert sum(bars(facts, "lines-dropped").values()) == articles["lines_dropped"].sum()
    assert bars(facts, "languages") == dict(Counter(articles["lang"].fill_null("unknown")))
    assert sum(bars(facts, "word-counts").values()) == articles.height
    assert bars(facts, "entity-labels") == dict(Counter(rows["entities"]["label"]))
    assert bars(facts, "quote-types") == dict(Counter(quotes["quote_type"]))
    assert sum(bars(facts, "confidence").values()) == quotes["confidence"].count()
    assert next(iter(bars(facts, "speakers"))) == "Kassym-Jomart Tokayev"
    assert facts["charts"]["runs-articles"][-1][1] == articles.height
    summary = json.loads((seed_out / "validation" / "summary.json").read_text(encoding="utf-8"))
    expected = sum(len(s["expectations"]) for s in summary["suites"].values())
    warned = len(summary["warnings"])              # the copy and the short latin1 file
    assert Counter(o for _, o in facts["checks"]) == {"passed": expected - warned, "failed": warned} and warned == 2


def test_a_failed_runs_report_opens_with_what_failed(chromium, failed_out, seed_out):
    facts, published = open_report(failed_out, "failed"), tables(seed_out)      # the same corpus, run once
    assert facts["sections"] == ["failed", *SECTIONS]
    assert facts["failed"] == ["articles: expect_column_values_to_be_between(word_count)"]
    long_ones = published["articles"].filter(pl.col("word_count") > 100)["article_id"]
    assert set(facts["failedExamples"]) & set(long_ones) and ["articles", "failed"] in facts["checks"]
    assert {k: int(v) for k, v in facts["tiles"].items() if k in published} == {t: f.height for t, f in published.items()}
    assert os.readlink(failed_out / "report.html").startswith(".reports/") and not (failed_out / "current").exists()


def test_the_key_figures_are_artifacts_of_the_flow_run(seed_out, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    state = json.loads((seed_out / "_state" / "last_run.json").read_text(encoding="utf-8"))
    run_id = state["run_id"]
    with get_client(sync_client=True) as client:
        summary = next(a for a in client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["newspipe-run"]))) if run_id in a.data)
        of_run = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[summary.flow_run_id])))
    found = {a.key: a for a in of_run}
    assert set(found) == {"newspipe-run", "newspipe-checks", "newspipe-report"}
    assert f"| articles | {state['articles']} |" in summary.data and "passed" in summary.data.splitlines()[0]
    page = seed_out / "report.html"
    assert found["newspipe-report"].data == f"[{page}]({page.absolute().as_uri()})"      # stored as markdown
    checks = json.loads(found["newspipe-checks"].data)
    assert Counter(row["outcome"] for row in checks)["failed"] == 2 and len(checks) > 40


def test_the_clock_gives_each_phase_the_time_since_the_last(monkeypatch):
    ticks = iter([11.5, 14.0])
    monkeypatch.setattr("flows.reporting.time.monotonic", lambda: next(ticks))
    clock = PhaseClock(last=10.0)
    clock.lap("read")
    clock.lap("extract")
    assert clock.phases == [("read", 1.5), ("extract", 2.5)]
