"""Which parts of a new version are carried and which rebuilt, and a rebuilt part's rows
(flows/layout.py): on tiny frames, no files."""
import polars as pl

from flows import layout
from flows.layout import PUBLISHED_PART, PUBLISHED_RANGE, PartStep, TableChange
from transforms import changes, schemas
from transforms.frames import empty_frame


def ids(*prefixes: str) -> pl.Series:
    return pl.Series("article_id", [f"{p}{'0' * 12}" for p in prefixes], dtype=pl.String)


def test_a_part_nothing_reaches_is_carried_and_the_others_rebuilt_from_their_published_rows():
    steps = layout.part_steps(published={0, 1, 2, 3}, fresh={1}, reached={2}, same_layout=True, bits=2)
    assert steps == [PartStep(0, carry=True), PartStep(1, carry=False, published=PUBLISHED_PART),
                     PartStep(2, carry=False, published=PUBLISHED_PART), PartStep(3, carry=True)]


def test_a_new_part_of_the_same_layout_has_no_published_rows():
    assert layout.part_steps({0}, fresh={3}, reached=set(), same_layout=True, bits=2) == [
        PartStep(0, carry=True), PartStep(3, carry=False, published=None)]


def test_when_the_layout_changes_every_part_is_rebuilt_from_the_published_rows_in_its_range():
    steps = layout.part_steps(published={0}, fresh={2}, reached=set(), same_layout=False, bits=2)
    assert steps == [PartStep(n, carry=False, published=PUBLISHED_RANGE) for n in range(4)]


def test_a_first_run_writes_only_the_parts_it_has_rows_for():
    assert layout.part_steps(set(), fresh={1, 3}, reached=set(), same_layout=False, bits=2) == [
        PartStep(1, carry=False, published=None), PartStep(3, carry=False, published=None)]


def test_dropped_and_rewritten_keys_reach_the_parts_they_fall_in():
    change = TableChange("articles", "article_id", dropped=ids("0001"), rewritten=ids("c000"))
    assert layout.reached_parts(change, bits=2) == {0, 3}
    assert layout.reached_parts(change, bits=0) == {0}


def _articles(*rows: tuple[str, str]) -> pl.DataFrame:
    """Articles (id prefix, source_path) of the contract's columns."""
    frame = empty_frame(schemas.ARTICLES).to_dicts()
    frame += [{"article_id": f"{p}{'0' * 12}", "source_path": path, "body": "b", "content_hash": p, "word_count": 1}
              for p, path in rows]
    return pl.DataFrame(frame, schema=pl.from_arrow(schemas.ARTICLES.empty_table()).schema)


def test_a_rebuilt_part_drops_its_changed_rows_adds_this_run_s_and_sets_duplicate_of_as_it_is_now():
    published = _articles(("0003", "c.txt"), ("0001", "a.txt"), ("0002", "b.txt"))
    fresh = [_articles(("0004", "d.txt"))]
    copies = pl.DataFrame({"article_id": ["0004" + "0" * 12], "duplicate_of": ["0001" + "0" * 12],
                           "duplicate_kind": ["exact"]})
    change = TableChange("articles", "article_id", dropped=ids("0002"), duplicates=copies)
    rows = layout.part_rows(change, published, fresh)
    assert rows["source_path"].to_list() == ["a.txt", "c.txt", "d.txt"]
    assert rows["duplicate_of"].to_list() == [None, None, "0001" + "0" * 12]


def test_the_rejects_are_one_part_and_the_other_tables_split_by_article():
    merge = changes.Merge(duplicates=pl.DataFrame(), extract=ids(), dropped_articles=ids("0001"), relinked=ids(),
                          dropped_extraction=ids("0002"), dropped_paths=pl.Series(["x.txt"]), carried_articles=0)
    tables = layout.table_changes(merge)
    assert [(t.table, t.key, t.split) for t in tables] == [
        ("articles", "article_id", True), ("entities", "article_id", True), ("quotes", "article_id", True),
        ("rejects", "source_path", False)]
    assert tables[0].dropped.equals(merge.dropped_articles) and tables[1].dropped.equals(merge.dropped_extraction)
