"""Prefect tasks: each loads its inputs from the table store (flows/tables.py), calls a pure
function (transforms/, flows/steps.py, flows/layout.py) and stores what it returns."""
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import checksums, layout, steps, store
from flows.planning import Plan, make_plan
from flows.state import AssembledVersion, RunInfo, RunOptions, RunState, TableTotals
from flows.tables import TO_EXTRACT, TableStore
from transforms import changes, schemas
from transforms.frames import empty_frame
from transforms.lang import SUPPORTED_FOR_EXTRACTION

ARTICLE_KEYS = ["article_id", "source_path", "content_hash", "lang"]


@task(cache_policy=NO_CACHE)
def discover_raw(raw_dir: Path) -> list[store.RawFile]:
    """The visible raw files, sorted, so batches and ids do not depend on the file system's order."""
    return store.discover(raw_dir)


@task(cache_policy=NO_CACHE)
def plan_changes(raw_dir: Path, out_dir: Path, files: list[store.RawFile], options: RunOptions, full: bool) -> Plan:
    """Compare the raw files with the published manifest (see planning.make_plan). A damaged
    published version is named file by file: it is rebuilt, never carried over."""
    plan = make_plan(raw_dir, out_dir, files, options, full)
    for damaged in plan.damaged:
        get_run_logger().warning("damaged in the published version of %s: %s", out_dir, damaged)
    return plan


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def read_batch(tables: TableStore, raw_dir: Path, files: list[store.RawFile], part_no: int, max_bytes: int,
               scan_lines: bool = True) -> int:
    """Read and decode one batch: stage the texts for cleaning, their short lines for the
    corpus-wide counts (unless they are counted already), the files that cannot be read, and
    the size and mtime of what was read. Returns the number of files."""
    found = store.read_raw_files(raw_dir, files, max_bytes)
    for gone in found.gone:
        get_run_logger().warning("raw file %s was deleted after the run listed it: it is left out (no row, not in "
                                 "the manifest)", gone)
    batch = steps.decode_batch([(r.source_path, r.data) for r in found.read], found.unread, scan_lines)
    name = f"part-{part_no:05d}.parquet"
    tables.write_delta("_reads", steps.reads_frame(found.read, found.gone), f"read-{name}")
    tables.write_texts(name, batch.texts)
    if batch.lines is not None:
        tables.write_delta("_lines", batch.lines, name)
    tables.write_delta("rejects", batch.rejects, f"read-{name}")
    tables.write_delta("_state", batch.outcomes, f"read-{name}")
    return len(files)


@task(cache_policy=NO_CACHE)
def count_lines(tables: TableStore, plan: Plan) -> Plan:
    """Corpus-wide counts of the short lines: the published counts of the carried files plus
    the lines of the files read now. Carried files holding a line whose count crossed the
    threshold come back marked to be cleaned again."""
    carried = (tables.published_statistic(store.LINES_FILE)
               .filter(pl.col("source_path").is_in(plan.carried_paths().implode())).collect())
    counts = steps.count_lines(tables.scan_delta("_lines").collect(), carried,
                               tables.published_statistic(store.FREQUENT_FILE).collect(), plan.previous is not None)
    tables.write_statistic(store.LINES_FILE, counts.lines)
    tables.write_statistic(store.FREQUENT_FILE, counts.frequent)
    return plan.with_recleaned(counts.reclean)


@task(cache_policy=NO_CACHE)
def clean_batch(tables: TableStore, part: Path) -> int:
    """Clean one staged batch of texts with the corpus-wide line counts; write its articles,
    rejects, body signatures and what became of each file. Returns the number of texts."""
    texts = tables.read_part(part)
    cleaned = steps.clean_batch(texts, tables.read_statistic(store.FREQUENT_FILE), datetime.now(timezone.utc))
    tables.write_delta("articles", cleaned.articles, part.name)
    tables.write_delta("rejects", cleaned.rejects, f"clean-{part.name}")
    tables.write_delta("_signatures", cleaned.signatures, part.name)
    tables.write_delta("_state", cleaned.outcomes, f"clean-{part.name}")
    return texts.height


