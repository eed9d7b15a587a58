"""The pure part of each task: frames in, frames out, composed from transforms/.

A task (flows/tasks.py) loads its inputs from the table store, calls one of these, and stores
what it returns; so each step can be tested on tiny frames without Prefect or files. The part
layout of a new version is in flows/layout.py, the run's decisions in flows/planning.py.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import polars as pl
import pyarrow as pa

from transforms import changes, corpus_lines, duplicates, ids, schemas
from transforms.frames import empty_frame, to_frame
from transforms.ingest import clean_frames, decode_frames, reject_row

TEXTS = ["article_id", "title", "body"]             # all that extraction reads of an article
# Each raw file a run tried to read: the size and mtime of the bytes it read, or gone (deleted
# after the run listed it: nothing of it goes into the tables or the manifest).
READS = pa.schema([pa.field("source_path", pa.string(), nullable=False), pa.field("size", pa.int64()),
                   pa.field("mtime_ns", pa.int64()), pa.field("gone", pa.bool_(), nullable=False)])


@dataclass(frozen=True)
class DecodedBatch:
    """A batch of raw files read: the texts to clean, their short lines, and what became of the
    files that will not be cleaned (rejects and their outcomes)."""
    texts: pl.DataFrame
    lines: pl.DataFrame | None          # None when the lines are counted already
    rejects: pl.DataFrame
    outcomes: pl.DataFrame


@dataclass(frozen=True)
class CleanedBatch:
    articles: pl.DataFrame
    rejects: pl.DataFrame
    signatures: pl.DataFrame            # MinHash signatures of the bodies, for near copies
    outcomes: pl.DataFrame              # what became of each file: an article or a reject


@dataclass(frozen=True)
class LineCounts:
    lines: pl.DataFrame                 # every short line of the corpus, by file
    frequent: pl.DataFrame              # the lines seen in enough stories to be boilerplate
    reclean: list[str]                  # carried files holding a line whose count crossed the threshold


def decode_batch(items: list[tuple[str, bytes]], unread: list[tuple[str, str, str, int]],
                 scan_lines: bool) -> DecodedBatch:
    """Decode the raw bytes (source_path, bytes); `unread` are the (source_path, reason, detail,
    size) of the files that could not be read. A decoded text carries its raw_sha256 to cleaning."""
    texts, undecodable = decode_frames(items)
    failed = set(undecodable["source_path"])
    hashes = {path: ids.raw_sha256(raw) for path, raw in items if path in failed}
    rejects = pl.concat([to_frame([reject_row(*row) for row in unread], schemas.REJECTS), undecodable])
    lines = None
    if scan_lines:
        lines = corpus_lines.scanned_frame([row for path, text in zip(texts["source_path"], texts["text"])
                                            for row in corpus_lines.scan_rows(path, text)])
    return DecodedBatch(texts, lines, rejects, changes.outcomes(rejects["source_path"].to_list(), hashes, rejects))


def reads_frame(read: list, gone: list[str]) -> pl.DataFrame:
    """READS rows of a batch: its files read (store.RawRead) and the files gone before their read."""
    rows = [{"source_path": r.source_path, "size": r.size, "mtime_ns": r.mtime_ns, "gone": False} for r in read]
    rows += [{"source_path": path, "size": None, "mtime_ns": None, "gone": True} for path in gone]
    return to_frame(rows, READS)


def manifest_as_read(files: pl.DataFrame, reads: pl.DataFrame, outcomes: pl.DataFrame) -> pl.DataFrame:
    """The new version's manifest (changes.next_manifest) with the size and mtime of the bytes each
    file had when it was read, not when it was compared, and without the files gone before it."""
    gone = reads.filter(pl.col("gone"))["source_path"].implode()
    read = reads.filter(~pl.col("gone")).select("source_path", pl.col("size").alias("read_size"),
                                                 pl.col("mtime_ns").alias("read_mtime_ns"))
    files = (files.filter(~pl.col("source_path").is_in(gone)).join(read, on="source_path", how="left")
             .with_columns(pl.coalesce("read_size", "size").alias("size"),
                           pl.coalesce("read_mtime_ns", "mtime_ns").alias("mtime_ns"))
             .drop("read_size", "read_mtime_ns"))
    return changes.next_manifest(files, outcomes)


def clean_batch(texts: pl.DataFrame, frequent: pl.DataFrame, ingested_at: datetime) -> CleanedBatch:
    """Clean decoded texts with the corpus-wide line counts."""
    articles, rejects = clean_frames(texts, ingested_at, corpus_lines.seen_in(frequent))
    outcomes = changes.outcomes(texts["source_path"].to_list(), dict(zip(texts["source_path"], texts["raw_sha256"])),
                                rejects)
    return CleanedBatch(articles, rejects, duplicates.signatures_frame(articles), outcomes)


def count_lines(fresh: pl.DataFrame, carried: pl.DataFrame, published_frequent: pl.DataFrame,
                incremental: bool) -> LineCounts:
    """The corpus-wide line counts: the published lines of the carried files (`carried`) with
    the lines read now (`fresh`); on an incremental run, the carried files to clean again."""
    lines = pl.concat([carried, fresh.select(corpus_lines.LINES.names)]).sort("source_path", "line_key")
    frequent = corpus_lines.frequent_lines(lines, pl.concat([fresh.select("line_key", "line"),
                                                             published_frequent.select("line_key", "line")]))
    reclean = corpus_lines.files_to_reclean(carried, corpus_lines.crossed(published_frequent, frequent)) \
        if incremental else []
    return LineCounts(lines, frequent, reclean)


def near_copies(fresh: pl.DataFrame, known: pl.DataFrame, published_pairs: pl.DataFrame) -> tuple[pl.DataFrame,
                                                                                                  pl.DataFrame]:
    """(signatures, pairs) of the new version's bodies: the published signatures and pairs of the
    carried bodies (`known`, `published_pairs`), and the new bodies (`fresh`) against all."""
    pairs = (pl.concat([published_pairs, duplicates.near_pairs(fresh, known)])
             .unique(["content_hash", "other_hash"], keep="first").sort("content_hash", "other_hash"))
    signatures = pl.concat([known, fresh]).unique("content_hash", keep="first").sort("content_hash")
    return signatures, pairs


def reusable(extracted: list[pl.DataFrame], wanted: pl.DataFrame) -> pl.DataFrame:
    """article_id and salvage (the index of its batch in `extracted`) of each wanted article a
    killed run extracted with the same id, title and body: extraction is a function of these."""
    done = pl.concat([batch.select(TEXTS).with_columns(pl.lit(i).alias("salvage"))
                      for i, batch in enumerate(extracted)]).unique("article_id", keep="first", maintain_order=True)
    return wanted.join(done, on=TEXTS, how="inner", nulls_equal=True).select("article_id", "salvage")


def salvaged_rows(rows: list[pl.DataFrame], reused: pl.DataFrame) -> pl.DataFrame:
    """The rows of each salvaged batch (in the order of `extracted` above) of the articles reused from it."""
    return pl.concat([batch.filter(pl.col("article_id").is_in(reused.filter(pl.col("salvage") == i)["article_id"]
                                                              .implode()))
                      for i, batch in enumerate(rows)])


def extraction_batches(articles: Iterable[pl.DataFrame], size: int, schema: pa.Schema) -> Iterator[pl.DataFrame]:
    """The articles of the frames in their order, in batches of `size` (the last may be smaller)."""
    pending = empty_frame(schema)
    for frame in articles:
        pending = pl.concat([pending, frame])
        while pending.height >= size:
            yield pending.head(size)
            pending = pending.slice(size)
    if pending.height:
        yield pending
