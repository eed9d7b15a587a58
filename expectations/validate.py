"""Run the expectation suites on a run's tables and write the Data Docs site and summary.json.

Great Expectations is imported inside `_run_suites` only (called by `validate_tables` and
`validate_parts`), or ahead of time by `preload`: the import costs seconds, and nothing else in
the pipeline needs it.

A run that carries parts of the published tables validates only the parts it wrote
(`validate_parts` with the published report): see `per_part` for which expectations are run part
by part, with the stored results of the carried parts merged in, and which on the whole table.
"""
import hashlib
import json
import os
import pathlib
import shutil
import threading
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

from expectations import checks, deferred_modules
from transforms.schemas import ENTITY_LABELS, FIELDS, QUOTE_TYPES, REJECT_REASONS

SUITE_DIR = pathlib.Path(__file__).parent
SUITE_NAMES = ("schema", "articles", "entities", "quotes", "rejects")
# The value sets the suites refer to as {"$PARAMETER": name}, so they are declared only once.
SUITE_PARAMETERS = {
    "entity_labels": list(ENTITY_LABELS),
    "quote_types": list(QUOTE_TYPES),
    "fields": list(FIELDS),
    "reject_reasons": list(REJECT_REASONS),
}
EXAMPLES_KEPT = 5
PARTS_DIR = "parts"      # in the report: each part's facts and results, for the runs that carry it
PER_PART_SUITES = ("articles", "entities", "quotes")   # their tables are split in parts by article_id
# Map expectations whose outcome for a row depends on that row's facts alone.
ROW_TYPES = frozenset({"expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
                       "expect_column_values_to_be_between", "expect_column_values_to_be_in_set",
                       "expect_column_values_to_match_regex"})
# Facts computed from the whole table (checks.duplicate_link_holds), never from one part.
WHOLE_TABLE_FACTS = {"articles": ("duplicate_of_is_other_article",)}
EXAMPLES_SHOWN = 3
DATA_DOCS_SITE = "newspipe"

# GX keeps global state (the current context) and is not safe to run concurrently.
_GX_LOCK = threading.Lock()


@dataclass(frozen=True)
class ValidationReport:
    success: bool                # False iff a critical expectation failed
    failed_critical: list[str]   # one line per failed critical expectation
    warnings: list[str]          # one line per failed warning expectation
    summary_path: pathlib.Path
    index_path: pathlib.Path


def preload() -> None:
    """Import Great Expectations now. `newspipe run` calls this in start-up, while Prefect's
    temporary server and the spaCy workers start, not in the validation step (bbc/politics:
    validation 2.0 s shorter). Since the server's start-up was trimmed it is up before the import
    ends (waiting for it then takes 0.01 s), so the import is on start-up's own path; importing
    in a thread during the extraction instead lengthened the extraction as much as it shortened
    start-up (4 alternating pairs: the run's wall time unchanged)."""
    _import_gx()


