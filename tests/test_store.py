import ast
import os
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from dataclasses import replace

from flows import store
from flows.state import FileCounts, Fingerprint, RunInfo, RunOptions, RunState, TableTotals
from transforms import changes, schemas
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


def test_polars_never_takes_our_paths_for_glob_patterns():
    """Polars expands `[...]`, `*` and `?` in a path unless told not to: an OUT named `news [2024]`
    read nothing and crashed the run. Every Polars read in the product says glob=False, or (read_ipc,
    which has no such switch) reads an open file."""
    product = Path(store.__file__).resolve().parent.parent
    unguarded = []
    for path in sorted([*product.glob("flows/*.py"), *product.glob("expectations/*.py")]):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr.startswith(("read_", "scan_")) and ast.unparse(call.func.value) == "pl"):
                continue
            opens_a_file = call.func.attr == "read_ipc" and isinstance(call.args[0], ast.Name)
            says_no_glob = any(k.arg == "glob" and ast.unparse(k.value) == "False" for k in call.keywords)
            if not (says_no_glob or opens_a_file):
                unguarded.append(f"{path.name}:{call.lineno} {ast.unparse(call)}")
    assert unguarded == []


def test_read_spill_reads_a_file_whose_folder_reads_as_a_pattern(tmp_path):
    folder = tmp_path / "out [2024] *?"
    folder.mkdir()
    pl.DataFrame({"a": [3, 1, 2]}).write_ipc(folder / "00000-00000.arrow")
    assert store.read_spill(folder / "00000-00000.arrow")["a"].to_list() == [3, 1, 2]


def test_discover_names_a_missing_raw_dir(tmp_path):
    with pytest.raises(store.RawDirMissing, match="does not exist"):
        store.discover(tmp_path / "nope")


FINGERPRINT = Fingerprint(transforms="t1", packages="p1", expectations="e1")


def run_state(run: store.Run, previous_version: str | None) -> RunState:
    """The state of a run that read nothing."""
    info = RunInfo(run.run_id, "raw", str(run.out_dir), run.started_at, 0, None, None, FileCounts(), 0, 0, 0, 0,
                   TableTotals(0, 0, 0, 0), 0, 0)
    return RunState(info, True, run.started_at, FINGERPRINT, RunOptions(5.0), 0, 0, previous_version)


def _article_rows(marker: str, n: int) -> pl.DataFrame:
    rows = empty_frame(schemas.ARTICLES).to_dicts()
    for i in range(n):
        rows.append({"article_id": f"{i:04x}{'0' * 12}", "source_path": f"{i}.txt", "title": marker,
                     "body": "text", "content_hash": "h", "word_count": 1})
    return pl.DataFrame(rows, schema=pl.from_arrow(schemas.ARTICLES.empty_table()).schema)


def _staged_run(out, marker: str = "x", parts: int = 2):
    """A run whose version holds `parts` article parts titled `marker`, the other tables empty."""
    run = store.start_run(out, FINGERPRINT)
    for part_no in range(parts):
        store.write_part(_article_rows(marker, 3), schemas.ARTICLES,
                         run.table_dir("articles") / store.part_name(part_no, run.run_id))
    for table in ("entities", "quotes", "rejects"):
        store.write_part(empty_frame(schemas.TABLES[table]), schemas.TABLES[table],
                         run.table_dir(table) / store.empty_part_name(run.run_id))
    (run.version / "validation").mkdir()
    (run.version / "validation" / "index.html").write_text(run.run_id)
    (run.version / store.REPORT_FILE).write_text(run.run_id)
    current = store.published(out)
    state = run_state(run, current.run_id if current else None)
    store.write_state(run, state, empty_frame(changes.MANIFEST), changes.MANIFEST)
    return run


def _publish(run, tables_too=True):
    store.publish(run, tables_too)
    store.discard(run)


def test_publish_switches_tables_report_and_state_at_once_and_keeps_one_previous_version(tmp_path):
    runs = []
    for marker in ("first", "second", "third"):
        runs.append(_staged_run(tmp_path, marker))
        _publish(runs[-1])
    assert os.readlink(tmp_path / "current") == f".versions/{runs[-1].run_id}"
    assert sorted(p.name for p in (tmp_path / ".versions").iterdir()) == sorted([runs[1].run_id, runs[2].run_id])
    assert set(pl.read_parquet(tmp_path / "articles")["title"]) == {"third"}
    assert (tmp_path / "validation" / "index.html").read_text() == runs[-1].run_id
    assert store.published(tmp_path).state.run_id == runs[-1].run_id
    for name in store.LINKED:
        assert os.readlink(tmp_path / name) == f"current/{name}"
    assert not (tmp_path / store.STAGING).exists()


