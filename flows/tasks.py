"""Prefect tasks: each moves one batch of paths or one staged table; the work is in transforms/."""
from dataclasses import dataclass
from datetime import datetime, timezone
import json
from pathlib import Path

import polars as pl
import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows import store
from flows.planning import Plan, make_plan
from transforms import changes, corpus_lines, duplicates, ids, schemas
from transforms.frames import empty_frame, to_frame
from transforms.ingest import DECODED, apply_duplicates, clean_frames, decode_frames, reject_row
from transforms.lang import SUPPORTED_FOR_EXTRACTION

ARTICLE_KEYS = ["article_id", "source_path", "content_hash", "lang"]
TEXTS = ["article_id", "title", "body"]             # all that extraction reads of an article


@task(cache_policy=NO_CACHE)
def discover_raw(raw_dir: Path) -> list[store.RawFile]:
    """The visible raw files, sorted, so batches and ids do not depend on the file system's order."""
    return store.discover(raw_dir)


@task(cache_policy=NO_CACHE)
def plan_changes(raw_dir: Path, out_dir: Path, files: list[store.RawFile], options: dict, full: bool) -> Plan:
    """Compare the raw files with the published manifest (see planning.make_plan)."""
    return make_plan(raw_dir, out_dir, files, options, full)


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def read_batch(run: store.Run, raw_dir: Path, files: list[store.RawFile], part_no: int, max_bytes: int,
               scan_lines: bool = True) -> dict:
    """Read and decode one batch: stage the texts for cleaning, their short lines for the
    corpus-wide counts (unless they are counted already), and the files that cannot be read."""
    items, rejects = [], []
    for f in files:
        if f.size > max_bytes:
            rejects.append(reject_row(f.source_path, "too_large",
                                      f"{f.size:,} bytes is over the limit of {max_bytes:,} (--max-file-mb)", f.size))
            continue
        try:
            raw = store.read_raw(raw_dir, f.source_path)
        except OSError as err:
            rejects.append(reject_row(f.source_path, "unreadable", f"{type(err).__name__}: {err}", f.size))
            continue
        items.append((f.source_path, raw))
    texts, more_rejects = decode_frames(items)   # a decoded text carries its raw_sha256 to clean_batch
    undecodable = set(more_rejects["source_path"])
    hashes = {path: ids.raw_sha256(raw) for path, raw in items if path in undecodable}
    rejects_frame = pl.concat([to_frame(rejects, schemas.REJECTS), more_rejects])
    name = f"part-{part_no:05d}.parquet"
    store.write_part(texts, DECODED, run.texts_dir / name)
    if scan_lines:
        scanned = [row for path, text in zip(texts["source_path"], texts["text"])
                   for row in corpus_lines.scan_rows(path, text)]
        store.write_part(corpus_lines.scanned_frame(scanned), corpus_lines.SCANNED, run.delta_dir("_lines") / name)
    store.write_part(rejects_frame, schemas.REJECTS, run.delta_dir("rejects") / f"read-{name}")
    outcomes = changes.outcomes(rejects_frame["source_path"].to_list(), hashes, rejects_frame)
    store.write_part(outcomes, changes.OUTCOMES, run.delta_dir("_state") / f"read-{name}")
    return {"files": len(files), "texts": texts.height, "rejects": rejects_frame.height}


