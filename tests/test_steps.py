"""The pure part of the tasks (flows/steps.py) and the plan's decisions (flows/planning.py), on
tiny frames: no Prefect, no files."""
from dataclasses import replace
from datetime import datetime, timezone

import polars as pl
import pytest

from flows import steps
from flows.planning import Plan, full_reason
from flows.state import AssembledVersion, FileCounts, Fingerprint, RunInfo, RunOptions, RunState, TableTotals
from flows.store import Published
from flows.tables import TO_EXTRACT
from transforms import changes, corpus_lines, duplicates
from transforms.frames import empty_frame, to_frame


def texts(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": i, "title": None, "body": body} for i, body in rows],
                        schema={"article_id": pl.String, "title": pl.String, "body": pl.String})


def test_a_wanted_article_is_reused_from_the_batch_that_extracted_the_same_text():
    killed = [texts(("a", "one"), ("b", "two")), texts(("c", "three"), ("a", "one again"))]
    wanted = texts(("a", "one"), ("b", "edited since"), ("c", "three"), ("d", "new"))
    reused = steps.reusable(killed, wanted)
    assert sorted(reused.iter_rows()) == [("a", 0), ("c", 1)]


def test_the_salvaged_rows_of_an_article_come_from_the_batch_it_was_reused_from():
    reused = pl.DataFrame({"article_id": ["a", "c"], "salvage": [0, 1]})
    rows = [pl.DataFrame({"article_id": ["a", "b", "c"], "n": [1, 2, 3]}),     # c here is not the reused one
            pl.DataFrame({"article_id": ["c", "a"], "n": [4, 5]})]
    assert steps.salvaged_rows(rows, reused).rows() == [("a", 1), ("c", 4)]


@pytest.mark.parametrize("sizes, batch, expected", [([3, 0, 4], 3, [3, 3, 1]), ([2, 2], 5, [4]), ([], 2, [])])
def test_articles_are_staged_in_batches_in_their_order(sizes, batch, expected):
    frames, n = [], 0
    for size in sizes:
        frames.append(texts(*((f"{i:02d}", "x") for i in range(n, n + size))))
        n += size
    batches = list(steps.extraction_batches(iter(frames), batch, TO_EXTRACT))
    assert [b.height for b in batches] == expected
    assert [i for b in batches for i in b["article_id"]] == [f"{i:02d}" for i in range(n)]


WORDS = " ".join(f"word{i}" for i in range(80))


def signatures(*bodies: tuple[str, str]) -> pl.DataFrame:
    """SIGNATURES of (content_hash, body)."""
    return duplicates.signatures_frame(pl.DataFrame({"content_hash": [h for h, _ in bodies],
                                                     "body": [b for _, b in bodies]}))


def test_new_bodies_are_paired_with_the_carried_ones_and_the_published_pairs_kept():
    carried = signatures(("h1", WORDS), ("h2", "other " + WORDS.replace("word40", "forty")))
    published_pairs = duplicates.near_pairs(carried, carried.clear())
    new = signatures(("h3", WORDS.replace("word70", "seventy")))
    kept, pairs = steps.near_copies(new, carried, published_pairs)
    assert kept["content_hash"].to_list() == ["h1", "h2", "h3"]
    assert published_pairs.select("content_hash", "other_hash").rows() == [("h1", "h2")]
    assert pairs.select("content_hash", "other_hash").rows() == [("h1", "h2"), ("h1", "h3")]


def lines(schema, *rows: tuple) -> pl.DataFrame:
    return to_frame([dict(zip(schema.names, row)) for row in rows], schema)


@pytest.mark.parametrize("incremental", [True, False])
def test_carried_files_holding_a_line_that_became_frequent_are_cleaned_again_on_an_incremental_run(incremental):
    carried = lines(corpus_lines.LINES, *((f"{n}.txt", n, 7) for n in range(corpus_lines.REPEAT_MIN_ARTICLES - 1)))
    fresh = lines(corpus_lines.SCANNED, ("new.txt", 99, 7, "Share this"))
    counts = steps.count_lines(fresh, carried, empty_frame(corpus_lines.FREQUENT), incremental)
    assert counts.frequent.select("line_key", "line", "articles").rows() == [
        (7, "Share this", corpus_lines.REPEAT_MIN_ARTICLES)]
    assert counts.reclean == ([f"{n}.txt" for n in range(corpus_lines.REPEAT_MIN_ARTICLES - 1)] if incremental else [])
    assert counts.lines["source_path"].to_list() == sorted([*carried["source_path"], "new.txt"])


