"""The key figures for the Prefect UI: markdown with the outcome, counts and failures, the table
text escaped; one row per expectation."""
from report.summary import check_rows, markdown_summary
from tests.report_sample import HOSTILE, sample


def test_the_summary_gives_the_outcome_the_counts_and_the_failures():
    text = markdown_summary(sample(success=False), "file:///out/report.html")
    assert text.splitlines()[0] == "# newspipe run 20261204T140221Z-3328ad: FAILED"
    assert "[Run report](file:///out/report.html)" in text and "| articles | 3 |" in text
    assert "- **critical**: articles: planted" in text and "Ann Lee (2)" in text
    assert "- files: new 3, changed 1, unchanged 1, deleted 1" in text and "- rejects: binary 1" in text


def test_text_from_the_tables_cannot_become_markup():
    text = markdown_summary(sample(success=False), "file:///out/report.html")
    assert HOSTILE not in text and "<script" not in text and "&lt;script&gt;" in text


def test_one_row_per_expectation():
    rows = check_rows(sample(success=False))
    assert [(r["suite"], r["expectation"], r["outcome"]) for r in rows] == [
        ("articles", "expect_column_values_to_be_between", "failed"),
        ("articles", "expect_column_mean_to_be_between", "passed")]
