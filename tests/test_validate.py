"""The validation report: a sound run passes, each broken promise of the output contract fails it
with a line naming the check and the row, and distribution oddities only warn."""
import json
import random
import subprocess
import sys

from dateutil.parser import parse as parse_date

import polars as pl
import pyarrow as pa
import pytest

from expectations import checks
from expectations.validate import (SUITE_NAMES, facts_of_parts, gx_run_name, load_suite, validate_parts,
                                   validate_tables)
from transforms import schemas

RUN_INFO = {"run_id": "test-run", "raw_dir": "data/raw", "started_at": "2024-05-01T12:00:00Z"}

TITLE_1 = "Acme grows in Paris"
BODY_1 = 'Mr Smith met Acme Corp in Paris. "We will grow," Smith said after the meeting.'
TITLE_2 = "Rain in Oslo"
BODY_2 = 'It rained in Oslo all day. "It is wet," the Oslo police said, "and cold."'


def offsets(text: str, part: str, nth: int = 0) -> dict:
    """{start, end} of the nth occurrence of part in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return {"start": start, "end": start + len(part)}


def mention(field: str, part: str, nth: int = 0) -> dict:
    text = TITLE_1 if field == "title" else BODY_1
    return {"field": field, **offsets(text, part, nth), "text": part}


def article(article_id: str, path: str, title: str, body: str) -> dict:
    return {"article_id": article_id, "source_path": path, "title": title, "body": body,
            "content_hash": f"hash-{article_id}", "lang": "en", "word_count": 120,
            "duplicate_of": None}


def entity(article_id, entity_id, name, label, mentions) -> dict:
    return {"article_id": article_id, "entity_id": entity_id, "name": name, "label": label,
            "entity_key": f"{label}:{name.lower()}", "mention_count": len(mentions),
            "mentions": mentions}


def good_rows() -> dict[str, list[dict]]:
    """Two articles whose entities and quotes keep every promise of the contract."""
    oslo = {"field": "body", **offsets(BODY_2, "Oslo"), "text": "Oslo"}
    police = {"field": "body", **offsets(BODY_2, "Oslo police"), "text": "Oslo police"}
    return {
        "articles": [article("a1", "biz/001.txt", TITLE_1, BODY_1),
                     article("a2", "news/002.txt", TITLE_2, BODY_2)],
        "entities": [
            entity("a1", "e-smith", "Smith", "PERSON",
                   [mention("body", "Smith"), mention("body", "Smith", nth=1)]),
            entity("a1", "e-acme", "Acme Corp", "ORG",
                   [mention("title", "Acme"), mention("body", "Acme Corp")]),
            entity("a1", "e-paris", "Paris", "GPE",
                   [mention("title", "Paris"), mention("body", "Paris")]),
            entity("a2", "e-oslo", "Oslo", "GPE", [oslo]),
            entity("a2", "e-police", "Oslo police", "ORG", [police]),
        ],
        "quotes": [
            {"article_id": "a1", "quote_id": "q1", "text": "We will grow,",
             "quote_type": "direct", "speaker": "Smith", "speaker_mention": "Smith",
             "speaker_entity_id": "e-smith", "cue": "said", "field": "body",
             **offsets(BODY_1, '"We will grow,"'), "spans": [offsets(BODY_1, "We will grow,")],
             "confidence": 0.9},
            # An interrupted quote: its two segments joined by one space give its text.
            {"article_id": "a2", "quote_id": "q2", "text": "It is wet, and cold.",
             "quote_type": "direct", "speaker": "Oslo police", "speaker_mention": "the Oslo police",
             "speaker_entity_id": "e-police", "cue": "said", "field": "body",
             "start": BODY_2.index('"It'), "end": len(BODY_2),
             "spans": [offsets(BODY_2, "It is wet,"), offsets(BODY_2, "and cold.")],
             "confidence": 0.8},
        ],
        "rejects": [{"source_path": "misc/empty.txt", "reason": "empty", "detail": "0 bytes",
                     "raw_bytes": 0}],
    }


def frames(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    return {table: pl.from_arrow(pa.Table.from_pylist(rows[table], schema=schema))
            for table, schema in schemas.TABLES.items()}


def failures_about(lines: list[str], *words: str) -> list[str]:
    return [line for line in lines if all(word in line for word in words)]


@pytest.fixture(scope="module")
def good_report(tmp_path_factory):
    return validate_tables(frames(good_rows()), tmp_path_factory.mktemp("good"), RUN_INFO)


def test_sound_tables_pass_without_warnings(good_report):
    assert good_report.success
    assert good_report.failed_critical == []
    assert good_report.warnings == []


def test_report_is_a_data_docs_site_with_a_summary(good_report):
    report_dir = good_report.index_path.parent
    assert good_report.index_path.name == "index.html"
    assert "<html" in good_report.index_path.read_text(encoding="utf-8").lower()
    assert {p.stem for p in (report_dir / "expectations").glob("*.html")} == set(SUITE_NAMES)
    assert len(list((report_dir / "validations").rglob("*.html"))) == len(SUITE_NAMES)

    summary = json.loads(good_report.summary_path.read_text(encoding="utf-8"))
    assert summary["run_info"] == RUN_INFO
    assert summary["success"] is True
    for name in SUITE_NAMES:
        outcomes = summary["suites"][name]["expectations"]
        assert len(outcomes) == len(load_suite(name)["expectations"])
        assert all(o["success"] and o["severity"] in ("critical", "warning") for o in outcomes)
    label_check = next(o for o in summary["suites"]["entities"]["expectations"]
                       if o["column"] == "label")
    assert label_check["unexpected_count"] == 0
    assert summary["suites"]["entities"]["rows"] == 5


def broken_rows() -> dict[str, list[dict]]:
    """The sound rows with one defect per test below, each in a row or check of its own, so that
    one GX run serves them all (a run costs about a second of fixed overhead)."""
    rows = good_rows()
    rows["entities"][1]["mentions"][1]["start"] += 1  # e-acme: the offsets give "cme Corp "
    rows["entities"][2]["mentions"][0] = {"field": "title", "start": len(TITLE_1) - 2,
                                          "end": len(TITLE_1) + 3, "text": "is"}  # e-paris
    rows["entities"][3]["label"] = "TIME"  # e-oslo
    rows["quotes"][0]["speaker_entity_id"] = "e-nobody"
    rows["quotes"][1]["speaker_entity_id"] = "e-smith"  # exists, but in article a1, not a2
    rows["quotes"][1]["speaker"] = "Smith"
    rows["quotes"][1]["text"] = "It is wet,and cold."  # segments joined without the space
    rows["quotes"][0]["quote_type"] = "aside"
    rows["articles"].append(article("a1", "copies/003.txt", TITLE_1, BODY_1))
    rows["articles"][1]["duplicate_of"] = "a-gone"                 # ... and no duplicate_kind
    rows["articles"][2]["duplicate_kind"] = "similar"
    rows["rejects"].append({"source_path": "biz/001.txt", "reason": "corrupt", "detail": None,
                            "raw_bytes": 10})
    return rows


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    tables = frames(broken_rows())
    tables["quotes"] = tables["quotes"].drop("confidence")
    tables["articles"] = tables["articles"].with_columns(pl.col("word_count").cast(pl.Int64))
    return validate_tables(tables, tmp_path_factory.mktemp("broken"), RUN_INFO)


def test_broken_tables_fail_the_run(broken_report):
    assert not broken_report.success
    summary = json.loads(broken_report.summary_path.read_text(encoding="utf-8"))
    assert summary["success"] is False
    assert summary["failed_critical"] == broken_report.failed_critical


def test_mention_whose_offsets_do_not_give_its_text_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(mention_texts_match)",
                          "entity_id=e-acme")
    assert not failures_about(broken_report.failed_critical, "(mention_offsets_in_field)",
                              "entity_id=e-acme")


def test_mention_beyond_the_end_of_its_field_fails(broken_report):
    assert failures_about(broken_report.failed_critical,
                          "(mention_offsets_in_field) failed on 1 row", "entity_id=e-paris")


def test_dangling_speaker_entity_id_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(speaker_entity_exists)", "quote_id=q1")


def test_speaker_entity_of_another_article_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(speaker_entity_exists)", "quote_id=q2")


def test_quote_text_not_given_by_its_segments_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(text_matches_spans) failed on 1 row",
                          "quote_id=q2")


def test_duplicate_article_id_fails(broken_report):
    assert failures_about(broken_report.failed_critical,
                          "articles: expect_column_values_to_be_unique(article_id)",
                          "failed on 2 rows", "article_id=a1")


def test_unknown_label_fails(broken_report):
    assert failures_about(broken_report.failed_critical,
                          "entities: expect_column_values_to_be_in_set(label) failed on 1 row",
                          "entity_id=e-oslo label=TIME")


def test_unknown_quote_type_fails(broken_report):
    assert failures_about(broken_report.failed_critical,
                          "quotes: expect_column_values_to_be_in_set(quote_type) failed on 1 row",
                          "quote_id=q1 quote_type=aside")


def test_duplicate_of_an_absent_article_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(duplicate_of_is_other_article)",
                          "article_id=a2")


def test_a_copy_without_its_kind_or_with_an_unknown_kind_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(duplicate_kind_matches_link)", "article_id=a2")
    assert failures_about(broken_report.failed_critical, "expect_column_values_to_be_in_set(duplicate_kind)",
                          "duplicate_kind=similar")


def test_reject_that_is_also_an_article_or_has_an_unknown_reason_fails(broken_report):
    assert failures_about(broken_report.failed_critical, "(not_also_an_article) failed on 1 row",
                          "source_path=biz/001.txt")
    assert failures_about(broken_report.failed_critical, "(reason) failed on 1 row",
                          "reason=corrupt")


def test_missing_or_mistyped_column_fails_the_schema_suite(broken_report):
    assert failures_about(broken_report.failed_critical, "schema:", "(present) failed on 1 row",
                          "table=quotes column=confidence")
    assert failures_about(broken_report.failed_critical, "schema:", "(type_matches)",
                          "table=articles column=word_count expected_type=Int32 actual_type=Int64")


def test_short_articles_warn_but_do_not_fail(tmp_path):
    rows = good_rows()
    for row in rows["articles"]:
        row["word_count"] = 12

    report = validate_tables(frames(rows), tmp_path, RUN_INFO)

    assert report.success
    assert report.failed_critical == []
    assert failures_about(report.warnings, "(word_count)", "2 rows")


# Suffixes a date parser reads as a UTC offset and an era: 33 h 28 min (out of range: GX crashed),
# none at all (the run time was the parse of the id), and one it cannot read.
@pytest.mark.parametrize("suffix", ["3328ad", "1200ad", "0000ad", "9999bc"])
def test_a_run_id_that_reads_as_a_date_validates_with_the_runs_own_time(tmp_path, suffix):
    run_info = RUN_INFO | {"run_id": f"20261204T140221Z-{suffix}", "started_at": "2026-12-04T14:02:21.123456+00:00"}

    report = validate_tables(frames(good_rows()), tmp_path, run_info)

    assert report.success, report.failed_critical
    pages = sorted((tmp_path / "validations").rglob("*.html"))
    assert len(pages) == len(SUITE_NAMES)       # a page the renderer choked on is left out silently
    assert {page.parent.name for page in pages} == {"20261204T140221.123456Z"}
    assert all(page.parent.parent.name == f"run-20261204T140221Z-{suffix}" for page in pages)
    assert "2026-12-04T14:02:21Z" in pages[0].read_text(encoding="utf-8")
    assert json.loads(report.summary_path.read_text(encoding="utf-8"))["run_info"] == run_info


def test_no_run_name_reads_as_a_date():
    chosen = random.Random(14)
    suffixes = ["3328ad", "1200ad", *(f"{chosen.randrange(16 ** 6):06x}" for _ in range(20_000))]
    for suffix in suffixes:
        with pytest.raises(ValueError):
            parse_date(gx_run_name({"run_id": f"20261204T140221Z-{suffix}"}))


def test_empty_entities_and_quotes_pass(tmp_path):
    rows = good_rows()
    rows["entities"], rows["quotes"] = [], []

    report = validate_tables(frames(rows), tmp_path, RUN_INFO)

    assert report.success, report.failed_critical
    assert report.index_path.is_file()


def test_entity_facts_check_each_mention_against_its_own_field():
    tables = frames(good_rows())
    facts = checks.entity_facts(tables["entities"], tables["articles"])
    acme = facts.filter(pl.col("entity_id") == "e-acme").row(0, named=True)
    assert acme["mention_offsets_in_field"] and acme["mention_texts_match"]

    rows = good_rows()
    rows["entities"][1]["mentions"][0]["field"] = "body"  # "Acme" is at this offset in the title
    tables = frames(rows)
    facts = checks.entity_facts(tables["entities"], tables["articles"])
    assert not facts.filter(pl.col("entity_id") == "e-acme")["mention_texts_match"].item()


def test_facts_carry_no_article_text():
    facts = checks.table_facts(frames(good_rows()))
    for frame in facts.values():
        for column in frame.select(pl.col(pl.String)).columns:
            assert not frame[column].str.contains(BODY_1, literal=True).any()


def write_parts(tables: dict[str, pl.DataFrame], folder, cuts: dict[str, list[int]]) -> dict[str, list]:
    """Each table cut into Parquet files at the given row positions, as a run's parts."""
    parts = {}
    for table, frame in tables.items():
        bounds = [0, *cuts.get(table, []), frame.height]
        parts[table] = []
        for n, (start, end) in enumerate(zip(bounds, bounds[1:])):
            path = folder / f"{table}-{n}.parquet"
            frame.slice(start, end - start).write_parquet(path)
            parts[table].append(path)
    return parts