def test_a_reader_that_resolved_the_tables_keeps_reading_the_version_it_opened(tmp_path):
    _publish(_staged_run(tmp_path, "old"))
    opened = (tmp_path / "articles").resolve()
    _publish(_staged_run(tmp_path, "new"))
    assert set(pl.read_parquet(opened)["title"]) == {"old"}
    assert set(pl.read_parquet(tmp_path / "articles")["title"]) == {"new"}


def test_a_failed_run_publishes_only_its_report_and_the_next_good_run_all_of_it(tmp_path):
    good = _staged_run(tmp_path, "good")
    _publish(good)
    bad = _staged_run(tmp_path, "bad")
    _publish(bad, tables_too=False)
    assert set(pl.read_parquet(tmp_path / "articles")["title"]) == {"good"}
    assert store.published(tmp_path).run_id == good.run_id
    assert (tmp_path / "validation" / "index.html").read_text() == (tmp_path / "report.html").read_text() == bad.run_id
    later = _staged_run(tmp_path, "later")
    _publish(later)
    assert (tmp_path / "validation" / "index.html").read_text() == later.run_id
    assert not (tmp_path / store.REPORTS).exists() or not any((tmp_path / store.REPORTS).iterdir())


def test_readers_open_the_tables_through_the_links(tmp_path):
    _publish(_staged_run(tmp_path, "seen", parts=3))
    articles = str(tmp_path / "articles")
    assert ds.dataset(articles).to_table().num_rows == 9
    assert pl.scan_parquet(f"{articles}/**/*.parquet").select(pl.len()).collect().item() == 9
    assert pd.read_parquet(articles).shape[0] == 9
    assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{articles}/**/*.parquet')").fetchall() == [(9,)]
    for table in ("entities", "quotes", "rejects"):     # empty tables still show their columns
        assert pl.read_parquet(tmp_path / table).columns == schemas.TABLES[table].names


def test_a_new_run_clears_what_crashed_runs_left_and_keeps_the_published_versions(tmp_path):
    _publish(_staged_run(tmp_path, "one"))
    kept = _staged_run(tmp_path, "two")
    _publish(kept)
    crashed = _staged_run(tmp_path, "crashed")            # killed after its rename, before the switch
    os.replace(crashed.version, tmp_path / ".versions" / crashed.run_id)
    os.symlink("nowhere", tmp_path / ".current.tmp-abc123")
    store.start_run(tmp_path, FINGERPRINT)
    assert not crashed.staging.exists() and not (tmp_path / ".current.tmp-abc123").is_symlink()
    assert sorted(p.name for p in (tmp_path / ".versions").iterdir()) == sorted(
        [kept.run_id, store.published(tmp_path).previous_version])
    assert set(pl.read_parquet(tmp_path / "articles")["title"]) == {"two"}


def test_folders_of_the_layout_before_versions_are_replaced_by_links(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "part-00000.parquet").write_bytes(b"old")
    _publish(_staged_run(tmp_path, "new"))
    assert (tmp_path / "articles").is_symlink()
    assert set(pl.read_parquet(tmp_path / "articles")["title"]) == {"new"}


def test_a_second_writer_on_the_same_out_is_refused(tmp_path):
    with store.lock_out(tmp_path):
        with pytest.raises(store.OutBusy, match="another newspipe run is writing"):
            with store.lock_out(tmp_path):
                pass
    with store.lock_out(tmp_path):     # released when the first one finished
        pass


def test_the_code_fingerprint_follows_the_transforms():
    first = store.code_fingerprint()
    assert first == store.code_fingerprint()
    assert "spacy==" in first.packages and first.transforms and first.expectations


def _code_tree(root: Path) -> dict[str, Path]:
    files = {"models/nlp.py": "", "transforms/dates.py": "", "transforms/clean/__init__.py": "",
             "transforms/clean/headline.py": "", "transforms/lexicons/calendar.toml": '[months.en]\nnames = ["january"]\n'}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return {rel: root / rel for rel in files}


@pytest.mark.parametrize("changed", ["transforms/lexicons/calendar.toml", "transforms/clean/headline.py"])
def test_a_changed_word_list_or_subpackage_module_changes_the_fingerprint(tmp_path, monkeypatch, changed):
    files = _code_tree(tmp_path)
    monkeypatch.setattr(store, "_REPO_CODE", tmp_path)
    before = store.code_fingerprint().transforms
    files[changed].write_text(files[changed].read_text() + "\n# one more line\n")
    assert store.code_fingerprint().transforms != before


