"""Re-runs process only what changed, and their tables equal those of a run from scratch.

Parts are made tiny (2 articles) so that a handful of articles spans several parts."""
import os
import shutil

import polars as pl
import pytest

from tests.corpus import article_text, assert_same_tables, set_old_mtimes, tables, write_articles
from transforms import changes

pytestmark = pytest.mark.slow
TABLES = ("articles", "entities", "quotes", "rejects")


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(changes, "ARTICLES_PER_PART", 2)


@pytest.fixture
def run(prefect_harness):
    from flows.pipeline import newspipe_run

    def go(raw, out, batch_size=3, **options):
        return newspipe_run(raw_dir=str(raw), out_dir=str(out), batch_size=batch_size, **options)
    return go


@pytest.fixture
def raw(tmp_path):
    raw = tmp_path / "raw"
    write_articles(raw, range(8))
    set_old_mtimes(raw)
    return raw


def from_scratch(run, raw, tmp_path, name="scratch"):
    run(raw, tmp_path / name)
    return tmp_path / name


def part_inodes(out, table):
    return {p.name: p.stat().st_ino for p in (out / table).glob("*.parquet")}


def test_nothing_changed_keeps_the_version_and_a_touched_file_is_not_read_again(run, raw, tmp_path):
    out = tmp_path / "out"
    first = run(raw, out)
    assert first["part_bits"] == 2 and len(list((out / "articles").glob("*.parquet"))) > 1
    assert run(raw, out)["run_id"] == first["run_id"]
    assert len(list((out / ".versions").iterdir())) == 1
    before = tables(out) | {"ingested_at": pl.read_parquet(out / "articles")["ingested_at"]}

    touched = raw / "1" / "report-001.txt"
    os.utime(touched, ns=(0, touched.stat().st_mtime_ns + 1_000_000_000))
    second = run(raw, out)
    assert (second["files_touched"], second["files_unchanged"], second["extracted"]) == (1, 7, 0)
    assert second["parts_rewritten"] == 0 and second["run_id"] != first["run_id"]
    assert all(tables(out)[t].equals(before[t]) for t in TABLES)
    assert pl.read_parquet(out / "articles")["ingested_at"].equals(before["ingested_at"])
    assert run(raw, out)["run_id"] == second["run_id"]          # the new mtime is in the manifest


def test_a_changed_file_replaces_its_rows_and_rewrites_only_its_parts(run, raw, tmp_path):
    out = tmp_path / "out"
    run(raw, out)
    old_version = (out / "current").resolve()
    before = pl.read_parquet(out / "articles")
    edited = raw / "1" / "report-004.txt"
    edited.write_text(article_text(4) + '\n"We will keep watching every vote," said Marius Fossum.\n', encoding="utf-8")

    state = run(raw, out)
    assert (state["files_changed"], state["files_unchanged"], state["extracted"]) == (1, 7, 1)
    edited_id = before.filter(pl.col("source_path") == "1/report-004.txt")["article_id"][0]
    after = pl.read_parquet(out / "articles")
    assert after.filter(pl.col("article_id") != edited_id).equals(before.filter(pl.col("article_id") != edited_id))
    quotes = pl.read_parquet(out / "quotes").filter(pl.col("article_id") == edited_id)
    assert "We will keep watching every vote," in quotes["text"].to_list()

    for table in ("articles", "entities", "quotes"):
        old, new = part_inodes(old_version, table), part_inodes(out, table)
        carried = {name for name, inode in new.items() if old.get(name) == inode}
        assert len(carried) == len(new) - 1, f"{table}: one part rewritten, the others hard-linked"
    assert_same_tables(out, from_scratch(run, raw, tmp_path))