def _import_gx():
    """Great Expectations, imported without the modules it loads for expectations the suites
    never use (deferred_modules.py), its analytics off and its deprecation notices (nothing a
    user can act on) silenced."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    deferred_modules.defer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import great_expectations

    return great_expectations


def read_report(report_dir: pathlib.Path) -> ValidationReport:
    """The report written into report_dir (its summary.json), as it was when validated: a run
    whose tables and suites are the published ones carries the published report."""
    summary_path = report_dir / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    return ValidationReport(success=summary["success"], failed_critical=summary["failed_critical"],
                            warnings=summary["warnings"], summary_path=summary_path,
                            index_path=report_dir / "index.html")


def load_suite(name: str) -> dict:
    """The suite `name` as stored in expectations/<name>.json."""
    return json.loads((SUITE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def validate_tables(tables: dict[str, pl.DataFrame], report_dir: pathlib.Path,
                    run_info: dict) -> ValidationReport:
    """Validate the four output tables; write report_dir/index.html (GX Data Docs, its other
    pages beside it) and report_dir/summary.json. Fails the run only on critical expectations."""
    return _validate_facts(checks.table_facts(tables), report_dir, run_info)


def validate_parts(parts: dict[str, list[pathlib.Path]], report_dir: pathlib.Path,
                   run_info: dict, published: pathlib.Path | None = None) -> ValidationReport:
    """validate_tables for tables stored as Parquet parts (each table's files in row order):
    the same facts and report, with one part's rows and text in memory at a time.

    `published`: the report of the version the parts were carried from. A part of the articles,
    entities and quotes tables is validated anew only when it, or the part of the same number of
    the other two, was written since: the facts and results the published report stored for
    the others are merged in (see `per_part`). The summary is that of validating every part."""
    schemas = {t: [pl.scan_parquet(p, glob=False).collect_schema() for p in files] for t, files in parts.items()}
    if not _all_conform(schemas):
        return _validate_facts(facts_of_parts(parts), report_dir, run_info)
    units = _units(parts)
    stored = _stored_units(published, units) if published else {}
    fresh = {number: files for number, files in units.items() if number not in stored}
    facts = _facts(parts, [path for files in fresh.values() for path in files.values()])
    empty = {t: pl.DataFrame(schema=found[0]) for t, found in schemas.items()}
    whole = {"schema": checks.schema_facts(empty),
             "rejects": pl.concat([frame for _, frame in facts["rejects"]], how="vertical")}
    no_facts = {"articles": checks.article_facts(empty["articles"], empty["entities"], empty["quotes"]),
                "entities": checks.entity_facts(empty["entities"], empty["articles"]),
                "quotes": checks.quote_facts(empty["quotes"], empty["entities"], empty["articles"])}
    by_unit = {name: {unit: no_facts[name] for unit in fresh} | {_unit_of(path): frame for path, frame in facts[name]}
               for name in PER_PART_SUITES}
    return _validate_by_part(whole, by_unit, stored, units, report_dir, run_info, no_facts)


def facts_of_parts(parts: dict[str, list[pathlib.Path]]) -> dict[str, pl.DataFrame]:
    """checks.table_facts of the tables the parts make up, part by part: the facts of a part need
    only the rows of the other tables with the same article ids (looked up by id, so whatever
    part holds them), and the ids and paths of all articles. Bodies and mentions of the whole
    corpus are never in memory at once; the facts (ids, lengths, flags) are. A table whose parts
    do not all have the contract's schema is read whole (checks.conform mends it there)."""
    schemas = {t: [pl.scan_parquet(p, glob=False).collect_schema() for p in files] for t, files in parts.items()}
    if not _all_conform(schemas):
        return checks.table_facts({t: pl.concat([pl.read_parquet(p, glob=False) for p in files], how="vertical")
                                   if files else pl.DataFrame() for t, files in parts.items()})
    facts = _facts(parts)
    empty = {t: pl.DataFrame(schema=found[0]) for t, found in schemas.items()}
    return {"schema": checks.schema_facts(empty)} | {name: pl.concat([f for _, f in frames], how="vertical")
                                                   for name, frames in facts.items()}


def _all_conform(schemas: dict[str, list[pl.Schema]]) -> bool:
    return not any(not found or any(s != found[0] for s in found) or not _conforms(found[0], checks.POLARS_SCHEMAS[t])
                   for t, found in schemas.items())


def _facts(parts: dict[str, list[pathlib.Path]], only: list[pathlib.Path] | None = None
           ) -> dict[str, list[tuple[pathlib.Path, pl.DataFrame]]]:
    """The facts of each part of the tables (of the parts in `only`, if given; the rejects'
    always), in row order, each with its part's path."""
    chosen = None if only is None else set(only)
    scans = {t: pl.scan_parquet(files, glob=False) for t, files in parts.items()}
    keys = scans["articles"].select("article_id", "source_path").collect()

    def rows_of(table: str, ids: pl.Series, *columns: str) -> pl.DataFrame:
        wanted = pl.col("article_id").is_in(ids.implode())
        if ids.len():       # a range first: the parts are sorted by article_id, so their
            wanted = pl.col("article_id").is_between(pl.lit(ids.min()), pl.lit(ids.max())) & wanted   # statistics skip the rest
        return scans[table].select(columns).filter(wanted).collect()

    def read(table: str) -> list[tuple[pathlib.Path, pl.DataFrame]]:
        return [(path, pl.read_parquet(path, glob=False)) for path in parts[table]
                if chosen is None or path in chosen or table == "rejects"]

    facts: dict[str, list[tuple[pathlib.Path, pl.DataFrame]]] = {name: [] for name in SUITE_NAMES if name != "schema"}
    for path, articles in read("articles"):
        ids = articles["article_id"].drop_nulls().unique()
        facts["articles"].append((path, checks.article_facts(articles, rows_of("entities", ids, "article_id"),
                                                             rows_of("quotes", ids, "article_id"), keys["article_id"])))
    for path, entities in read("entities"):
        ids = entities["article_id"].drop_nulls().unique()
        facts["entities"].append((path, checks.entity_facts(entities,
                                                            rows_of("articles", ids, "article_id", "title", "body"))))
    for path, quotes in read("quotes"):
        ids = quotes["article_id"].drop_nulls().unique()
        facts["quotes"].append((path, checks.quote_facts(quotes,
                                                         rows_of("entities", ids, "article_id", "entity_id", "name"),
                                                         rows_of("articles", ids, "article_id", "title", "body"))))
    for path, rejects in read("rejects"):
        facts["rejects"].append((path, checks.reject_facts(rejects, keys)))
    return facts


def _conforms(actual: pl.Schema, expected: pl.Schema) -> bool:
    return all(actual.get(column) == dtype for column, dtype in expected.items())


def _validate_facts(facts: dict[str, pl.DataFrame], report_dir: pathlib.Path,
                    run_info: dict) -> ValidationReport:
    """Every suite on its whole facts frame, in one GX validation each."""
    jobs = {name: [Job(facts[name], list(range(len(load_suite(name)["expectations"]))))] for name in SUITE_NAMES}
    report_dir = _fresh_dir(report_dir)
    with _GX_LOCK:
        results = _run_suites(jobs, report_dir, run_info)
    suites = {name: {"rows": facts[name].height,
                     "expectations": [_outcome(result, facts[name], checks.ROW_KEYS[name]) for result in results[name]]}
              for name in SUITE_NAMES}
    return _write_summary(suites, report_dir, run_info)


def per_part(suite: str, entry: dict) -> bool:
    """Whether the expectation `entry` of `suite` is run part by part, the carried parts'
    stored results merged in; the others run on the whole table.

    Per part: the map expectations (not null, null, between, in set, regex) without `mostly`, of
    the articles, entities and quotes suites, whose fact a row's own part decides. A row's facts
    need only the rows of the other tables with its article id, and those are in the part of the
    same number (the tables are split by the leading bits of article_id, flows/layout.py), so a
    part's outcome holds while its three files stay; the whole table's unexpected count is the
    sum over the parts, its examples the first over the parts in row order, and it succeeds when
    no part has an unexpected row.

    On the whole table, cheaply (a few columns of every part's facts, the carried parts' stored):
    uniqueness (a copy may sit in another part when an id is wrong, which is what the check is
    for), row counts, means, `mostly` (a share of the whole table) and the facts computed from the
    whole table (duplicate_of names an article of any part). The schema and rejects suites, whose
    facts are about the whole tables (rejects is one part checked against every article's path),
    always run whole."""
    kwargs = entry["kwargs"]
    return (suite in PER_PART_SUITES and entry["type"] in ROW_TYPES and "mostly" not in kwargs
            and kwargs.get("column") not in WHOLE_TABLE_FACTS.get(suite, ()))


@dataclass(frozen=True)
class Job:
    """One GX validation: `expectations` (positions in the suite) on `facts`."""
    facts: pl.DataFrame
    expectations: list[int]
    complete: bool = False     # every unexpected row's position, not the first few (to split by part)


def _split(name: str) -> tuple[list[int], list[int]]:
    """Positions of the suite's expectations run per part and on the whole table."""
    entries = load_suite(name)["expectations"]
    by_part = [i for i, entry in enumerate(entries) if per_part(name, entry)]
    return by_part, [i for i in range(len(entries)) if i not in by_part]


def _thin_columns(name: str) -> list[str]:
    """The facts the whole-table expectations of a suite read, with the row keys (examples)."""
    wanted = list(checks.ROW_KEYS[name])
    for i in _split(name)[1]:
        kwargs = load_suite(name)["expectations"][i]["kwargs"]
        for column in [kwargs.get("column"), *kwargs.get("column_list", [])]:
            if column and column not in wanted:
                wanted.append(column)
    if name == "articles":
        wanted.append("duplicate_of")      # for duplicate_of_is_other_article over the whole table
    return [c for c in dict.fromkeys(wanted) if c not in WHOLE_TABLE_FACTS.get(name, ())]


def _suites_key() -> str:
    """What a stored part's results depend on besides its files: the suites and the facts' code."""
    digest = hashlib.sha256()
    for name in SUITE_NAMES:
        digest.update((SUITE_DIR / f"{name}.json").read_bytes())
    for module in ("checks.py", "validate.py"):
        digest.update((SUITE_DIR / module).read_bytes())
    digest.update(json.dumps(SUITE_PARAMETERS, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def _unit_of(path: pathlib.Path) -> int | str:
    """The part number of a part file (part-NNNNN-<run>.parquet); other files are units of their own."""
    parts = path.name.split("-")
    return int(parts[1]) if parts[0] == "part" and len(parts) > 2 and parts[1].isdigit() else f"file:{path}"


def _units(parts: dict[str, list[pathlib.Path]]) -> dict[int | str, dict[str, pathlib.Path]]:
    """The articles, entities and quotes files of each part number."""
    units: dict[int | str, dict[str, pathlib.Path]] = {}
    for table in PER_PART_SUITES:
        for path in parts[table]:
            units.setdefault(_unit_of(path), {})[table] = path
    return units


def _stored_units(published: pathlib.Path, units: dict) -> dict[int, dict]:
    """The published report's stored facts and results of the parts whose files are the same."""
    stored, key = {}, _suites_key()
    for number, files in units.items():
        if not isinstance(number, int):
            continue
        record = published / PARTS_DIR / f"{number:05d}.json"
        try:
            found = json.loads(record.read_text(encoding="utf-8"))
            if found["key"] != key or found["files"] != {t: p.name for t, p in files.items()}:
                continue
            found["thin"] = {name: pl.read_parquet(published / PARTS_DIR / f"{number:05d}-{name}.parquet", glob=False)
                             for name in PER_PART_SUITES}
        except (OSError, ValueError, KeyError, pl.exceptions.PolarsError):
            continue        # not stored, or damaged: the part is validated again
        stored[number] = found
        found["source"] = published / PARTS_DIR
    return stored


def _validate_by_part(whole: dict[str, pl.DataFrame], fresh: dict[str, dict], stored: dict[int, dict],
                      units: dict, report_dir: pathlib.Path, run_info: dict,
                      no_facts: dict[str, pl.DataFrame]) -> ValidationReport:
    """The suites with the per-part expectations run on the fresh parts' facts only, merged with
    the stored parts' results, and the others on the whole table (see `per_part`)."""
    order = sorted(units, key=lambda u: (isinstance(u, str), u if isinstance(u, int) else 0, str(u)))
    jobs = {name: [Job(whole[name], list(range(len(load_suite(name)["expectations"]))))]
            for name in ("schema", "rejects")}
    for name in PER_PART_SUITES:
        by_part, on_whole = _split(name)
        new = [fresh[name][u] for u in order if u in fresh[name]]
        rows = pl.concat(new, how="vertical") if new else no_facts[name]
        thin = pl.concat([fresh[name][u].select(_thin_columns(name)) if u in fresh[name]
                          else stored[u]["thin"][name] for u in order
                          if u in fresh[name] or u in stored], how="vertical")
        if name == "articles":
            thin = thin.with_columns(duplicate_of_is_other_article=checks.duplicate_link_holds(
                thin["article_id"].implode()))
        jobs[name] = [Job(rows, by_part, complete=True), Job(thin, on_whole)]
    report_dir = _fresh_dir(report_dir)
    _keep_stored(stored, report_dir)
    with _GX_LOCK:
        results = _run_suites(jobs, report_dir, run_info, merge=lambda name, found: _merged(
            name, found, jobs[name], fresh, stored, order, units, report_dir))
    suites = {name: {"rows": whole[name].height, "expectations": [
        _outcome(r, whole[name], checks.ROW_KEYS[name]) for r in results[name]]} for name in ("schema", "rejects")}
    for name in PER_PART_SUITES:
        thin = jobs[name][1].facts
        suites[name] = {"rows": thin.height, "expectations": [
            r.newspipe_outcome if hasattr(r, "newspipe_outcome") else _outcome(r, thin, checks.ROW_KEYS[name])
            for r in results[name]]}
    return _write_summary({name: suites[name] for name in SUITE_NAMES}, report_dir, run_info)


def _merged(name: str, found: list, jobs: list[Job], fresh: dict, stored: dict, order: list, units: dict,
            report_dir: pathlib.Path) -> list:
    """The suite's GX results in suite order: the whole-table ones as run; the per-part ones
    summed over the fresh parts (split by their row positions) and the stored parts, each
    carrying its summary.json outcome. Stores the fresh parts' facts and results for later runs."""
    entries = load_suite(name)["expectations"]
    rows_job, _ = jobs
    by_position = {i: result for job, results in zip(jobs, found) for i, result in zip(job.expectations, results)}
    sizes = [(u, fresh[name][u].height) for u in order if u in fresh[name]]
    partial: dict[int | str, dict[str, dict]] = {u: {} for u, _ in sizes}
    row_keys = checks.ROW_KEYS[name]
    for i in rows_job.expectations:
        result = by_position[i]
        details = result.to_json_dict().get("result") or {}
        positions = sorted(details.get("unexpected_index_list") or [])
        column = entries[i]["kwargs"].get("column")
        checked = [c for c in [column] if c in rows_job.facts.columns and c not in row_keys]
        start = 0
        for unit, size in sizes:
            mine = [p - start for p in positions if start <= p < start + size]
            examples = (fresh[name][unit].select(*row_keys, *checked)[mine[:EXAMPLES_KEPT]].to_dicts()
                        if mine else [])
            partial[unit][str(i)] = {"unexpected_count": len(mine), "examples": examples}
            start += size
    _store_units(name, partial, fresh, units, report_dir)
    merged = []
    for i in range(len(entries)):
        result = by_position[i]
        if i in rows_job.expectations and not _error_message(result.exception_info or {}):
            counted = [partial[u][str(i)] if u in partial else stored[u]["suites"][name][str(i)]
                       for u in order if u in partial or u in stored]
            count = sum(c["unexpected_count"] for c in counted)
            examples = [e for c in counted for e in c["examples"]][:EXAMPLES_KEPT]
            rows = sum(fresh[name][u].height if u in fresh[name] else stored[u]["thin"][name].height
                       for u in order if u in fresh[name] or u in stored)
            result.success = count == 0
            result.result = {"element_count": rows, "unexpected_count": count,
                             "unexpected_percent": 100.0 * count / rows if rows else None,
                             "partial_unexpected_list": [e.get(column) for e in examples
                                                         for column in [entries[i]["kwargs"].get("column")]]}
            result.newspipe_outcome = _outcome_of(result, examples, count)
        merged.append(result)
    return merged


def _outcome_of(result, examples: list[dict], count: int) -> dict:
    """The summary.json entry of a merged per-part result (as `_outcome` gives a whole one)."""
    config = result.expectation_config
    return {"type": config.type,
            "column": config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", [])) or None,
            "severity": config.meta["severity"], "why": config.meta["why"], "success": count == 0,
            "unexpected_count": count, "unexpected_examples": examples, "observed_value": None, "error": None}


def _store_units(name: str, partial: dict, fresh: dict, units: dict, report_dir: pathlib.Path) -> None:
    """Each fresh part's whole-table facts and per-part results, for the runs that carry it."""
    folder = report_dir / PARTS_DIR
    folder.mkdir(exist_ok=True)
    key = _suites_key()
    for unit, results in partial.items():
        if not isinstance(unit, int):
            continue
        fresh[name][unit].select(_thin_columns(name)).write_parquet(folder / f"{unit:05d}-{name}.parquet")
        record = folder / f"{unit:05d}.json"
        found = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {
            "key": key, "files": {t: p.name for t, p in units[unit].items()}, "suites": {}}
        found["suites"][name] = results
        record.write_text(json.dumps(found, default=str), encoding="utf-8")


def _keep_stored(stored: dict[int, dict], report_dir: pathlib.Path) -> None:
    """The stored parts' records, linked into this report for the runs that carry them further."""
    folder = report_dir / PARTS_DIR
    folder.mkdir(exist_ok=True)
    for number, found in stored.items():
        for name in [f"{number:05d}.json", *(f"{number:05d}-{suite}.parquet" for suite in PER_PART_SUITES)]:
            try:
                os.link(found["source"] / name, folder / name)
            except OSError:
                shutil.copyfile(found["source"] / name, folder / name)


def _fresh_dir(report_dir: pathlib.Path) -> pathlib.Path:
    report_dir = pathlib.Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(report_dir / PARTS_DIR, ignore_errors=True)
    return report_dir


def _write_summary(suites: dict, report_dir: pathlib.Path, run_info: dict) -> ValidationReport:
    failed_critical, warnings = [], []
    for name, suite in suites.items():
        for outcome in suite["expectations"]:
            if not outcome["success"]:
                failed = failed_critical if outcome["severity"] == "critical" else warnings
                failed.append(_describe_failure(name, outcome))
        suite["success"] = not any(o["severity"] == "critical" and not o["success"]
                                   for o in suite["expectations"])
    summary_path = report_dir / "summary.json"
    summary = {"run_info": run_info, "success": not failed_critical,
               "failed_critical": failed_critical, "warnings": warnings, "suites": suites}
    summary_path.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    return ValidationReport(success=not failed_critical, failed_critical=failed_critical,
                            warnings=warnings, summary_path=summary_path,
                            index_path=report_dir / "index.html")


def _describe_failure(suite: str, outcome: dict) -> str:
    """One line a user can act on, e.g. `quotes: expect_column_values_to_be_in_set(quote_type)
    failed on 3 rows, e.g. quote_id=ab12 quote_type=aside — quote_type is ...`."""
    check = f"{suite}: {outcome['type']}" + (f"({outcome['column']})" if outcome["column"] else "")
    if outcome["error"]:
        return f"{check} could not run: {outcome['error']}"
    if outcome["unexpected_count"] is None:
        what = f"failed, observed {outcome['observed_value']}"
    else:
        count = outcome["unexpected_count"]
        what = f"failed on {count} row{'' if count == 1 else 's'}"
        examples = outcome["unexpected_examples"][:EXAMPLES_SHOWN]
        if examples:
            what += ", e.g. " + "; ".join(_format_example(e) for e in examples)
    return f"{check} {what} — {outcome['why']}"


def _run_suites(jobs: dict[str, list[Job]], report_dir: pathlib.Path, run_info: dict,
                merge=None) -> dict[str, list]:
    """Validate each suite's facts (its jobs), one suite after the other, in a throwaway
    in-memory GX context whose only Data Docs site is report_dir; return each suite's expectation
    results in suite order. A suite of several jobs has its results merged by
    `merge(name, results of each job)` and is stored as one validation, so its Data Docs page
    is one page as for a suite validated whole."""
    gx = _import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    context = _context(report_dir)
    source = context.data_sources.add_pandas("newspipe")
    run_id = RunIdentifier(run_name=gx_run_name(run_info), run_time=run_time(run_info))
    run_notes = "Run info:\n\n" + "\n".join(
        f"- **{key}**: `{value}`" for key, value in run_info.items())
    results = {}
    for name in SUITE_NAMES:
        stored = load_suite(name)
        entries = stored["expectations"]
        suite = context.suites.add(gx.ExpectationSuite(
            name=stored["name"], expectations=_expectations(entries), notes=run_notes))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        if len(jobs[name]) > 1 or jobs[name][0].expectations != list(range(len(entries))):
            results[name] = _validate_in_jobs(context, batch, stored, jobs[name], run_id,
                                              lambda found, name=name: merge(name, found))
            continue
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        results[name] = _in_suite_order(entries, jobs[name][0].expectations, definition.run(
            batch_parameters={"dataframe": jobs[name][0].facts.to_pandas()}, expectation_parameters=SUITE_PARAMETERS,
            result_format=_result_format(jobs[name][0]), run_id=run_id).results)
    # Pages of an earlier run in the same folder would otherwise linger beside this run's.
    for stale in ("validations", "expectations"):
        shutil.rmtree(report_dir / stale, ignore_errors=True)
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return results


def _context(report_dir: pathlib.Path):
    """A throwaway in-memory GX context whose only Data Docs site is report_dir."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)

    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),  # no temporary docs site
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={DATA_DOCS_SITE: {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(report_dir)},
        }},
    ))


def _expectations(entries: list[dict]) -> list:
    """Built one by one so that a bad entry raises here; ExpectationSuite(expectations=...)
    would only log it and drop the expectation."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    return [ExpectationConfiguration(**entry, notes=f"{entry['meta']['severity']}: "
                                                    f"{entry['meta']['why']}").to_domain_obj()
            for entry in entries]


def _result_format(job: Job) -> dict:
    """Row positions, not GX's unexpected_index_column_names: GX looks those up row by row for
    every failing row (30 s for 300,000), while _outcome looks up the few kept."""
    return {"result_format": "COMPLETE" if job.complete else "SUMMARY", "partial_unexpected_count": EXAMPLES_KEPT}


def _validate_in_jobs(context, batch, stored: dict, jobs: list[Job], run_id, merge) -> list:
    """A suite validated in several GX validations (a part of its expectations each), merged
    and stored as one validation of the whole suite for the Data Docs."""
    import great_expectations as gx
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier, ValidationResultIdentifier)

    entries, found = stored["expectations"], []
    for job in jobs:
        part = gx.ExpectationSuite(name=stored["name"], expectations=_expectations([entries[i] for i in job.expectations]))
        validated = batch.get_batch(batch_parameters={"dataframe": job.facts.to_pandas()}).validate(
            part, result_format=_result_format(job), expectation_parameters=SUITE_PARAMETERS)
        found.append((validated, _in_suite_order(entries, job.expectations, validated.results)))
    merged = merge([results for _, results in found])
    first = found[0][0]
    successful = sum(bool(r.success) for r in merged)
    whole = ExpectationSuiteValidationResult(
        success=successful == len(merged), results=merged, suite_name=stored["name"],
        suite_parameters=first.suite_parameters,
        statistics={"evaluated_expectations": len(merged), "successful_expectations": successful,
                    "unsuccessful_expectations": len(merged) - successful,
                    "success_percent": 100.0 * successful / len(merged) if merged else None},
        meta={**first.meta, "run_id": run_id, "validation_time": run_id.run_time}, batch_id=first.batch_id)
    suite_id = ExpectationSuiteIdentifier(name=stored["name"])
    context.validation_results_store.store_validation_results(
        suite_validation_result=whole, suite_validation_result_identifier=ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=first.batch_id),
        expectation_suite_identifier=suite_id)
    return merged


