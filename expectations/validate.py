"""Run the expectation suites on a run's tables and write the Data Docs site and summary.json.

Great Expectations is imported inside `_run_suites` only (called by `validate_tables` and
`validate_parts`): the import costs seconds, and nothing else in the pipeline needs it.
"""
import json
import os
import pathlib
import shutil
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

from expectations import checks
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
                   run_info: dict) -> ValidationReport:
    """validate_tables for tables stored as Parquet parts (each table's files in row order):
    the same facts and report, with one part's rows and text in memory at a time."""
    return _validate_facts(facts_of_parts(parts), report_dir, run_info)


def facts_of_parts(parts: dict[str, list[pathlib.Path]]) -> dict[str, pl.DataFrame]:
    """checks.table_facts of the tables the parts make up, part by part: the facts of a part need
    only the rows of the other tables with the same article ids (looked up by id, so whatever
    part holds them), and the ids and paths of all articles. Bodies and mentions of the whole
    corpus are never in memory at once; the facts (ids, lengths, flags) are. A table whose parts
    do not all have the contract's schema is read whole (checks.conform mends it there)."""
    schemas = {t: [pl.scan_parquet(p, glob=False).collect_schema() for p in files] for t, files in parts.items()}
    if any(not found or any(s != found[0] for s in found) or not _conforms(found[0], checks.POLARS_SCHEMAS[t])
           for t, found in schemas.items()):
        return checks.table_facts({t: pl.concat([pl.read_parquet(p, glob=False) for p in files], how="vertical")
                                   if files else pl.DataFrame() for t, files in parts.items()})
    scans = {t: pl.scan_parquet(files, glob=False) for t, files in parts.items()}
    keys = scans["articles"].select("article_id", "source_path").collect()

    def rows_of(table: str, ids: pl.Series, *columns: str) -> pl.DataFrame:
        wanted = pl.col("article_id").is_in(ids.implode())
        if ids.len():       # a range first: the parts are sorted by article_id, so their
            wanted = pl.col("article_id").is_between(pl.lit(ids.min()), pl.lit(ids.max())) & wanted   # statistics skip the rest
        return scans[table].select(columns).filter(wanted).collect()

    facts: dict[str, list[pl.DataFrame]] = {name: [] for name in SUITE_NAMES if name != "schema"}
    for path in parts["articles"]:
        articles = pl.read_parquet(path, glob=False)
        ids = articles["article_id"].drop_nulls().unique()
        facts["articles"].append(checks.article_facts(articles, rows_of("entities", ids, "article_id"),
                                                      rows_of("quotes", ids, "article_id"), keys["article_id"]))
    for path in parts["entities"]:
        entities = pl.read_parquet(path, glob=False)
        ids = entities["article_id"].drop_nulls().unique()
        facts["entities"].append(checks.entity_facts(entities, rows_of("articles", ids, "article_id", "title", "body")))
    for path in parts["quotes"]:
        quotes = pl.read_parquet(path, glob=False)
        ids = quotes["article_id"].drop_nulls().unique()
        facts["quotes"].append(checks.quote_facts(quotes, rows_of("entities", ids, "article_id", "entity_id", "name"),
                                                  rows_of("articles", ids, "article_id", "title", "body")))
    for path in parts["rejects"]:
        facts["rejects"].append(checks.reject_facts(pl.read_parquet(path, glob=False), keys))
    empty = {t: pl.DataFrame(schema=found[0]) for t, found in schemas.items()}
    return {"schema": checks.schema_facts(empty)} | {name: pl.concat(frames, how="vertical")
                                                   for name, frames in facts.items()}


def _conforms(actual: pl.Schema, expected: pl.Schema) -> bool:
    return all(actual.get(column) == dtype for column, dtype in expected.items())


def _validate_facts(facts: dict[str, pl.DataFrame], report_dir: pathlib.Path,
                    run_info: dict) -> ValidationReport:
    report_dir = pathlib.Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    with _GX_LOCK:
        results = _run_suites(facts, report_dir, run_info)
    suites = {
        name: {"rows": facts[name].height,
               "expectations": [_outcome(result, facts[name], checks.ROW_KEYS[name])
                                for result in results[name]]}
        for name in SUITE_NAMES
    }
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


def _run_suites(facts: dict[str, pl.DataFrame], report_dir: pathlib.Path,
                run_info: dict) -> dict[str, list]:
    """Validate each facts frame with its suite, one after the other, in a throwaway in-memory
    GX context whose only Data Docs site is report_dir; return each suite's expectation results."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig, InMemoryStoreBackendDefaults, ProgressBarsConfig)
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration)

    context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
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
    source = context.data_sources.add_pandas("newspipe")
    run_id = RunIdentifier(run_name=gx_run_name(run_info), run_time=run_time(run_info))
    run_notes = "Run info:\n\n" + "\n".join(
        f"- **{key}**: `{value}`" for key, value in run_info.items())
    results = {}
    for name in SUITE_NAMES:
        stored = load_suite(name)
        # Built one by one so that a bad entry raises here; ExpectationSuite(expectations=...)
        # would only log it and drop the expectation.
        expectations = [
            ExpectationConfiguration(**entry, notes=f"{entry['meta']['severity']}: "
                                                    f"{entry['meta']['why']}").to_domain_obj()
            for entry in stored["expectations"]
        ]
        suite = context.suites.add(gx.ExpectationSuite(
            name=stored["name"], expectations=expectations, notes=run_notes))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))
        results[name] = definition.run(
            batch_parameters={"dataframe": facts[name].to_pandas()},
            expectation_parameters=SUITE_PARAMETERS,
            # Row positions, not GX's unexpected_index_column_names: GX looks those up row by
            # row for every failing row (30 s for 300,000), while _outcome looks up the few kept.
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES_KEPT},
            run_id=run_id,
        ).results
    # Pages of an earlier run in the same folder would otherwise linger beside this run's.
    for stale in ("validations", "expectations"):
        shutil.rmtree(report_dir / stale, ignore_errors=True)
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    return results


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
