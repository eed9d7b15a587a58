"""Which parts of the new version are carried over and which rebuilt, and the rows of a rebuilt
part: pure functions (the table store reads and writes the parts, tasks.assemble_version runs it).

A table's rows live in parts by the leading bits of their key (transforms/changes.py). A part no
change reaches is hard-linked from the published version; a part that gets new rows, or loses
or rewrites published ones, is rebuilt from the published rows it keeps and this run's rows.
When the number of bits changes (the corpus grew or shrank past a power of two), every part is
rebuilt, each from the published rows in its key range.
"""
from dataclasses import dataclass

import polars as pl

from transforms import changes
from transforms.ingest import apply_duplicates

PUBLISHED_PART = "part"      # the published part of the same number holds the rows it keeps
PUBLISHED_RANGE = "range"    # the layout changed: the published rows in the part's key range


@dataclass(frozen=True)
class TableChange:
    """How one table of the published version becomes the new one."""
    table: str
    key: str                            # the column that chooses a row's part
    dropped: pl.Series                  # keys whose published rows go
    rewritten: pl.Series | None = None  # keys whose published rows stay but are rewritten (duplicate_of)
    duplicates: pl.DataFrame | None = None   # the copies of the new version, for articles' duplicate_of
    split: bool = True                  # False: the table is one part whatever its size (rejects)


@dataclass(frozen=True)
class PartStep:
    """What becomes of one part: carried as published, or rebuilt with the published rows of
    `published` (PUBLISHED_PART, PUBLISHED_RANGE or None: there are none)."""
    part_no: int
    carry: bool
    published: str | None = None


def table_changes(merge: changes.Merge) -> list[TableChange]:
    """The four tables' changes, given how the published rows and this run's combine."""
    return [TableChange("articles", "article_id", merge.dropped_articles, merge.relinked, merge.duplicates),
            TableChange("entities", "article_id", merge.dropped_extraction),
            TableChange("quotes", "article_id", merge.dropped_extraction),
            TableChange("rejects", "source_path", merge.dropped_paths, split=False)]


def reached_parts(change: TableChange, bits: int) -> set[int]:
    """The parts that lose or rewrite published rows."""
    keys = pl.concat([change.dropped, change.rewritten]) if change.rewritten is not None else change.dropped
    return set(keys.to_frame(change.key).select(changes.part_of(change.key, bits)).to_series().to_list())


def part_steps(published: set[int], fresh: set[int], reached: set[int], same_layout: bool, bits: int) -> list[PartStep]:
    """Each part of the new table in order, given the published parts' numbers, the parts this
    run has rows for, the parts changes reach, and whether the number of bits is the same."""
    if same_layout:
        parts = fresh | reached | published
    else:
        parts = fresh | reached | (set(range(1 << bits)) if published else set())
    steps = []
    for part_no in sorted(parts):
        if same_layout and part_no in published and part_no not in reached and part_no not in fresh:
            steps.append(PartStep(part_no, carry=True))
        elif same_layout:
            steps.append(PartStep(part_no, carry=False, published=PUBLISHED_PART if part_no in published else None))
        else:
            steps.append(PartStep(part_no, carry=False, published=PUBLISHED_RANGE if published else None))
    return steps


def part_rows(change: TableChange, published: pl.DataFrame, fresh: list[pl.DataFrame]) -> pl.DataFrame:
    """A rebuilt part: the published rows it keeps and this run's rows, duplicate_of as it is
    now, in the table's one row order."""
    rows = pl.concat([published.filter(~pl.col(change.key).is_in(change.dropped.implode())), *fresh])
    if change.duplicates is not None:
        rows = apply_duplicates(rows, change.duplicates)
    return changes.sort_rows(change.table, rows)