@task(cache_policy=NO_CACHE)
def count_lines(run: store.Run, plan: Plan) -> Plan:
    """Corpus-wide counts of the short lines: the published counts of the carried files plus
    the lines of the files read now. Carried files holding a line whose count crossed the
    threshold come back marked to be cleaned again."""
    fresh = store.scan_parts(store.parquet_files(run.delta_dir("_lines")), corpus_lines.SCANNED.names,
                             corpus_lines.SCANNED).collect()
    carried_paths = plan.with_status(changes.UNCHANGED, changes.TOUCHED)["source_path"]
    if plan.previous:
        old_lines = (plan.previous.state_table(store.LINES_FILE, corpus_lines.LINES)
                     .filter(pl.col("source_path").is_in(carried_paths.implode())).collect())
        old_frequent = plan.previous.state_table(store.FREQUENT_FILE, corpus_lines.FREQUENT).collect()
    else:
        old_lines, old_frequent = empty_frame(corpus_lines.LINES), empty_frame(corpus_lines.FREQUENT)
    lines = pl.concat([old_lines, fresh.select(corpus_lines.LINES.names)]).sort("source_path", "line_key")
    frequent = corpus_lines.frequent_lines(lines, pl.concat([fresh.select("line_key", "line"),
                                                             old_frequent.select("line_key", "line")]))
    store.write_part(lines, corpus_lines.LINES, run.state_path(store.LINES_FILE), sorted_by="source_path",
                     durable=True)
    store.write_part(frequent, corpus_lines.FREQUENT, run.state_path(store.FREQUENT_FILE), sorted_by="line_key",
                     durable=True)
    again = corpus_lines.files_to_reclean(old_lines, corpus_lines.crossed(old_frequent, frequent)) \
        if plan.previous else []
    return plan.with_recleaned(again)


@task(cache_policy=NO_CACHE)
def clean_batch(run: store.Run, part: Path) -> dict:
    """Clean one staged batch of texts with the corpus-wide line counts; write its articles,
    rejects, body signatures and what became of each file."""
    frequent = pl.read_parquet(run.state_path(store.FREQUENT_FILE), glob=False)
    texts = pl.read_parquet(part, glob=False)
    articles, rejects = clean_frames(texts, datetime.now(timezone.utc), corpus_lines.seen_in(frequent))
    signatures = duplicates.signatures_frame(articles)
    outcomes = changes.outcomes(texts["source_path"].to_list(), dict(zip(texts["source_path"], texts["raw_sha256"])),
                                rejects)
    store.write_part(articles, schemas.ARTICLES, run.delta_dir("articles") / part.name)
    store.write_part(rejects, schemas.REJECTS, run.delta_dir("rejects") / f"clean-{part.name}")
    store.write_part(signatures, duplicates.SIGNATURES, run.delta_dir("_signatures") / part.name)
    store.write_part(outcomes, changes.OUTCOMES, run.delta_dir("_state") / f"clean-{part.name}")
    return {"files": texts.height, "articles": articles.height, "rejects": rejects.height}


@task(cache_policy=NO_CACHE)
def resolve_duplicates(run: store.Run, plan: Plan, batch_size: int) -> tuple[changes.Merge, int]:
    """Corpus-wide duplicates, exact and near, over carried and new articles (new bodies are
    compared with the published ones); stage the articles to extract in batches (new
    originals, and carried copies whose original changed or went away), except those a killed
    run already extracted. Returns the merge and how many were reused."""
    fresh_parts = store.parquet_files(run.delta_dir("articles"))
    fresh = store.scan_parts(fresh_parts, ARTICLE_KEYS, schemas.ARTICLES).collect()
    carried_paths = plan.with_status(changes.UNCHANGED, changes.TOUCHED)["source_path"]
    old_parts = store.parquet_files(plan.previous.table_dir("articles")) if plan.previous else []
    carried = (store.scan_parts(old_parts, [*ARTICLE_KEYS, "duplicate_of"], schemas.ARTICLES)
               .filter(pl.col("source_path").is_in(carried_paths.implode())).collect())
    pairs = _near_pairs(run, plan, carried["content_hash"])
    merge = changes.plan_merge(plan.files, carried, fresh, sorted(SUPPORTED_FOR_EXTRACTION), pairs)
    from_fresh = merge.extract.filter(merge.extract.is_in(fresh["article_id"].implode()))
    sources = [(pl.scan_parquet(p, glob=False).select(TEXTS), from_fresh) for p in fresh_parts]
    promoted = merge.extract.filter(~merge.extract.is_in(fresh["article_id"].implode()))
    if promoted.len():                                  # carried copies whose original changed or went
        sources.append((store.scan_parts(old_parts, TEXTS, schemas.ARTICLES), promoted))
    salvaged = _reuse_salvaged(run, plan.fingerprint, sources)
    _stage_for_extraction(run, sources, salvaged, batch_size)
    return merge, salvaged.height


