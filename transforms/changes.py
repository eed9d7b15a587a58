"""What changed since the published run, and where each row lives: pure functions over frames.

A re-run compares the raw files with the manifest of the published version (stat first, hash
only when size or time differ), re-reads only new and changed files, and rebuilds only the
parts their rows fall in. Parts are buckets of the article_id range, so where a row lands and
the order of the rows in a table depend on the rows alone, never on batch sizes or on how
many runs built the table.
"""
from dataclasses import dataclass
import math

import polars as pl
import pyarrow as pa

from transforms import ids
from transforms.frames import to_frame
from transforms.duplicates import duplicate_map

# One row per raw file the published tables account for.
MANIFEST = pa.schema([
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("size", pa.int64(), nullable=False),
    pa.field("mtime_ns", pa.int64(), nullable=False),
    pa.field("raw_sha256", pa.string()),       # null when the file was not read (too_large, unreadable)
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("outcome", pa.string(), nullable=False),   # 'article' | 'reject'
    pa.field("reason", pa.string()),           # the reject reason
])

# What became of each file read in a run; joined with its stat it becomes its manifest row.
OUTCOMES = pa.schema([MANIFEST.field(name) for name in ("source_path", "raw_sha256", "article_id", "outcome", "reason")])

# Statuses of a raw file against the manifest.
UNCHANGED = "unchanged"   # same size and mtime: not read
TOUCHED = "touched"       # size or mtime differ but the bytes hash the same: not processed again
CHANGED = "changed"
NEW = "new"
DELETED = "deleted"
CHECK = "check"           # size or mtime differ: hash to decide between touched and changed
RECLEANED = "recleaned"   # unchanged, but holds a line whose corpus-wide count crossed the threshold
READ = (CHANGED, NEW, RECLEANED)          # read and cleaned in this run
REPLACED = (CHANGED, DELETED, RECLEANED)  # their published rows go

ARTICLES_PER_PART = 1000
MAX_PART_BITS = 16        # article ids are hex; their first four digits choose the part
# Clocks and file systems with coarse mtimes: a file written this close before the previous
# scan may have changed again within the same mtime tick, so it is hashed once more.
RACY_WINDOW_NS = 2_000_000_000
_FIELD_RANK = pl.when(pl.element().struct.field("field") == "title").then(0).otherwise(1)


def compare_files(current: pl.DataFrame, manifest: pl.DataFrame, previous_scan_ns: int) -> pl.DataFrame:
    """Each raw file (source_path, size, mtime_ns) with its status against the manifest and the
    manifest's row as prev_* columns; files only in the manifest come back as deleted."""
    prev = manifest.select(pl.all().name.prefix("prev_")).rename({"prev_source_path": "source_path"})
    joined = current.join(prev, on="source_path", how="full", coalesce=True)
    same_stat = (pl.col("size") == pl.col("prev_size")) & (pl.col("mtime_ns") == pl.col("prev_mtime_ns"))
    racy = pl.col("prev_mtime_ns") >= previous_scan_ns - RACY_WINDOW_NS
    retry = pl.col("prev_reason") == "unreadable"          # a read error may have been fixed
    status = (
        pl.when(pl.col("prev_size").is_null()).then(pl.lit(NEW))
        .when(pl.col("size").is_null()).then(pl.lit(DELETED))
        .when(retry).then(pl.lit(CHANGED))
        .when(same_stat & ~racy).then(pl.lit(UNCHANGED))
        .when(pl.col("prev_raw_sha256").is_null()).then(pl.lit(CHANGED))   # never read: re-ingest, no hash to compare
        .otherwise(pl.lit(CHECK))
    )
    return joined.with_columns(status.alias("status")).sort("source_path")


def settle_checked(files: pl.DataFrame, hashes: dict[str, str | None]) -> pl.DataFrame:
    """Checked files become touched (same bytes) or changed, given the hash of their bytes now."""
    sha = pl.col("source_path").replace_strict(hashes, default=None, return_dtype=pl.String)
    return files.with_columns(
        pl.when(pl.col("status") != CHECK).then(pl.col("status"))
        .when(sha.is_not_null() & (sha == pl.col("prev_raw_sha256"))).then(pl.lit(TOUCHED))
        .otherwise(pl.lit(CHANGED)).alias("status"))


def status_counts(files: pl.DataFrame) -> dict[str, int]:
    counts = dict(files.group_by("status").len().iter_rows())
    return {s: counts.get(s, 0) for s in (UNCHANGED, TOUCHED, CHANGED, NEW, DELETED, RECLEANED)}


def mark_recleaned(files: pl.DataFrame, source_paths: list[str]) -> pl.DataFrame:
    """Carried files to clean again because the corpus-wide count of one of their lines crossed
    the threshold (transforms/corpus_lines.py): they are read again like changed files."""
    again = pl.col("source_path").is_in(pl.Series(source_paths, dtype=pl.String).implode())
    return files.with_columns(
        pl.when(again & pl.col("status").is_in([UNCHANGED, TOUCHED])).then(pl.lit(RECLEANED))
        .otherwise(pl.col("status")).alias("status"))


def carried_manifest(files: pl.DataFrame) -> pl.DataFrame:
    """Manifest rows of the files that are not processed again, with their stat of this run."""
    return (files.filter(pl.col("status").is_in([UNCHANGED, TOUCHED]))
            .select("source_path", "size", "mtime_ns", *(pl.col(f"prev_{c}").alias(c) for c in MANIFEST.names[3:])))