@task(cache_policy=NO_CACHE)
def find_duplicates(tables: TableStore, plan: Plan) -> changes.Merge:
    """Corpus-wide duplicates, exact and near, over carried and new articles (new bodies are
    compared with the published ones): which articles to extract, which published rows go."""
    fresh = tables.scan_delta("articles", ARTICLE_KEYS).collect()
    carried = (tables.published_rows("articles", [*ARTICLE_KEYS, "duplicate_of"])
               .filter(pl.col("source_path").is_in(plan.carried_paths().implode())).collect())
    kept = carried["content_hash"].unique().implode()
    signatures, pairs = steps.near_copies(
        tables.scan_delta("_signatures").collect(),
        tables.published_statistic(store.SIGNATURES_FILE).filter(pl.col("content_hash").is_in(kept)).collect(),
        tables.published_statistic(store.NEAR_PAIRS_FILE)
        .filter(pl.col("content_hash").is_in(kept) & pl.col("other_hash").is_in(kept)).collect())
    tables.write_statistic(store.SIGNATURES_FILE, signatures)
    tables.write_statistic(store.NEAR_PAIRS_FILE, pairs)
    return changes.plan_merge(plan.files, carried, fresh, sorted(SUPPORTED_FOR_EXTRACTION), pairs)


@task(cache_policy=NO_CACHE)
def stage_extraction(tables: TableStore, plan: Plan, merge: changes.Merge, batch_size: int) -> int:
    """Stage the articles to extract in batches (new originals, and carried copies whose
    original changed or went away), except those a killed run already extracted: their rows
    are reused. Returns how many were reused."""
    fresh_ids = tables.scan_delta("articles", ["article_id"]).collect()["article_id"].implode()
    sources = [(part, merge.extract.filter(merge.extract.is_in(fresh_ids)))
               for part in tables.scan_delta_by_file("articles", steps.TEXTS)]
    promoted = merge.extract.filter(~merge.extract.is_in(fresh_ids))
    if promoted.len():                                  # carried copies whose original changed or went
        sources.append((tables.published_rows("articles", steps.TEXTS), promoted))
    reused = _reuse_salvaged(tables, plan, sources)
    todo = (source.filter(pl.col("article_id").is_in(wanted.filter(~wanted.is_in(reused.implode())).implode()))
            .collect() for source, wanted in sources)
    for part_no, batch in enumerate(steps.extraction_batches(todo, batch_size, TO_EXTRACT)):
        tables.stage_for_extraction(part_no, batch)
    return reused.len()


def _reuse_salvaged(tables: TableStore, plan: Plan, sources: list[tuple[pl.LazyFrame, pl.Series]]) -> pl.Series:
    """Entities and quotes that killed runs finished for exactly these texts go into this run's
    rows; returns the ids of the articles reused."""
    batches = tables.salvaged(plan.fingerprint)
    if not batches or not sources:
        return pl.Series("article_id", [], dtype=pl.String)
    wanted = pl.concat([source.filter(pl.col("article_id").is_in(ids.implode())).collect() for source, ids in sources])
    reused = steps.reusable([tables.read_part(b.articles) for b in batches], wanted)
    for table in ("entities", "quotes"):
        rows = steps.salvaged_rows([tables.read_part(b.rows(table)) for b in batches], reused)
        tables.write_delta(table, rows, "salvaged.parquet")
    return reused["article_id"]


@task(cache_policy=NO_CACHE)
def extract_batch(tables: TableStore, part: Path) -> int:
    """Entities and quotes of one staged batch of articles, on this machine's worker pool.
    Returns the number of articles."""
    from flows.workers import extract_articles   # spaCy costs seconds to import: a run with
                                                 # nothing to extract never pays for it
    articles = tables.read_part(part)
    entities, quotes = extract_articles(articles)
    tables.write_extraction(part, entities, quotes)
    return articles.height


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