def test_a_module_moved_between_packages_changes_the_fingerprint(tmp_path, monkeypatch):
    files = _code_tree(tmp_path)
    monkeypatch.setattr(store, "_REPO_CODE", tmp_path)
    before = store.code_fingerprint().transforms
    files["transforms/dates.py"].rename(tmp_path / "transforms/clean/dates.py")
    assert store.code_fingerprint().transforms != before


def test_every_file_the_transforms_ship_counts_in_the_fingerprint():
    root = Path(store.__file__).resolve().parent.parent
    files = [p for p in (root / "transforms").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    counted = {p for suffix in store.TRANSFORM_FILES for p in (root / "transforms").rglob(suffix)}
    assert any(p.suffix == ".toml" for p in counted)
    assert [p for p in files if p not in counted] == []


def test_a_killed_run_s_finished_extraction_parts_are_offered_to_the_next_run_with_the_same_code(tmp_path):
    killed = store.start_run(tmp_path, FINGERPRINT)
    for part_no, tables in [(0, ("entities", "quotes")), (1, ("entities",))]:   # part 1 was cut short
        store.write_part(empty_frame(schemas.ARTICLES), schemas.ARTICLES,
                         killed.staging / "to_extract" / f"part-{part_no:05d}.parquet")
        for table in tables:
            store.write_part(empty_frame(schemas.TABLES[table]), schemas.TABLES[table], killed.delta_part(table, part_no))
    new_suites = replace(FINGERPRINT, expectations="e2")       # extraction does not depend on the suites
    same_code = store.start_run(tmp_path, new_suites)
    assert [b.articles.name for b in store.salvaged_extractions(same_code, new_suites)] == ["part-00000.parquet"]
    other_code = store.start_run(tmp_path, replace(FINGERPRINT, transforms="t2"))
    assert store.salvaged_extractions(other_code, replace(FINGERPRINT, transforms="t2")) == []


@pytest.mark.parametrize("max_bytes", [1, store.SPILL_BYTES])
def test_spill_by_part_regroups_the_rows_by_part_in_their_order(tmp_path, max_bytes):
    schema = schemas.TABLES["articles"]
    deltas = []
    for n in range(3):       # ids spread over the parts, as ingest batches are
        rows = _article_rows(f"d{n}", 40).with_columns(
            pl.Series("article_id", [f"{(i * 40 + n) * 1637 % 65536:04x}{'0' * 12}" for i in range(40)]))
        deltas.append(tmp_path / f"part-{n:05d}.parquet")
        store.write_part(rows, schema, deltas[-1])
    whole = pl.concat([pl.read_parquet(p) for p in deltas])
    by_part = store.spill_by_part(deltas, schema, changes.part_of("article_id", 2), tmp_path / "spill", max_bytes)
    expected = whole.with_columns(changes.part_of("article_id", 2).alias("_part")).partition_by("_part", as_dict=True)
    assert set(by_part) == {p for (p,) in expected} and len(by_part) > 1
    for (part_no,), rows in expected.items():
        spilled = pl.concat([pl.read_ipc(p) for p in by_part[part_no]])
        assert spilled.equals(rows.drop("_part"))
    # a bound of one byte writes each delta file's rows out before the next one is read
    assert max(len(files) for files in by_part.values()) == (3 if max_bytes == 1 else 1)


def test_a_file_rewritten_while_it_is_read_is_read_again_once_it_settles(tmp_path, monkeypatch):
    raw = tmp_path / "a.txt"
    raw.write_bytes(b"half of it")
    fstat, calls = os.fstat, []

    def writer_at_work(fd):
        calls.append(fd)
        if len(calls) == 2:                      # between the first read and its check: a writer finishes
            raw.write_bytes(b"the whole article, written at last")
        return fstat(fd)
    monkeypatch.setattr(store.os, "fstat", writer_at_work)
    got = store.read_settled(raw, "a.txt", max_bytes=1000)
    assert (got.data, got.size, got.mtime_ns) == (b"the whole article, written at last", 34, raw.stat().st_mtime_ns)
    assert len(calls) == 4


def test_a_file_deleted_before_its_read_is_gone_but_a_broken_link_or_a_name_not_utf8_is_unreadable(tmp_path):
    (tmp_path / "kept.txt").write_bytes(b"text")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "link.txt")
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"text")
    files = [store.RawFile(name, 4) for name in ("caf\\xe9.txt", "deleted.txt", "kept.txt", "link.txt")]
    found = store.read_raw_files(tmp_path, files, max_bytes=3 + 1)
    assert found.gone == ["deleted.txt"] and [r.source_path for r in found.read] == ["kept.txt"]
    assert [(path, reason) for path, reason, _, _ in found.unread] == [("caf\\xe9.txt", "unreadable"),
                                                                        ("link.txt", "unreadable")]