def test_deleted_new_and_duplicate_changes_end_as_a_run_from_scratch(run, raw, tmp_path):
    out = tmp_path / "out"
    copy = raw / "9" / "copy-of-1.txt"                # a copy: its path sorts after 1/report-001.txt
    copy.parent.mkdir()
    copy.write_text(article_text(1), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    set_old_mtimes(raw)
    run(raw, out)
    copy_id = pl.read_parquet(out / "articles").filter(pl.col("source_path") == "9/copy-of-1.txt")["article_id"][0]
    assert copy_id not in pl.read_parquet(out / "entities")["article_id"].to_list()

    (raw / "1" / "report-001.txt").unlink()           # the original goes: the copy becomes the original
    (raw / "0" / "aaa.txt").write_text(article_text(2), encoding="utf-8")   # 2/report-002.txt becomes a copy
    (raw / "empty.txt").unlink()                      # a reject goes
    write_articles(raw, [20])                         # a new article
    (raw / "2" / "report-005.txt").write_text(article_text(5) + "\nMr Tokayev said the vote was fair.\n")
    state = run(raw, out)
    assert (state["files_deleted"], state["files_new"], state["files_changed"], state["files_unchanged"]) == (2, 2, 1, 7)
    assert state["extracted"] == 4                    # aaa.txt, report-020, report-005 and the copy of 1

    articles, entities = pl.read_parquet(out / "articles"), pl.read_parquet(out / "entities")
    assert copy_id in entities["article_id"].to_list()
    demoted = articles.filter(pl.col("source_path") == "2/report-002.txt")
    assert demoted["duplicate_of"][0] is not None
    assert demoted["article_id"][0] not in entities["article_id"].to_list()
    assert pl.read_parquet(out / "rejects").is_empty()
    assert_same_tables(out, from_scratch(run, raw, tmp_path))


def test_batch_sizes_do_not_change_the_tables_or_their_parts(run, raw, tmp_path):
    shutil.copy(raw / "1" / "report-001.txt", raw / "9-copy.txt")
    (raw / "blank.txt").write_text("  \n")
    run(raw, tmp_path / "one", batch_size=1)
    run(raw, tmp_path / "hundred", batch_size=100)
    assert_same_tables(tmp_path / "one", tmp_path / "hundred")
    for table in TABLES:
        names = [sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / out / table).glob("*.parquet"))
                 for out in ("one", "hundred")]
        assert names[0] == names[1], table


def test_a_changed_option_or_full_processes_everything_again(run, raw, tmp_path):
    out = tmp_path / "out"
    run(raw, out)
    state = run(raw, out, max_file_mb=1.0)
    assert "--max-file-mb changed" in state["full_reason"] and state["extracted"] == 8
    state = run(raw, out, max_file_mb=1.0, full=True)
    assert state["full_reason"] == "--full was given" and state["extracted"] == 8


def test_a_failed_run_shows_its_report_keeps_the_tables_and_the_next_good_run_restores_the_report(
        run, raw, tmp_path, monkeypatch):
    import json

    from expectations import validate
    from flows.pipeline import ValidationFailed

    out = tmp_path / "out"
    good = run(raw, out)
    before = tables(out)
    edited = raw / "1" / "report-004.txt"
    kept_stat = edited.stat()
    edited.write_text(article_text(4) + "\nMr Tokayev said nothing.\n", encoding="utf-8")

    def failing(parts, report_dir, run_info, published=None):
        report = validate.ValidationReport(False, ["articles: a planted failure"], [], report_dir / "summary.json",
                                           report_dir / "index.html")
        report_dir.mkdir(parents=True, exist_ok=True)
        report.summary_path.write_text(json.dumps({"success": False, "run_info": run_info}))
        return report
    with monkeypatch.context() as patched, pytest.raises(ValidationFailed, match="a planted failure"):
        patched.setattr(validate, "validate_parts", failing)
        run(raw, out)
    assert all(tables(out)[t].equals(before[t]) for t in TABLES)
    assert json.loads((out / "validation" / "summary.json").read_text())["success"] is False

    edited.write_text(article_text(4), encoding="utf-8")       # back as it was, mtime included
    os.utime(edited, ns=(kept_stat.st_atime_ns, kept_stat.st_mtime_ns))
    state = run(raw, out)
    assert state["run_id"] != good["run_id"] and state["parts_rewritten"] == 0
    assert json.loads((out / "validation" / "summary.json").read_text())["success"] is True


def test_a_corpus_that_outgrows_its_parts_is_laid_out_again(run, raw, tmp_path):
    out = tmp_path / "out"
    assert run(raw, out)["part_bits"] == 2
    write_articles(raw, [40, 41])
    state = run(raw, out)
    assert state["part_bits"] == 3 and state["extracted"] == 2 and state["parts_carried"] == 1   # rejects only
    assert_same_tables(out, from_scratch(run, raw, tmp_path))