@task(cache_policy=NO_CACHE)
def assemble_version(tables: TableStore, plan: Plan, merge: changes.Merge) -> AssembledVersion:
    """The new version's tables: parts no change reaches are hard-linked from the published
    version, the others rebuilt from their kept rows and this run's rows, sorted."""
    bits = changes.part_bits(merge.carried_articles + tables.count_delta("articles"))
    old_bits = plan.previous.state.part_bits if plan.previous else None
    counts = [_assemble_table(tables, change, old_bits, bits) for change in layout.table_changes(merge)]
    manifest = steps.manifest_as_read(plan.files, tables.scan_delta("_reads").collect(),
                                      tables.scan_delta("_state").collect())
    totals = TableTotals(**{t: tables.count_version(t) for t in schemas.TABLES})
    return AssembledVersion(bits, manifest, totals, parts_rewritten=sum(written for written, _ in counts),
                            parts_carried=sum(carried for _, carried in counts))


def _assemble_table(tables: TableStore, change: layout.TableChange, old_bits: int | None, bits: int) -> tuple[int, int]:
    """One table of the new version, part by part (flows/layout.py decides which part is carried
    and which rebuilt from what). Returns (parts written, parts carried)."""
    old_bits, bits = (old_bits, bits) if change.split else (0, 0)
    fresh = tables.spill_by_part(change.table, changes.part_of(change.key, bits))
    published = tables.published_parts(change.table)
    written = carried = 0
    for step in layout.part_steps(set(published), set(fresh), layout.reached_parts(change, bits), old_bits == bits,
                                  bits):
        if step.carry:
            tables.carry_part(change.table, published[step.part_no])
            carried += 1
            continue
        rows = layout.part_rows(change, _published_rows(tables, change, step, published, bits),
                                tables.read_spilled(fresh.get(step.part_no, [])))
        if rows.height:
            tables.write_version_part(change.table, step.part_no, rows, sorted_by=change.key)
            written += 1
    shown = tables.show_columns(change.table)
    return written + (shown == "written"), carried + (shown == "carried")


def _published_rows(tables: TableStore, change: layout.TableChange, step: layout.PartStep,
                    published: dict[int, Path], bits: int) -> pl.DataFrame:
    """The published rows a rebuilt part starts from (PartStep.published says which)."""
    if step.published == layout.PUBLISHED_PART:
        return tables.read_part(published[step.part_no])
    if step.published == layout.PUBLISHED_RANGE:
        return tables.published_rows_in_range(change.table, change.key, *changes.part_range(step.part_no, bits))
    return empty_frame(schemas.TABLES[change.table])


@task(cache_policy=NO_CACHE)
def validate_run(tables: TableStore, info: RunInfo, reuse_published: bool = True):
    """Run the expectation suites on the new version's tables; the report goes into the version.
    Parts carried from the published version keep the results its report stored for them: only
    the parts this run wrote are validated (expectations/validate.py, `per_part`), unless the
    published version failed its checksums (`reuse_published` False): then every part is."""
    from expectations.validate import validate_parts   # imports Great Expectations: seconds

    published = tables.previous.path / "validation" if tables.previous and reuse_published else None
    return validate_parts(tables.version_parts(), tables.run.report_dir, info.to_json(), published)


@task(cache_policy=NO_CACHE)
def carry_validation(tables: TableStore):
    """Tables and suites as published: the published report still holds, no need to validate."""
    from expectations.validate import read_report

    store.carry_report(tables.previous.path / "validation", tables.run.report_dir)
    return read_report(tables.run.report_dir)


@task(cache_policy=NO_CACHE)
def publish_run(tables: TableStore, state: RunState, manifest: pl.DataFrame, tables_too: bool) -> None:
    """Switch OUT to the new version (tables, report and state at once, with the checksums the
    next run checks them against), or show only the report of a failed run; then remove the
    staging and versions no reader needs."""
    store.write_state(tables.run, state, manifest, changes.MANIFEST)
    if tables_too:
        checksums.record(tables.run.version)
    store.publish(tables.run, tables_too)
    store.discard(tables.run)