def _in_suite_order(entries: list[dict], positions: list[int], results: list) -> list:
    """GX's results of the expectations at `positions` of the suite, in that order (GX returns
    them in an order of its own)."""
    def key(entry_type: str, meta: dict) -> tuple[str, str]:
        return entry_type, meta["why"]

    by_key = {key(r.expectation_config.type, r.expectation_config.meta): r for r in results}
    return [by_key[key(entries[i]["type"], entries[i]["meta"])] for i in positions]


def run_time(run_info: dict) -> datetime:
    """The run's start, given to GX so that it never guesses a time from the run's name."""
    started = run_info.get("started_at")
    if isinstance(started, str):
        started = datetime.fromisoformat(started)
    return (started or datetime.now(timezone.utc)).astimezone(timezone.utc)


def gx_run_name(run_info: dict) -> str:
    """`run-<run id>`: GX reads a run name as a date where it can (dateutil, to title its pages),
    and our ids' random suffix can read as a UTC offset: `-3328ad` as 33 h 28 min, which
    crashes it, `-1200ad` as 12 hours. A name that opens with a word is never a date."""
    return f"run-{run_info.get('run_id', 'newspipe')}"


def _outcome(result, facts: pl.DataFrame, row_keys: list[str]) -> dict:
    """The summary.json entry of one GX expectation result; examples are the failing rows' keys
    and checked values, looked up in the facts frame by their position."""
    config = result.expectation_config
    details = result.to_json_dict().get("result") or {}
    checked = [c for c in [config.kwargs.get("column"), *config.kwargs.get("column_list", [])]
               if c in facts.columns and c not in row_keys]
    positions = details.get("partial_unexpected_index_list") or []
    return {
        "type": config.type,
        "column": config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", []))
        or None,
        "severity": config.meta["severity"],
        "why": config.meta["why"],
        "success": bool(result.success),
        "unexpected_count": details.get("unexpected_count"),
        "unexpected_examples": facts.select(*row_keys, *checked)[positions[:EXAMPLES_KEPT]]
        .to_dicts(),
        "observed_value": details.get("observed_value"),
        "error": _error_message(result.exception_info or {}),
    }


def _error_message(exception_info: dict) -> str | None:
    """The first exception GX caught; it keys the info by metric when several were computed."""
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    return next((info["exception_message"] for info in infos if info.get("raised_exception")),
                None)


def _format_example(example: dict) -> str:
    """`entity_id=3f2a label=TIME` from a row example; a failing flag itself says nothing."""
    return " ".join(f"{key}={value}" for key, value in example.items()
                    if not isinstance(value, bool))