def _near_pairs(run: store.Run, plan: Plan, carried_hashes: pl.Series) -> pl.DataFrame:
    """The near-copy pairs of the new version's bodies: the published pairs between carried
    bodies, and the new bodies against all. Signatures and pairs go into the new state."""
    fresh = store.scan_parts(store.parquet_files(run.delta_dir("_signatures")), duplicates.SIGNATURES.names,
                             duplicates.SIGNATURES).collect()
    if plan.previous:
        kept = carried_hashes.unique().implode()
        known = (plan.previous.state_table(store.SIGNATURES_FILE, duplicates.SIGNATURES)
                 .filter(pl.col("content_hash").is_in(kept)).collect())
        old_pairs = (plan.previous.state_table(store.NEAR_PAIRS_FILE, duplicates.NEAR_PAIRS)
                     .filter(pl.col("content_hash").is_in(kept) & pl.col("other_hash").is_in(kept)).collect())
    else:
        known, old_pairs = empty_frame(duplicates.SIGNATURES), empty_frame(duplicates.NEAR_PAIRS)
    pairs = (pl.concat([old_pairs, duplicates.near_pairs(fresh, known)])
             .unique(["content_hash", "other_hash"], keep="first").sort("content_hash", "other_hash"))
    signatures = pl.concat([known, fresh]).unique("content_hash", keep="first").sort("content_hash")
    store.write_part(signatures, duplicates.SIGNATURES, run.state_path(store.SIGNATURES_FILE),
                     sorted_by="content_hash", durable=True)
    store.write_part(pairs, duplicates.NEAR_PAIRS, run.state_path(store.NEAR_PAIRS_FILE),
                     sorted_by="content_hash", durable=True)
    return pairs


def _reuse_salvaged(run: store.Run, fingerprint: dict, sources) -> pl.DataFrame:
    """Entities and quotes that killed runs finished for exactly these texts go into this run's
    rows; returns the articles reused. Extraction is a function of (article_id, title, body)."""
    parts = store.salvaged_extractions(run, fingerprint)
    if not parts or not sources:
        return pl.DataFrame(schema={"article_id": pl.String})
    done = pl.concat([pl.read_parquet(a, glob=False).select(TEXTS).with_columns(pl.lit(i).alias("salvage"))
                      for i, (a, _, _) in enumerate(parts)]).unique("article_id", keep="first", maintain_order=True)
    wanted = pl.concat([source.filter(pl.col("article_id").is_in(article_ids.implode())).collect()
                        for source, article_ids in sources])
    reused = wanted.join(done, on=TEXTS, how="inner", nulls_equal=True).select("article_id", "salvage")
    for table in ("entities", "quotes"):
        rows = [pl.read_parquet(part[1 if table == "entities" else 2], glob=False).filter(
                    pl.col("article_id").is_in(reused.filter(pl.col("salvage") == i)["article_id"].implode()))
                for i, part in enumerate(parts)]
        store.write_part(pl.concat(rows), schemas.TABLES[table], run.delta_dir(table) / "salvaged.parquet")
    return reused.select("article_id")


def _stage_for_extraction(run: store.Run, sources: list[tuple[pl.LazyFrame, pl.Series]], salvaged: pl.DataFrame,
                          batch_size: int) -> None:
    """The wanted articles of each source not salvaged, staged in parts of batch_size for extract_batch."""
    schema = pa.schema([schemas.ARTICLES.field(c) for c in TEXTS])
    pending, part_no = empty_frame(schema), 0
    for n, (source, wanted) in enumerate(sources, start=1):
        todo = wanted.filter(~wanted.is_in(salvaged["article_id"].implode()))
        pending = pl.concat([pending, source.filter(pl.col("article_id").is_in(todo.implode())).collect()])
        while pending.height >= batch_size or (n == len(sources) and pending.height):
            store.write_part(pending.head(batch_size), schema, run.staging / "to_extract" / f"part-{part_no:05d}.parquet")
            pending, part_no = pending.slice(batch_size), part_no + 1


