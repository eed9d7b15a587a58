"""The worker pool: same rows as in one process, chunks, settings, a dead worker."""
from datetime import datetime, timezone
import os

import polars as pl
import pytest

from flows import workers
from tests.conftest import EURONEWS_SEED, KAZAKH_SEED
from transforms import schemas
from transforms.extract import extract_frame
from transforms.frames import empty_frame
from transforms.ingest import ingest_frames


@pytest.fixture(scope="module")
def articles():
    frame, _ = ingest_frames([(p.name, p.read_bytes()) for p in (KAZAKH_SEED, EURONEWS_SEED)],
                             datetime.now(timezone.utc))
    return frame


def test_worker_count_from_the_environment(monkeypatch):
    monkeypatch.delenv(workers.WORKERS_ENV, raising=False)
    assert workers.worker_count() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(workers.WORKERS_ENV, "3")
    assert workers.worker_count() == 3
    monkeypatch.setenv(workers.WORKERS_ENV, "two")
    with pytest.raises(ValueError, match="NEWSPIPE_NLP_WORKERS"):
        workers.worker_count()


def test_chunks_cover_every_article_in_order(articles):
    many = pl.concat([articles] * 7).with_row_index().with_columns(pl.col("index").cast(pl.String).alias("article_id"))
    chunks = list(workers._chunks(many, 300))
    assert [i for ids_, _, _ in chunks for i in ids_] == many["article_id"].to_list()
    assert len(chunks) > 2 and all(len(ids_) == len(t) == len(b) for ids_, t, b in chunks)
    assert list(workers._chunks(many.head(0), 300)) == []


def test_pool_gives_the_rows_of_one_process(nlp, quote_filter, articles, monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setattr(workers, "CHUNK_WORDS", 200)   # several chunks for two workers
    try:
        entities, quotes = workers.extract_articles(articles)
    finally:
        workers.shutdown()
    local_entities, local_quotes = extract_frame(articles, nlp, quote_filter)
    assert quotes.height > 0 and entities.height > 0
    assert quotes.equals(local_quotes)
    assert entities.equals(local_entities)


def test_no_articles_no_workers(articles, monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    monkeypatch.setattr(workers, "_get_pool", lambda n: pytest.fail("started workers for nothing"))
    entities, quotes = workers.extract_articles(articles.head(0))
    assert entities.height == quotes.height == 0
    assert entities.schema == empty_frame(schemas.ENTITIES).schema and quotes.schema == empty_frame(schemas.QUOTES).schema


def test_a_dead_worker_gives_an_error_that_says_what_to_do(monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    pool = workers._get_pool(2)
    with pytest.raises(RuntimeError, match="worker process died"):
        workers._result(pool.submit(os._exit, 1))
    assert workers._pool is None   # the next batch starts new workers


def test_warm_up_starts_the_workers_without_waiting(monkeypatch):
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    try:
        workers.warm_up()
        assert len(workers._pool._processes) == 2
    finally:
        workers.shutdown()