def part_bits(n_articles: int) -> int:
    """How many leading bits of the article_id choose a row's part: parts of about
    ARTICLES_PER_PART articles, so one changed article rewrites one part of each table."""
    if n_articles <= ARTICLES_PER_PART:
        return 0
    return min(MAX_PART_BITS, math.ceil(math.log2(n_articles / ARTICLES_PER_PART)))


def part_of(column: str, bits: int) -> pl.Expr:
    """The part number of each row: the top `bits` bits of its (hex) id."""
    if bits == 0:
        return pl.repeat(0, pl.len(), dtype=pl.Int64).alias("part")
    top = pl.col(column).str.slice(0, 4).str.to_integer(base=16, dtype=pl.Int64)
    return (top // (1 << (MAX_PART_BITS - bits))).alias("part")


def sort_rows(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The one row order of each table: by article, then by where the row sits in the article."""
    if table == "articles":
        return frame.sort("article_id")
    if table == "entities":
        first = pl.col("mentions").list.eval(_FIELD_RANK * (1 << 31) + pl.element().struct.field("start")).list.min()
        return frame.sort(pl.col("article_id"), first, pl.col("entity_id"))
    if table == "quotes":
        rank = pl.when(pl.col("field") == "title").then(0).otherwise(1)
        return frame.sort(pl.col("article_id"), rank, pl.col("start"), pl.col("end"), pl.col("quote_id"))
    if table == "rejects":
        return frame.sort("source_path")
    raise ValueError(f"no row order for table {table!r}")


@dataclass(frozen=True)
class Merge:
    """How the published tables and this run's rows combine into the new version."""
    duplicates: pl.DataFrame        # article_id -> duplicate_of, duplicate_kind: every copy in the new version
    extract: pl.Series              # article ids to extract in this run
    dropped_articles: pl.Series     # article ids whose published article rows go (file changed or deleted)
    relinked: pl.Series             # carried article ids whose duplicate_of changes
    dropped_extraction: pl.Series   # article ids whose published entities and quotes go
    dropped_paths: pl.Series        # source paths whose published reject rows go
    carried_articles: int


def plan_merge(files: pl.DataFrame, carried: pl.DataFrame, fresh: pl.DataFrame, languages: list[str],
               near_pairs: pl.DataFrame | None = None) -> Merge:
    """Duplicates are corpus-wide: a changed or deleted file can turn a carried copy into an
    original (it is extracted now) or a carried original into a copy (its rows go).

    files: compare_files' frame after settle_checked; carried: article_id, source_path,
    content_hash, lang, duplicate_of of the articles kept as published; fresh: article_id,
    source_path, content_hash, lang of the files read in this run; near_pairs: the near-copy
    pairs of the bodies of both (duplicates.NEAR_PAIRS).
    """
    keys = ["article_id", "source_path", "content_hash"]
    duplicates = duplicate_map(pl.concat([carried.select(keys), fresh.select(keys)]), near_pairs)
    now = duplicates.select("article_id", pl.col("duplicate_of").alias("duplicate_of_now"))
    carried = carried.join(now, on="article_id", how="left")
    fresh = fresh.join(now, on="article_id", how="left")
    original_now, was_original = pl.col("duplicate_of_now").is_null(), pl.col("duplicate_of").is_null()
    supported = pl.col("lang").is_in(languages)
    gone = files.filter(pl.col("status").is_in(REPLACED))
    dropped_ids = gone["prev_article_id"].drop_nulls()
    became_copies = carried.filter(was_original & ~original_now)["article_id"]
    return Merge(
        duplicates=duplicates.sort("article_id"),
        extract=pl.concat([fresh.filter(original_now & supported)["article_id"],
                           carried.filter(original_now & ~was_original & supported)["article_id"]]).sort(),
        dropped_articles=dropped_ids,
        relinked=carried.filter(pl.col("duplicate_of_now").ne_missing(pl.col("duplicate_of")))["article_id"],
        dropped_extraction=pl.concat([dropped_ids, became_copies]),
        dropped_paths=gone["source_path"],
        carried_articles=carried.height,
    )


def outcomes(source_paths: list[str], hashes: dict[str, str], rejects: pl.DataFrame) -> pl.DataFrame:
    """What became of each file read in a batch: an article or a reject (with its reason)."""
    reasons = dict(zip(rejects["source_path"], rejects["reason"], strict=True))
    return to_frame([{"source_path": p, "raw_sha256": hashes.get(p), "article_id": ids.article_id(p),
                      "outcome": "reject" if p in reasons else "article", "reason": reasons.get(p)}
                     for p in source_paths], OUTCOMES)


def next_manifest(files: pl.DataFrame, seen: pl.DataFrame) -> pl.DataFrame:
    """The manifest of the new version: carried files as they were (with this run's stat), the
    files read in this run with their outcome."""
    read = files.filter(pl.col("status").is_in(READ)).select("source_path", "size", "mtime_ns")
    fresh = read.join(seen, on="source_path", how="left")
    if fresh["outcome"].null_count():
        missing = fresh.filter(pl.col("outcome").is_null())["source_path"].head(3).to_list()
        raise RuntimeError(f"no outcome recorded for {missing}: an ingest batch did not finish")
    return pl.concat([carried_manifest(files), fresh.select(MANIFEST.names)]).sort("source_path")


def part_range(part_no: int, bits: int) -> tuple[str | None, str | None]:
    """The article ids of a part as a range [low, high) of hex prefixes; None where open."""
    shift = MAX_PART_BITS - bits
    low = f"{part_no << shift:04x}" if part_no else None
    high = f"{(part_no + 1) << shift:04x}" if part_no + 1 < (1 << bits) else None
    return low, high