@task(cache_policy=NO_CACHE)
def extract_batch(run: store.Run, part: Path) -> dict:
    """Entities and quotes of one staged batch of articles (resolve_duplicates chose them), on
    this machine's worker pool."""
    from flows.workers import extract_articles   # spaCy costs seconds to import: a run with
                                                 # nothing to extract never pays for it
    articles = pl.read_parquet(part, glob=False)
    entities, quotes = extract_articles(articles)
    return write_extraction(run, part, articles.height, entities, quotes)


@dataclass(frozen=True)
class Extraction:
    """What a Dask worker sends back for one batch: its rows, and who made them (for the log)."""
    entities: pl.DataFrame
    quotes: pl.DataFrame
    worker: str


@task(cache_policy=NO_CACHE, task_run_name="extract {batch}")
def extract_texts(articles: pl.DataFrame, batch: str) -> Extraction:
    """Entities and quotes of one batch on a Dask worker (flows/cluster.py). The texts come
    with the call and the rows go back, so the worker needs neither the raw files nor OUT;
    it extracts in its own process (no pool), with the model it loaded once."""
    from distributed import get_worker

    from flows.workers import extract_articles

    entities, quotes = extract_articles(articles, processes=1)
    return Extraction(entities, quotes, get_worker().address)


def write_extraction(run: store.Run, part: Path, articles: int, entities: pl.DataFrame, quotes: pl.DataFrame) -> dict:
    """The rows of the staged batch `part` (quotes last: a killed run's batch counts as done
    for the next run only once its quotes exist); returns the batch's counts."""
    part_no = int(part.stem.split("-")[1])
    store.write_part(entities, schemas.ENTITIES, run.delta_part("entities", part_no))
    store.write_part(quotes, schemas.QUOTES, run.delta_part("quotes", part_no))
    return {"articles": articles, "entities": entities.height, "quotes": quotes.height}


@task(cache_policy=NO_CACHE)
def assemble_version(run: store.Run, plan: Plan, merge: changes.Merge) -> dict:
    """The new version's tables: parts no change reaches are hard-linked from the published
    version, the others rebuilt from their kept rows and this run's rows, sorted."""
    n_articles = merge.carried_articles + store.row_count(run.delta_dir("articles"))
    bits = changes.part_bits(n_articles)
    old_bits = plan.previous.state.get("part_bits") if plan.previous else None
    previous = plan.previous
    copies = merge.duplicates
    rebuilt = {
        "articles": _assemble(run, "articles", previous, old_bits, bits, "article_id", merge.dropped_articles,
                              merge.relinked, lambda rows: apply_duplicates(rows, copies)),
        "entities": _assemble(run, "entities", previous, old_bits, bits, "article_id", merge.dropped_extraction),
        "quotes": _assemble(run, "quotes", previous, old_bits, bits, "article_id", merge.dropped_extraction),
        "rejects": _assemble(run, "rejects", previous, 0, 0, "source_path", merge.dropped_paths),
    }
    seen = store.scan_parts(store.parquet_files(run.delta_dir("_state")), changes.OUTCOMES.names, changes.OUTCOMES)
    manifest = changes.next_manifest(plan.files, seen.collect())
    totals = {t: store.row_count(run.table_dir(t)) for t in schemas.TABLES}
    return {"part_bits": bits, "manifest": manifest, "totals": totals,
            "parts_rewritten": sum(r["written"] for r in rebuilt.values()),
            "parts_linked": sum(r["linked"] for r in rebuilt.values())}


