import os

import polars as pl
import pytest

from flows import store
from transforms import schemas
from transforms.frames import empty_frame


def test_discover_lists_every_visible_file_in_path_order_and_skips_hidden_ones(tmp_path):
    for rel in ["b/z.txt", "a.txt", "b/n\u00e9 w file.txt", ".hidden/x.txt", "b/.x.txt", "notes.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [f.source_path for f in store.discover(tmp_path)] == ["a.txt", "b/n\u00e9 w file.txt", "b/z.txt", "notes.md"]


def test_discover_lists_broken_links_and_undecodable_names_but_not_pipes(tmp_path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    assert [(f.source_path, f.size) for f in store.discover(tmp_path)] == [("caf\\xe9.txt", 1), ("link.txt", 0)]


def test_discover_names_a_missing_raw_dir(tmp_path):
    with pytest.raises(store.RawDirMissing, match="does not exist"):
        store.discover(tmp_path / "nope")


def _staged_run(out):
    run = store.start_run(out)
    for table, schema in schemas.TABLES.items():
        store.ensure_nonempty(run, table, empty_frame(schema))
    (run.staging / "validation").mkdir()
    (run.staging / "validation" / "index.html").write_text(run.run_id)
    return run


def test_publish_swaps_every_table_and_leaves_no_staging_behind(tmp_path):
    first = _staged_run(tmp_path)
    store.publish(first)
    second = _staged_run(tmp_path)
    store.publish(second)
    store.discard(second)
    assert (tmp_path / "validation" / "index.html").read_text() == second.run_id
    for table, schema in schemas.TABLES.items():
        assert pl.read_parquet(tmp_path / table).columns == schema.names
    assert not (tmp_path / store.STAGING).exists() and not (tmp_path / store.TRASH).exists()


def test_a_failed_run_publishes_only_its_report(tmp_path):
    good = _staged_run(tmp_path)
    (good.table_dir("articles") / "marker").write_text("good")
    store.publish(good)
    bad = _staged_run(tmp_path)
    store.publish(bad, ("validation",))
    store.discard(bad)
    assert (tmp_path / "articles" / "marker").read_text() == "good"
    assert (tmp_path / "validation" / "index.html").read_text() == bad.run_id


def test_a_new_run_clears_the_leftovers_of_a_crashed_one(tmp_path):
    crashed = store.start_run(tmp_path)
    store.start_run(tmp_path)
    assert not crashed.staging.exists()
