"""Prefect tasks: each moves one batch of paths or one staged table; the work is in transforms/."""
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import store
from flows.workers import extract_articles
from transforms import schemas
from transforms.frames import empty_frame, to_frame
from transforms.ingest import apply_duplicates, duplicate_map, ingest_frames, reject_row
from transforms.lang import SUPPORTED_FOR_EXTRACTION


@task(cache_policy=NO_CACHE)
def discover_raw(raw_dir: Path) -> list[store.RawFile]:
    """The raw *.txt files, sorted, so batches and ids do not depend on the file system's order."""
    return store.discover(raw_dir)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def ingest_batch(run: store.Run, raw_dir: Path, files: list[store.RawFile], part_no: int, max_bytes: int) -> dict:
    """Read, decode and clean one batch; write its articles and rejects parts."""
    items, rejects = [], []
    for f in files:
        if f.size > max_bytes:
            rejects.append(reject_row(f.source_path, "too_large",
                                      f"{f.size:,} bytes is over the limit of {max_bytes:,} (--max-file-mb)", f.size))
            continue
        try:
            items.append((f.source_path, store.read_raw(raw_dir, f.source_path)))
        except OSError as err:
            rejects.append(reject_row(f.source_path, "unreadable", f"{type(err).__name__}: {err}", f.size))
    articles, more_rejects = ingest_frames(items, datetime.now(timezone.utc))
    rejects_frame = pl.concat([to_frame(rejects, schemas.REJECTS), more_rejects])
    store.write_part(articles, schemas.ARTICLES, run.part_path("articles", part_no))
    if rejects_frame.height:
        store.write_part(rejects_frame, schemas.REJECTS, run.part_path("rejects", part_no))
    return {"articles": articles.height, "rejects": rejects_frame.height}


@task(cache_policy=NO_CACHE)
def mark_duplicates(run: store.Run) -> int:
    """Corpus-wide: each copy points at the copy with the smallest source_path."""
    articles_dir = run.table_dir("articles")
    duplicates = duplicate_map(store.scan_table(articles_dir, ["article_id", "source_path", "content_hash"])).collect()
    if duplicates.height:
        for part in sorted(articles_dir.glob("*.parquet")):
            store.write_part(apply_duplicates(pl.read_parquet(part), duplicates), schemas.ARTICLES, part)
    return duplicates.height


@task(cache_policy=NO_CACHE)
def extract_batch(run: store.Run, part: Path) -> dict:
    """Entities and quotes of one articles part: English originals only (copies point to them)."""
    articles = pl.read_parquet(part, columns=["article_id", "title", "body", "duplicate_of", "lang"])
    originals = articles.filter(pl.col("duplicate_of").is_null() & pl.col("lang").is_in(list(SUPPORTED_FOR_EXTRACTION)))
    entities, quotes = extract_articles(originals)
    part_no = int(part.stem.split("-")[1])
    store.write_part(entities, schemas.ENTITIES, run.part_path("entities", part_no))
    store.write_part(quotes, schemas.QUOTES, run.part_path("quotes", part_no))
    return {"articles": articles.height, "extracted": originals.height,
            "entities": entities.height, "quotes": quotes.height}


@task(cache_policy=NO_CACHE)
def validate_run(run: store.Run, run_info: dict):
    """Run the expectation suites on the staged tables; writes the report into staging."""
    from expectations.validate import validate_tables   # imports Great Expectations: seconds

    for table, schema in schemas.TABLES.items():
        store.ensure_nonempty(run, table, empty_frame(schema))
    tables = {t: store.read_table(run.table_dir(t)) for t in schemas.TABLES}
    return validate_tables(tables, run.staging / "validation", run_info)


@task(cache_policy=NO_CACHE)
def publish_run(run: store.Run, manifest: dict, tables_too: bool) -> None:
    """Swap the run into OUT: all tables and the report, or only the report of a failed run."""
    store.write_state(run, "last_run.json", manifest)
    store.publish(run, store.PUBLISHED if tables_too else ("validation",))
    store.discard(run)