# Entities and quotes cut elsewhere than their articles: a part's facts must find the rows they
# refer to wherever they are; a1 is also in two article parts (the duplicate id).
CUTS = {"articles": [1], "entities": [1, 4], "quotes": [1]}


def copied_rows() -> dict[str, list[dict]]:
    """a2 an exact copy of a1, which is in another part."""
    rows = good_rows()
    rows["articles"][1] |= {"duplicate_of": "a1", "duplicate_kind": "exact"}
    return rows


@pytest.mark.parametrize("rows", [good_rows, broken_rows, copied_rows])
def test_facts_of_parts_are_the_facts_of_the_whole_tables(tmp_path, rows):
    tables = frames(rows())
    whole = checks.table_facts(tables)
    by_part = facts_of_parts(write_parts(tables, tmp_path, CUTS))
    for name in SUITE_NAMES:
        assert by_part[name].equals(whole[name]), name


def test_facts_of_parts_with_a_broken_schema_are_those_of_the_whole_tables(tmp_path):
    tables = frames(broken_rows())
    tables["quotes"] = tables["quotes"].drop("confidence")
    whole = checks.table_facts(tables)
    by_part = facts_of_parts(write_parts(tables, tmp_path, CUTS))
    assert not by_part["schema"]["present"].all()
    for name in SUITE_NAMES:
        assert by_part[name].equals(whole[name]), name