def test_a_file_that_cannot_be_read_or_decoded_is_a_reject_with_its_outcome():
    batch = steps.decode_batch([("ok.txt", b"Hello there.\nSecond line.\n"), ("bin.txt", b"\x00\x01\x02" * 50)],
                               [("big.txt", "too_large", "over the limit", 99)], scan_lines=True)
    assert batch.texts["source_path"].to_list() == ["ok.txt"]
    assert ("big.txt", "too_large") in batch.rejects.select("source_path", "reason").rows()
    assert set(batch.outcomes["source_path"]) == {"bin.txt", "big.txt"} and set(batch.outcomes["outcome"]) == {"reject"}
    assert batch.lines is not None
    assert steps.decode_batch([("ok.txt", b"Hello.\n")], [], scan_lines=False).lines is None


FINGERPRINT = Fingerprint("t", "p", "e")


def published(fingerprint: Fingerprint = FINGERPRINT, options: RunOptions = RunOptions(5.0)) -> Published:
    info = RunInfo("r1", "raw", "out", datetime(2026, 1, 1, tzinfo=timezone.utc), 2, None, None, FileCounts(new=2),
                   2, 0, 0, 0, TableTotals(2, 0, 0, 0), 4, 0)
    state = RunState(info, True, info.started_at, fingerprint, options, 0, 0, None)
    return Published("r1", None, state, state.state_format, None)


def plan(previous: Published | None, statuses: list[str], fingerprint: Fingerprint = FINGERPRINT,
         report_published: bool = True) -> Plan:
    files = pl.DataFrame({"source_path": [f"{i}.txt" for i in range(len(statuses))], "status": statuses})
    return Plan(files, previous, None if previous else "first run", RunOptions(5.0), fingerprint, 0,
                FileCounts.of(changes.status_counts(files)), "r1", report_published)


def version(rewritten: int) -> AssembledVersion:
    return AssembledVersion(0, pl.DataFrame(), TableTotals(2, 0, 0, 0), parts_rewritten=rewritten, parts_carried=4)


def test_nothing_changed_needs_the_same_files_code_and_a_shown_report():
    unchanged = [changes.UNCHANGED] * 2
    assert plan(published(), unchanged).nothing_changed
    assert not plan(published(), [changes.UNCHANGED, changes.TOUCHED]).nothing_changed
    assert not plan(published(), unchanged, replace(FINGERPRINT, expectations="e2")).nothing_changed
    assert not plan(published(), unchanged, report_published=False).nothing_changed


def test_the_published_report_is_carried_only_for_the_same_suites_and_a_version_of_carried_parts():
    touched = [changes.UNCHANGED, changes.TOUCHED]
    assert plan(published(), touched).report_holds_for(version(rewritten=0))
    assert not plan(published(), touched).report_holds_for(version(rewritten=1))
    assert not plan(published(), touched, replace(FINGERPRINT, expectations="e2")).report_holds_for(version(0))
    assert not plan(None, [changes.NEW] * 2).report_holds_for(version(rewritten=0))


def test_why_a_run_processes_every_file():
    assert full_reason(published(), FINGERPRINT, RunOptions(5.0), full=True) == "--full was given"
    assert full_reason(None, FINGERPRINT, RunOptions(5.0), full=False).startswith("no published run")
    assert full_reason(published(), replace(FINGERPRINT, packages="q"), RunOptions(5.0), full=False) == \
        "the packages changed since run r1 (p -> q)"
    assert full_reason(published(), FINGERPRINT, RunOptions(2.0), full=False) == \
        "--max-file-mb changed since run r1 (5.0 -> 2.0)"
    assert full_reason(published(), replace(FINGERPRINT, expectations="e2"), RunOptions(5.0), full=False) is None


def test_the_manifest_records_the_bytes_as_read_and_leaves_out_files_gone_before_their_read():
    files = pl.DataFrame({"source_path": ["a.txt", "b.txt", "c.txt"], "size": [10, 20, 30],
                          "mtime_ns": [1, 2, 3], "status": [changes.CHANGED, changes.NEW, changes.NEW]})
    prev = pl.from_arrow(changes.MANIFEST.empty_table()).schema
    files = files.with_columns([pl.lit(None, dtype=dtype).alias(f"prev_{name}") for name, dtype in prev.items()
                                if name != "source_path"])
    read = [steps_read("a.txt", 12, 100), steps_read("b.txt", 20, 2)]
    reads = steps.reads_frame(read, gone=["c.txt"])
    outcomes = to_frame([{"source_path": p, "raw_sha256": "h", "article_id": p[0], "outcome": "article", "reason": None}
                         for p in ("a.txt", "b.txt")], changes.OUTCOMES)
    manifest = steps.manifest_as_read(files, reads, outcomes)
    assert manifest.select("source_path", "size", "mtime_ns").rows() == [("a.txt", 12, 100), ("b.txt", 20, 2)]


def steps_read(source_path: str, size: int, mtime_ns: int):
    from flows.store import RawRead
    return RawRead(source_path, b"x" * size, size, mtime_ns)