def _assemble(run: store.Run, table: str, previous: store.Published | None, old_bits: int | None, bits: int,
              key: str, dropped: pl.Series, touched: pl.Series | None = None, finish=None) -> dict:
    """Rebuild one table part by part; `dropped` keys lose their old rows, `touched` keys keep
    them but `finish` rewrites them (duplicate_of), this run's rows are added."""
    schema = schemas.TABLES[table]
    by_part = store.spill_by_part(store.parquet_files(run.delta_dir(table)), schema, changes.part_of(key, bits),
                                  run.staging / "by_part" / table)
    old_dir = previous.table_dir(table) if previous else None
    old_parts = store.parts_by_number(old_dir) if old_dir else {}
    reach = pl.concat([dropped, touched]) if touched is not None else dropped
    reached = set(reach.to_frame(key).select(changes.part_of(key, bits)).to_series().to_list())
    same_layout = old_bits == bits
    parts = set(by_part) | reached | (set(old_parts) if same_layout else set(range(1 << bits)) if old_parts else set())
    written = linked = 0
    for part_no in sorted(parts):
        target = run.table_dir(table) / store.part_name(part_no, run.run_id)
        if same_layout and part_no in old_parts and part_no not in reached and part_no not in by_part:
            store.link_into(old_parts[part_no], run.table_dir(table) / old_parts[part_no].name)
            linked += 1
            continue
        if same_layout:
            old_rows = pl.read_parquet(old_parts[part_no], glob=False) if part_no in old_parts else empty_frame(schema)
        else:
            old_rows = _old_rows_in_part(old_dir, schema, key, part_no, bits) if old_parts else empty_frame(schema)
        rows = pl.concat([old_rows.filter(~pl.col(key).is_in(dropped.implode())),
                          *(store.read_spill(p) for p in by_part.get(part_no, []))])
        rows = changes.sort_rows(table, finish(rows) if finish else rows)
        if rows.height:
            store.write_part(rows, schema, target, row_group_rows=store.ROW_GROUP_ROWS[table],
                             sorted_by=key, durable=True)
            written += 1
    if not store.parquet_files(run.table_dir(table)):     # a table with no rows still shows its columns
        old_empty = [p for p in store.parquet_files(old_dir) if not p.name.startswith("part-")] if old_dir else []
        if old_empty:
            store.link_into(old_empty[0], run.table_dir(table) / old_empty[0].name)
            linked += 1
        else:
            store.write_part(empty_frame(schema), schema, run.table_dir(table) / store.empty_part_name(run.run_id),
                             durable=True)
            written += 1
    return {"written": written, "linked": linked}


def _old_rows_in_part(old_dir: Path, schema, key: str, part_no: int, bits: int) -> pl.DataFrame:
    """The published rows that fall in `part_no` under a new part layout: a range of ids, so the
    row-group statistics skip the rest."""
    low, high = changes.part_range(part_no, bits)
    frame = store.scan_parts(store.parquet_files(old_dir), schema.names, schema)
    if low is not None:
        frame = frame.filter(pl.col(key) >= low)
    if high is not None:
        frame = frame.filter(pl.col(key) < high)
    return frame.collect()


@task(cache_policy=NO_CACHE)
def validate_run(run: store.Run, run_info: dict):
    """Run the expectation suites on the new version's tables; the report goes into the version."""
    from expectations.validate import validate_parts   # imports Great Expectations: seconds

    parts = {t: store.parquet_files(run.table_dir(t)) for t in schemas.TABLES}
    return validate_parts(parts, run.version / "validation", run_info)


@task(cache_policy=NO_CACHE)
def carry_validation(run: store.Run, previous: store.Published):
    """Tables and suites as published: the published report still holds, no need to validate."""
    from expectations.validate import ValidationReport

    store.carry_report(previous.path / "validation", run.version / "validation")
    summary = json.loads((run.version / "validation" / "summary.json").read_text(encoding="utf-8"))
    return ValidationReport(success=summary["success"], failed_critical=summary["failed_critical"],
                            warnings=summary["warnings"], summary_path=run.version / "validation" / "summary.json",
                            index_path=run.version / "validation" / "index.html")


@task(cache_policy=NO_CACHE)
def publish_run(run: store.Run, state: dict, manifest: pl.DataFrame, tables_too: bool) -> None:
    """Switch OUT to the new version (tables, report and state at once), or show only the
    report of a failed run; then remove the staging and versions no reader needs."""
    store.write_state(run, state, manifest, changes.MANIFEST)
    store.publish(run, tables_too)
    store.discard(run)