def test_validating_parts_gives_the_report_of_the_whole_tables(tmp_path):
    tables = frames(broken_rows())
    whole = validate_tables(tables, tmp_path / "whole", RUN_INFO)
    by_part = validate_parts(write_parts(tables, tmp_path, CUTS), tmp_path / "parts", RUN_INFO)
    assert by_part.failed_critical == whole.failed_critical and by_part.warnings == whole.warnings
    assert (json.loads(by_part.summary_path.read_text(encoding="utf-8"))
            == json.loads(whole.summary_path.read_text(encoding="utf-8")))


def write_layout(tables: dict[str, pl.DataFrame], folder, run: str, parts: tuple[int, ...] = (0, 1)) -> dict[str, list]:
    """The tables as a run lays them out (flows/layout.py): part 0 holds article a1's rows of
    every table, part 1 the others', in files TABLE/part-NNNNN-<run>.parquet; only `parts` written."""
    written = {}
    for table, frame in tables.items():
        rows = {0: frame} if table == "rejects" else {
            n: frame.filter((pl.col("article_id") == "a1") == (n == 0)) for n in (0, 1)}
        (folder / table).mkdir(parents=True, exist_ok=True)
        written[table] = []
        for n in parts:
            if n in rows:
                path = folder / table / f"part-{n:05d}-{run}.parquet"
                rows[n].write_parquet(path)
                written[table].append(path)
    return written


