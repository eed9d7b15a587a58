"""A tiny run for the report's tests, its text hostile: tags, quotes and ampersands in titles,
names, quotes, paths and failure examples, as articles scraped from anywhere may hold."""
from datetime import date

import polars as pl

from report import ReportData

HOSTILE = '<script>alert("x")</script>&<img src=http://evil.example/x.png>'


def sample(success: bool = True) -> ReportData:
    state = {"run_id": "20261204T140221Z-3328ad", "raw_dir": "/raw", "out_dir": "/out", "success": success,
             "started_at": "2026-12-04T14:02:21+00:00", "finished_at": "2026-12-04T14:02:51+00:00",
             "raw_files": 5, "full_reason": None, "files_new": 3, "files_changed": 1, "files_unchanged": 1,
             "files_touched": 0, "files_deleted": 1, "files_recleaned": 0, "extracted": 2, "salvaged": 0,
             "duplicates": 1, "near_duplicates": 0, "articles": 3, "entities": 3, "quotes": 3, "rejects": 1,
             "parts_rewritten": 4, "parts_carried": 0}
    return ReportData(state=state, phases=[("read and clean", 1.5), ("extract", 3.25)], summary=_summary(success),
                      suite_pages={"articles": "validation/validations/articles/run-x/t/newspipe-articles.html"},
                      tables=_tables(), history=[state | {"seconds": 30.0}])


def _summary(success: bool) -> dict:
    failing = {"type": "expect_column_values_to_be_between", "column": "word_count", "severity": "critical",
               "why": "planted", "success": success, "unexpected_count": 0 if success else 1, "error": None,
               "unexpected_examples": [] if success else [{"article_id": HOSTILE, "word_count": 900}],
               "observed_value": None}
    warning = failing | {"type": "expect_column_mean_to_be_between", "column": "quote_count", "severity": "warning",
                         "success": True, "unexpected_count": None, "observed_value": 1.0, "unexpected_examples": []}
    return {"success": success, "failed_critical": [] if success else [f"articles: planted {HOSTILE}"],
            "warnings": [], "suites": {"articles": {"rows": 3, "expectations": [failing, warning]}}}


def _tables() -> dict[str, pl.DataFrame]:
    dropped = [[{"reason": "menu", "lines": 4}, {"reason": HOSTILE, "lines": 1}], [{"reason": "menu", "lines": 2}], []]
    articles = pl.DataFrame({
        "article_id": ["a1", "a2", "a3"], "source_path": ["x/1.txt", f"{HOSTILE}.txt", "x/3.txt"],
        "title": [HOSTILE, "Two", "Three"], "lang": ["en", "en", None], "word_count": [120, 480, 480],
        "duplicate_of": [None, None, "a2"], "duplicate_kind": [None, None, "exact"],
        "published": [date(2024, 3, 1), None, date(2024, 3, 4)], "raw_bytes": [1000, 4000, 4000],
        "lines_dropped_by": dropped, "body_chars": [300, 3000, 3000]})
    entities = pl.DataFrame({"article_id": ["a1", "a2", "a2"], "name": [HOSTILE, "Ann Lee", "Acme"],
                             "label": ["PERSON", "PERSON", "ORG"], "entity_key": ["PERSON:x", "PERSON:ann lee", "ORG:acme"]})
    quotes = pl.DataFrame({"article_id": ["a1", "a2", "a2"], "text": [HOSTILE, "We will win.", "soon"],
                           "quote_type": ["direct", "direct", "partial"], "speaker": [HOSTILE, "Ann Lee", "Ann Lee"],
                           "confidence": [0.9, 0.95, 0.4]})
    rejects = pl.DataFrame({"source_path": [HOSTILE], "reason": ["binary"], "detail": [HOSTILE]})
    return {"articles": articles, "entities": entities, "quotes": quotes, "rejects": rejects}
