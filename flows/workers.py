"""A persistent pool of spaCy worker processes for the extraction stage.

Each worker loads the model once and keeps it for every batch of the run; the flow starts the
workers when the run has files to read (they load while the ingest runs) and stops them when
the extraction is done, so their memory is free again for validation. A batch is cut into
chunks of about CHUNK_WORDS words so both cores stay busy to the end of the batch; the chunks
go to the workers as they free up and the rows come back in article order. The main process does not
import spaCy or load the model unless it runs the extraction itself (one usable CPU, or
NEWSPIPE_NLP_WORKERS=0 or 1).

Workers are started with "spawn": a fresh interpreter that imports only models.nlp (spaCy, the
model, the transforms), instead of a fork of the main process with Prefect, Polars and Great
Expectations in it.
"""
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import multiprocessing
import os
import threading

import polars as pl

from models.nlp import extract_chunk, start_worker
from transforms import schemas
from transforms.frames import to_frame

WORKERS_ENV = "NEWSPIPE_NLP_WORKERS"
CHUNK_WORDS = 4000
# The workers load the model at this niceness, yielding the cores to the run's start-up: the
# model is needed only after the ingest, the temporary server and the CLI's imports at once
# (models.nlp._nicer).
LOAD_NICENESS = 10

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def worker_count() -> int:
    """NEWSPIPE_NLP_WORKERS if set, else the CPUs this process may use; 0 or 1 means no pool."""
    value = os.environ.get(WORKERS_ENV)
    if value is None or not value.strip():
        return len(os.sched_getaffinity(0))
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"{WORKERS_ENV}={value!r} is not a number of worker processes; "
                         "set it to 0 (extract in the main process) or a positive integer, or unset it")
    return count


def extract_articles(articles: pl.DataFrame, processes: int | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Entities and quotes of the articles (same rows as `extract_frame`), on the worker pool
    of `processes` (default `worker_count()`); 0 or 1 extracts in this process, as a Dask
    worker does (flows/cluster.py): the same chunks, so the same rows, wherever they run."""
    workers = worker_count() if processes is None else processes
    chunks = list(_chunks(articles, CHUNK_WORDS))
    if workers <= 1 or not chunks:
        results = [extract_chunk(*chunk) for chunk in chunks]
    else:
        pool = _get_pool(workers)
        results = [_result(future) for future in [pool.submit(extract_chunk, *chunk) for chunk in chunks]]
    entity_rows = [row for entities, _ in results for row in entities]
    quote_rows = [row for _, quotes in results for row in quotes]
    return to_frame(entity_rows, schemas.ENTITIES), to_frame(quote_rows, schemas.QUOTES)


def warm_up() -> None:
    """Start the workers now; they load the model in the background (a few seconds) while the
    caller goes on, e.g. with the ingest, so the first batch does not wait for them."""
    workers = worker_count()
    if workers > 1:
        pool = _get_pool(workers)
        for _ in range(workers):   # each submit starts one more process while none is idle
            pool.submit(os.getpid)


def shutdown() -> None:
    """Stop the workers (they are started again on the next `extract_articles`)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != workers:
            if _pool is not None:
                _pool.shutdown(wait=True)
            _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=start_worker, initargs=(True, LOAD_NICENESS))
            _pool_size = workers
        return _pool


def _result(future: Future):
    try:
        return future.result()
    except BrokenProcessPool as err:
        shutdown()
        raise RuntimeError("a spaCy worker process died (its error, if any, is logged above; killed for lack "
                           f"of memory?); the next batch starts new workers; set {WORKERS_ENV}=1 to extract in "
                           "the main process") from err


def _chunks(articles: pl.DataFrame, words_per_chunk: int):
    """(ids, titles, bodies) lists of consecutive articles, about `words_per_chunk` words each."""
    ids_, titles, bodies = (articles[c].to_list() for c in ("article_id", "title", "body"))
    start, words = 0, 0
    for i, body in enumerate(bodies):
        words += len(body.split()) if body else 0
        if words >= words_per_chunk or i == len(bodies) - 1:
            yield ids_[start:i + 1], titles[start:i + 1], bodies[start:i + 1]
            start, words = i + 1, 0
