"""The checksums of a published version: what each kind of damage is called, the checksums' own
checksum, and a version published before checksums were recorded (checked by reading it)."""
import json
import os

import polars as pl

from flows import checksums

RECORDED = {"bytes": 100, "sha256": "a" * 64, "rows": 10}


def test_each_kind_of_damage_is_named_once_in_name_order():
    recorded = {"articles/part-1.parquet": RECORDED, "entities/part-1.parquet": RECORDED,
                "quotes/part-1.parquet": RECORDED, "_state/manifest.parquet": RECORDED, "validation/index.html":
                {"bytes": 5, "sha256": "b" * 64}}
    observed = {"articles/part-1.parquet": RECORDED | {"sha256": "c" * 64},
                "entities/part-1.parquet": RECORDED | {"bytes": 60, "rows": "OSError: magic bytes not found"},
                "quotes/part-1.parquet": None,
                "_state/manifest.parquet": RECORDED,
                "validation/index.html": {"bytes": 5, "sha256": "b" * 64},
                "rejects/part-9.parquet": RECORDED}
    assert checksums.compare(recorded, observed) == [
        "articles/part-1.parquet: its bytes changed since it was published (SHA-256 differs)",
        "entities/part-1.parquet: not readable as Parquet (OSError: magic bytes not found)",
        "quotes/part-1.parquet: missing (deleted since it was published)",
        "rejects/part-9.parquet: not in the version as published (added since)"]
    assert checksums.file_problem(RECORDED, RECORDED | {"bytes": 99}) == \
        "99 bytes, 100 when published (truncated or overwritten)"


def _version(out, files: dict[str, bytes]):
    version = out / ".versions" / "v1"
    for name, data in files.items():
        (version / name).parent.mkdir(parents=True, exist_ok=True)
        (version / name).write_bytes(data)
    os.symlink(".versions/v1", out / "current")
    return version


def test_a_recorded_version_checks_whole_and_an_edit_of_its_checksums_is_caught(tmp_path):
    version = _version(tmp_path, {"validation/index.html": b"<html>", "_state/last_run.json": b"{}"})
    pl.DataFrame({"a": [1, 2, 3]}).write_parquet(version / "articles.parquet")
    checksums.record(version)
    assert json.loads((version / checksums.CHECKSUMS).read_text())["files"]["articles.parquet"]["rows"] == 3
    assert checksums.check_published(tmp_path) == checksums.Verdict(version, [], recorded=True)

    text = (version / checksums.CHECKSUMS).read_text()
    (version / checksums.CHECKSUMS).write_text(text.replace('"rows": 3', '"rows": 4'))
    assert checksums.check_published(tmp_path).problems == [
        "current/_state/checksums.json: not as it was written (it does not parse, or its own checksum differs)"]


def test_a_version_published_before_checksums_is_checked_by_reading_it(tmp_path):
    version = _version(tmp_path, {"_state/last_run.json": b"{}", "articles/part-0.parquet": b"PAR1 not really"})
    pl.DataFrame({"a": [1]}).write_parquet(version / "quotes.parquet")
    verdict = checksums.check_published(tmp_path)
    assert not verdict.recorded
    assert [p.split(": ")[0] for p in verdict.problems] == ["current/articles/part-0.parquet"]


def test_a_current_link_to_a_version_that_is_gone_is_damage(tmp_path):
    os.symlink(".versions/gone", tmp_path / "current")
    assert checksums.check_published(tmp_path).problems == [
        "current: points at .versions/gone, which does not exist"]
    assert checksums.check_published(tmp_path / "nothing-here") == checksums.Verdict(None, [], recorded=False)


def test_damage_to_tables_or_state_is_told_from_damage_to_reports():
    assert checksums.holds_data("current/articles/part-00000-ab12cd.parquet: missing (deleted since it was published)")
    assert checksums.holds_data("current/_state/manifest.parquet: its bytes changed since it was published")
    assert checksums.holds_data("current: points at .versions/gone, which does not exist")
    assert not checksums.holds_data("current/validation/index.html: 6 bytes, 20,773 when published")
    assert not checksums.holds_data("current/report.html: missing (deleted since it was published)")
