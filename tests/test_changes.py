"""Change detection, part layout, row order and duplicate transitions, on tiny frames."""
import polars as pl
import pytest

from transforms import changes, ids
from transforms.frames import to_frame

SCAN_NS = 10_000_000_000_000


def manifest(*rows):
    return to_frame([dict(zip(changes.MANIFEST.names, r, strict=True)) for r in rows], changes.MANIFEST)


def stats(*rows):
    return pl.DataFrame(rows, schema={"source_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64}, orient="row")


def statuses(frame):
    return dict(zip(frame["source_path"], frame["status"], strict=True))


def test_files_are_compared_by_stat_first_and_only_differing_ones_are_checked():
    old = SCAN_NS - 60_000_000_000
    before = manifest(("same.txt", 10, old, "h1", "i1", "article", None),
                      ("resized.txt", 10, old, "h2", "i2", "article", None),
                      ("gone.txt", 5, old, "h3", "i3", "article", None),
                      ("huge.txt", 9_000, old, None, "i4", "reject", "too_large"),
                      ("locked.txt", 7, old, None, "i5", "reject", "unreadable"))
    now = stats(("same.txt", 10, old), ("resized.txt", 11, old), ("huge.txt", 9_001, old),
                ("locked.txt", 7, old), ("added.txt", 3, old))
    assert statuses(changes.compare_files(now, before, SCAN_NS)) == {
        "same.txt": "unchanged", "resized.txt": "check", "gone.txt": "deleted",
        "huge.txt": "changed",        # never read, so nothing to compare a hash with
        "locked.txt": "changed",      # a read error is retried on every run
        "added.txt": "new"}


def test_a_file_written_just_before_the_last_scan_is_hashed_again():
    racy = SCAN_NS - 1_000_000_000
    before = manifest(("racy.txt", 10, racy, "h1", "i1", "article", None))
    assert statuses(changes.compare_files(stats(("racy.txt", 10, racy)), before, SCAN_NS)) == {"racy.txt": "check"}


def test_checked_files_with_the_same_bytes_are_touched_not_changed():
    before = manifest(("a.txt", 10, 1, "same", "i1", "article", None), ("b.txt", 10, 1, "old", "i2", "article", None))
    compared = changes.compare_files(stats(("a.txt", 10, 2), ("b.txt", 10, 2)), before, SCAN_NS)
    settled = changes.settle_checked(compared, {"a.txt": "same", "b.txt": "new"})
    assert statuses(settled) == {"a.txt": "touched", "b.txt": "changed"}
    carried = changes.carried_manifest(settled)
    assert carried.to_dicts() == [{"source_path": "a.txt", "size": 10, "mtime_ns": 2, "raw_sha256": "same",
                                   "article_id": "i1", "outcome": "article", "reason": None}]


@pytest.mark.parametrize("n, bits", [(0, 0), (1000, 0), (1001, 1), (2225, 2), (100_000, 7), (10**12, 16)])
def test_parts_hold_about_a_thousand_articles(n, bits):
    assert changes.part_bits(n) == bits


@pytest.mark.parametrize("bits", [0, 1, 3, 8])
def test_a_part_is_a_contiguous_range_of_article_ids(bits):
    article_ids = sorted(ids.article_id(f"f{i}.txt") for i in range(300))
    parts = pl.DataFrame({"article_id": article_ids}).select(changes.part_of("article_id", bits))["part"].to_list()
    assert parts == sorted(parts) and max(parts) < 1 << bits
    for article_id, part in zip(article_ids, parts, strict=True):
        low, high = changes.part_range(part, bits)
        assert (low is None or article_id >= low) and (high is None or article_id < high)


def test_entities_sort_by_article_then_first_mention_title_before_body():
    mention = lambda field, start: {"field": field, "start": start, "end": start + 1, "text": "x"}   # noqa: E731
    frame = pl.DataFrame({"article_id": ["b", "a", "a", "a"], "entity_id": ["e1", "e2", "e3", "e4"],
                          "mentions": [[mention("body", 0)], [mention("body", 50), mention("body", 5)],
                                       [mention("title", 9)], [mention("body", 7)]]})
    assert changes.sort_rows("entities", frame)["entity_id"].to_list() == ["e3", "e2", "e4", "e1"]


def test_quotes_sort_by_article_then_field_and_offsets():
    frame = pl.DataFrame({"article_id": ["a", "a", "a"], "quote_id": ["q1", "q2", "q3"],
                          "field": ["body", "title", "body"], "start": [30, 40, 2], "end": [35, 45, 9]})
    assert changes.sort_rows("quotes", frame)["quote_id"].to_list() == ["q2", "q3", "q1"]


def articles(*rows, with_dup=False):
    cols = ["article_id", "source_path", "content_hash", "lang"] + (["duplicate_of"] if with_dup else [])
    return pl.DataFrame([dict(zip(cols, r, strict=True)) for r in rows],
                        schema={c: pl.String for c in cols})


def files_frame(*rows):
    return pl.DataFrame([{"source_path": p, "status": s, "prev_article_id": i} for p, s, i in rows],
                        schema={"source_path": pl.String, "status": pl.String, "prev_article_id": pl.String})


def test_a_copy_whose_original_is_deleted_becomes_the_original_and_is_extracted():
    carried = articles(("B", "b.txt", "h", "en", "A"), with_dup=True)
    merge = changes.plan_merge(files_frame(("a.txt", "deleted", "A"), ("b.txt", "unchanged", "B")),
                               carried, articles(), ["en"])
    assert merge.extract.to_list() == ["B"] and merge.duplicates.is_empty()
    assert merge.relinked.to_list() == ["B"] and merge.dropped_articles.to_list() == ["A"]
    assert "A" in merge.dropped_extraction.to_list()


def test_an_original_that_becomes_a_copy_loses_its_extraction():
    carried = articles(("B", "b.txt", "h", "en", None), with_dup=True)
    fresh = articles(("A", "a.txt", "h", "en"))        # a new file with the same body and a smaller path
    merge = changes.plan_merge(files_frame(("a.txt", "new", None), ("b.txt", "unchanged", "B")), carried, fresh, ["en"])
    assert merge.duplicates.to_dicts() == [{"article_id": "B", "duplicate_of": "A", "duplicate_kind": "exact"}]
    assert merge.extract.to_list() == ["A"]
    assert merge.dropped_extraction.to_list() == ["B"] and merge.relinked.to_list() == ["B"]


def test_unchanged_originals_and_other_languages_are_not_extracted_again():
    carried = articles(("A", "a.txt", "h1", "en", None), with_dup=True)
    fresh = articles(("C", "c.txt", "h3", "de"), ("D", "d.txt", "h4", "en"))
    merge = changes.plan_merge(files_frame(("a.txt", "unchanged", "A"), ("c.txt", "new", None), ("d.txt", "changed", "D")),
                               carried, fresh, ["en"])
    assert merge.extract.to_list() == ["D"]
    assert merge.relinked.is_empty() and merge.dropped_articles.to_list() == ["D"]
    assert merge.dropped_paths.to_list() == ["d.txt"]


def test_the_next_manifest_has_every_read_file_with_its_outcome():
    files = pl.DataFrame({"source_path": ["a.txt", "b.txt"], "size": [1, 2], "mtime_ns": [5, 6],
                          "status": ["new", "new"]}).with_columns(
        *(pl.lit(None, dtype=pl.String).alias(f"prev_{c}") for c in ("raw_sha256", "article_id", "outcome", "reason")))
    rejects = pl.DataFrame({"source_path": ["b.txt"], "reason": ["empty"]})
    seen = changes.outcomes(["a.txt", "b.txt"], {"a.txt": "h", "b.txt": "e"}, rejects)
    result = changes.next_manifest(files, seen)
    assert result.select("source_path", "outcome", "reason", "raw_sha256").rows() == [
        ("a.txt", "article", None, "h"), ("b.txt", "reject", "empty", "e")]
    with pytest.raises(RuntimeError, match="no outcome recorded"):
        changes.next_manifest(files, seen.head(1))


def test_recleaned_files_are_read_again_and_their_rows_replaced():
    files = files_frame(("a.txt", "unchanged", "A"), ("b.txt", "touched", "B"), ("c.txt", "new", None))
    marked = changes.mark_recleaned(files, ["a.txt", "b.txt", "c.txt"])
    assert statuses(marked) == {"a.txt": "recleaned", "b.txt": "recleaned", "c.txt": "new"}   # a new file stays new
    assert changes.status_counts(marked)["recleaned"] == 2
    carried = articles(with_dup=True)
    fresh = articles(("A", "a.txt", "h1", "en"), ("B", "b.txt", "h2", "en"), ("C", "c.txt", "h3", "en"))
    merge = changes.plan_merge(marked, carried, fresh, ["en"])
    assert sorted(merge.dropped_articles.to_list()) == ["A", "B"] and merge.extract.to_list() == ["A", "B", "C"]
    assert sorted(merge.dropped_paths.to_list()) == ["a.txt", "b.txt"]


def test_near_pairs_make_a_carried_article_a_near_copy_of_a_new_one():
    carried = articles(("B", "b.txt", "h2", "en", None), with_dup=True)
    fresh = articles(("A", "a.txt", "h1", "en"))
    pairs = pl.DataFrame({"content_hash": ["h1"], "other_hash": ["h2"], "similarity": [0.9]},
                         schema={"content_hash": pl.String, "other_hash": pl.String, "similarity": pl.Float32})
    merge = changes.plan_merge(files_frame(("a.txt", "new", None), ("b.txt", "unchanged", "B")), carried, fresh,
                               ["en"], pairs)
    assert merge.duplicates.to_dicts() == [{"article_id": "B", "duplicate_of": "A", "duplicate_kind": "near"}]
    assert merge.extract.to_list() == ["A"] and merge.dropped_extraction.to_list() == ["B"]
