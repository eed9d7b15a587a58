"""The whole flow through Prefect (test harness): every input accounted for, the contract's
columns, duplicates, the report, and the tables joined in DuckDB as an analyst would."""
from datetime import datetime
import json
import os
from types import SimpleNamespace

import duckdb
import polars as pl
import pytest

from tests.corpus import write_articles

pytestmark = pytest.mark.slow

# The columns ../shared/README.md promises every consumer.
CONTRACT = {
    "articles": ["article_id", "source_path", "title", "body", "content_hash", "lang", "word_count", "duplicate_of"],
    "entities": ["article_id", "entity_id", "name", "label", "mention_count", "mentions"],
    "quotes": ["article_id", "quote_id", "text", "quote_type", "speaker", "speaker_mention", "speaker_entity_id",
               "cue", "field", "start", "end", "spans"],
    "rejects": ["source_path", "reason", "detail"],
}


@pytest.fixture
def corpus(seed_corpus):
    return seed_corpus


@pytest.fixture
def out(seed_out):
    return seed_out


def table(out, name):
    return pl.read_parquet(out / name)


def test_every_raw_txt_file_is_an_article_or_a_reject(corpus, out):
    articles, rejects = table(out, "articles"), table(out, "rejects")
    seen = sorted(articles["source_path"].to_list() + rejects["source_path"].to_list())
    assert seen == sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    assert dict(zip(rejects["source_path"], rejects["reason"])) == {
        "empty.txt": "empty", "blank.txt": "blank", "image.txt": "binary", "readme.md": "not_txt"}


def test_tables_have_the_contract_columns(out):
    for name, columns in CONTRACT.items():
        assert set(columns) <= set(table(out, name).columns), name


def test_copies_point_at_the_smallest_path_and_are_not_extracted_twice(out):
    articles = table(out, "articles")
    original = articles.filter(pl.col("source_path") == "a copy.txt")
    copy = articles.filter(pl.col("source_path") == "kz/kazakh.txt")
    assert original["duplicate_of"][0] is None
    assert copy["duplicate_of"][0] == original["article_id"][0]
    assert copy["article_id"][0] not in table(out, "quotes")["article_id"].to_list()
    assert original["article_id"][0] in table(out, "quotes")["article_id"].to_list()


def test_latin1_input_is_decoded(out):
    row = table(out, "articles").filter(pl.col("source_path") == "latin1.txt").row(0, named=True)
    assert "\u00a31.20" in row["body"] and row["encoding"] == "cp1252"


def test_validation_report_and_summary_are_written(out):
    assert (out / "validation" / "index.html").stat().st_size > 0
    summary = json.loads((out / "validation" / "summary.json").read_text())
    assert summary["success"] is True
    assert {"articles", "entities", "quotes"} <= set(summary["suites"])


def test_duckdb_joins_quotes_to_speaker_entities_and_articles(out):
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT e.name AS speaker, e.label, count(*) AS quotes, count(DISTINCT a.article_id) AS articles
        FROM read_parquet('{out}/quotes/**/*.parquet') q
        JOIN read_parquet('{out}/entities/**/*.parquet') e ON q.speaker_entity_id = e.entity_id
        JOIN read_parquet('{out}/articles/**/*.parquet') a ON a.article_id = q.article_id
        GROUP BY ALL ORDER BY quotes DESC, speaker
    """).fetchall()
    assert rows[0][:2] == ("Kassym-Jomart Tokayev", "PERSON")
    assert rows[0][3] == 2      # quoted in both distinct articles
    assert ("Mihra Rittmann", "PERSON", 3, 1) in rows


def test_a_second_run_gives_the_same_tables(corpus, out, tmp_path):
    from flows.pipeline import newspipe_run

    newspipe_run(raw_dir=str(corpus), out_dir=str(tmp_path), batch_size=100)
    for name, key in [("articles", "article_id"), ("entities", "entity_id"), ("quotes", "quote_id")]:
        first = table(out, name).drop("ingested_at", strict=False).sort(key)
        second = table(tmp_path, name).drop("ingested_at", strict=False).sort(key)
        assert first.equals(second), name
    assert not (tmp_path / ".staging").exists()


def test_run_ids_that_read_as_dates_and_folders_named_like_patterns_publish(tmp_path, monkeypatch, prefect_harness):
    """Run ids whose random suffix a date parser misreads (issue 14), in folders whose names
    Polars would take for glob patterns: a fresh run, one with a new file, one with a file gone."""
    from flows import store
    from flows.pipeline import newspipe_run

    raw, out = tmp_path / "raw [x] *?", tmp_path / "out [2024]"
    write_articles(raw, range(2))
    steps = [("3328ad", lambda: None), ("0000ad", lambda: write_articles(raw, [2])),
             ("9999bc", lambda: (raw / "0" / "report-000.txt").unlink())]
    for suffix, change in steps:
        change()
        monkeypatch.setattr(store, "secrets", SimpleNamespace(token_hex=lambda n, s=suffix: s))
        state = newspipe_run(raw_dir=str(raw), out_dir=str(out))

        assert state["run_id"].endswith(f"-{suffix}") and state["success"]
        assert os.readlink(out / "current").endswith(state["run_id"])
        assert sorted(table(out, "articles")["source_path"]) == sorted(p.relative_to(raw).as_posix()
                                                                       for p in raw.rglob("*.txt"))
        summary = json.loads((out / "validation" / "summary.json").read_text(encoding="utf-8"))
        assert summary["success"] and summary["run_info"]["run_id"] == state["run_id"]
        pages = list((out / "validation" / "validations").rglob("*.html"))
        started = datetime.fromisoformat(state["started_at"]).strftime("%Y%m%dT%H%M%S.%fZ")
        assert len(pages) == 5 and {page.parent.name for page in pages} == {started}
        assert state["run_id"].startswith(started[:15])
