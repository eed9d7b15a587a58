"""Corpus-wide line counts: how many distinct articles hold each short line.

A line on many pages of a corpus is a site's menu, label or prompt. The counts are kept for the
whole corpus in OUT's state (never per batch), so a cleaned article does not depend on how the
work was split, and a re-run updates them with what changed instead of reading everything:

- `lines`: one row per (raw file, counted line): `source_path`, `story` (copies of one story
  share it and count once), `line_key` (`clean.line_key` of the normalised line);
- `frequent`: the lines held by at least `clean.REPEAT_MIN_ARTICLES` stories, with their text:
  all the cleaner needs.

Cleaning uses only whether a line is frequent, so when a re-run moves a line across the
threshold, exactly the files holding that line are cleaned again (`files_to_reclean`).
"""
import polars as pl
import pyarrow as pa

from transforms.clean import REPEAT_MIN_ARTICLES, counted_lines
from transforms.frames import to_frame

LINES = pa.schema([
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("story", pa.uint64(), nullable=False),
    pa.field("line_key", pa.uint64(), nullable=False),
])
# What a run's read step records: the lines with their text (the state keeps only the keys).
SCANNED = pa.schema([*LINES, pa.field("line", pa.string(), nullable=False)])
FREQUENT = pa.schema([
    pa.field("line_key", pa.uint64(), nullable=False),
    pa.field("line", pa.string(), nullable=False),
    pa.field("articles", pa.int64(), nullable=False),
])


def scan_rows(source_path: str, text: str) -> list[dict]:
    """The counted lines of one decoded text, as SCANNED rows."""
    story, lines = counted_lines(text)
    return [{"source_path": source_path, "story": story, "line_key": key, "line": line} for key, line in lines.items()]


def scanned_frame(rows: list[dict]) -> pl.DataFrame:
    return to_frame(rows, SCANNED)


def counts(lines: pl.DataFrame) -> pl.DataFrame:
    """line_key -> articles: the number of distinct stories holding the line."""
    return lines.group_by("line_key").agg(pl.col("story").n_unique().cast(pl.Int64).alias("articles"))


def frequent_lines(lines: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """The FREQUENT table of a corpus: its lines held by enough stories, with their text
    (`texts`: line_key, line of at least every frequent line), sorted by key."""
    known = texts.select("line_key", "line").unique("line_key", keep="first", maintain_order=True)
    return (counts(lines).filter(pl.col("articles") >= REPEAT_MIN_ARTICLES)
            .join(known, on="line_key", how="left")
            .select(FREQUENT.names).sort("line_key"))


def crossed(before: pl.DataFrame, after: pl.DataFrame) -> pl.Series:
    """Line keys frequent in one of the two FREQUENT tables and not in the other."""
    old, new = set(before["line_key"].to_list()), set(after["line_key"].to_list())
    return pl.Series("line_key", sorted(old ^ new), dtype=pl.UInt64)


def files_to_reclean(carried: pl.DataFrame, flipped: pl.Series) -> list[str]:
    """Carried files holding a line that crossed the threshold: their cleaning may change."""
    if flipped.is_empty():
        return []
    return sorted(carried.filter(pl.col("line_key").is_in(flipped.implode()))["source_path"].unique().to_list())


def seen_in(frequent: pl.DataFrame) -> dict[int, int]:
    """The cleaner's view of a FREQUENT table: line key -> articles."""
    return dict(zip(frequent["line_key"].to_list(), frequent["articles"].to_list()))


def seen_in_with(lines: pl.DataFrame | pl.LazyFrame, source_path: str, text: str) -> dict[int, int]:
    """Counts of one text's short lines as a run would see them with the text in the corpus
    (`newspipe clean FILE --out-dir OUT`): its own story counts once, whether or not OUT has it."""
    own = scanned_frame(scan_rows(source_path, text)).select(LINES.names)
    if own.is_empty():
        return {}
    others = lines.lazy().select(LINES.names).filter(pl.col("line_key").is_in(own["line_key"].implode())).collect()
    return dict(counts(pl.concat([others, own])).iter_rows())