def in_part_order(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {t: f if t == "rejects" else f.sort(pl.col("article_id") != "a1", maintain_order=True)
            for t, f in tables.items()}


def test_validating_only_the_written_parts_gives_the_report_of_the_whole_tables(tmp_path, monkeypatch):
    """A run that carries part 0 and rewrites part 1 validates part 1 alone, and merges the
    published report's results of part 0: its summary is that of validating the whole new tables.
    Both parts hold failing rows (the offsets of e-acme and e-paris, q1's speaker in part 0;
    e-oslo's label, q2's text and speaker, a2's duplicate_of in part 1), and the uniqueness of
    article_id fails across the table."""
    import expectations.validate as validate

    before = frames(broken_rows())
    before["quotes"] = before["quotes"].with_columns(     # part 1 as published: q2 still sound
        text=pl.when(pl.col("quote_id") == "q2").then(pl.lit("It is wet, and cold.")).otherwise(pl.col("text")))
    after = frames(broken_rows())
    published = write_layout(before, tmp_path / "v1", "aaaaaa")
    validate_parts(published, tmp_path / "v1" / "validation", RUN_INFO)
    fresh = write_layout(after, tmp_path / "v2", "bbbbbb")
    parts = {t: [published[t][0], fresh[t][1]] if t != "rejects" else fresh[t] for t in fresh}
    computed = []
    real_facts = validate._facts
    monkeypatch.setattr(validate, "_facts", lambda parts, only=None: computed.append(only) or real_facts(parts, only))

    merged = validate_parts(parts, tmp_path / "v2" / "validation", RUN_INFO, published=tmp_path / "v1" / "validation")

    whole = validate_tables(in_part_order(after), tmp_path / "whole", RUN_INFO)
    assert [sorted(map(str, only)) for only in computed] == [sorted(str(fresh[t][1]) for t in ("articles", "entities",
                                                                                               "quotes"))]
    assert not merged.success and merged.failed_critical == whole.failed_critical and merged.warnings == whole.warnings
    assert (json.loads(merged.summary_path.read_text(encoding="utf-8"))
            == json.loads(whole.summary_path.read_text(encoding="utf-8")))
    # carried once more, unchanged: nothing is validated part by part, the stored results hold
    again = validate_parts(parts, tmp_path / "v3" / "validation", RUN_INFO, published=tmp_path / "v2" / "validation")
    assert computed[-1] == []
    assert (json.loads(again.summary_path.read_text(encoding="utf-8"))
            == json.loads(whole.summary_path.read_text(encoding="utf-8")))


def test_great_expectations_is_imported_by_preload_not_by_the_module():
    """The CLI imports the module early and calls preload while Prefect's server starts; the
    import itself must stay lazy, or every command would pay for it."""
    code = ("import sys; from expectations import validate; before = 'great_expectations' in sys.modules; "
            "validate.preload(); print(before, 'great_expectations' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
