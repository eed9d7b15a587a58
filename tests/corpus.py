"""Small corpora for the incremental and crash tests, built from the Kazakh seed: every article
a different choice of its paragraphs, so no two are duplicates and each one is extracted."""
from itertools import combinations, islice
import os
from pathlib import Path
import shutil

import polars as pl

from tests.conftest import KAZAKH_SEED

PARAGRAPHS = [p.strip() for p in KAZAKH_SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()][1:]
TABLE_KEYS = {"articles": "article_id", "entities": "entity_id", "quotes": "quote_id", "rejects": "source_path"}
RUN_TIME_COLUMNS = ["ingested_at"]


def article_text(i: int) -> str:
    """Article i: a headline and three of the seed's paragraphs (the i-th choice of three)."""
    chosen = next(islice(combinations(range(len(PARAGRAPHS)), 3), i, None))
    return f"Kazakhstan report number {i}\n\n" + "\n\n".join(PARAGRAPHS[p] for p in chosen) + "\n"


def write_articles(raw: Path, numbers) -> None:
    for i in numbers:
        path = raw / f"{i % 3}" / f"report-{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(i), encoding="utf-8")


def published_then_changed(root: Path, run, new_articles, copy_of_1: bool = False) -> Path:
    """Corpus `before` (articles 0-7, and a copy of article 1 if `copy_of_1`) published in OUT
    `published`; corpus `after` (article 3 edited, article 1 deleted, `new_articles` added) with
    the tables of an uninterrupted run in `uninterrupted`. The faults and kills tests start from
    `published` and must end with `uninterrupted`."""
    before, after = root / "before", root / "after"
    write_articles(before, range(8))
    if copy_of_1:
        shutil.copy(before / "1" / "report-001.txt", before / "copy-of-1.txt")
    run(before, root / "published")
    shutil.copytree(before, after)
    (after / "0" / "report-003.txt").write_text(article_text(3) + '\n"It was a fair vote," said Tokayev.\n')
    (after / "1" / "report-001.txt").unlink()
    write_articles(after, new_articles)
    run(after, root / "uninterrupted")
    return root


def published_copy(root: Path, out: Path) -> Path:
    """A copy of `published_then_changed`'s published OUT, links kept, to run on."""
    shutil.copytree(root / "published", out, symlinks=True)
    return out


def set_old_mtimes(raw: Path) -> None:
    """Raw files written seconds before a run are hashed again by the next one (their mtime may
    tick again unnoticed); tests that count unchanged files date them back a minute."""
    for path in raw.rglob("*.txt"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 60_000_000_000))


def tables(out: Path) -> dict[str, pl.DataFrame]:
    """The four tables as a reader sees them, without the columns that record when a run ran."""
    return {t: pl.read_parquet(out / t).drop(RUN_TIME_COLUMNS, strict=False) for t in TABLE_KEYS}


def assert_same_tables(out: Path, expected: Path) -> None:
    """Row for row (order included), and no key twice."""
    got, want = tables(out), tables(expected)
    for name, key in TABLE_KEYS.items():
        assert got[name][key].is_unique().all(), f"{name}: {key} repeated"
        assert got[name].equals(want[name]), f"{name} differs from the uninterrupted run"


# A news site's pages: a page title with the site's name, a share button, the headline, a
# "Published" line, three paragraphs and, between two of them, the site's own briefing line,
# which no phrase rule knows: only its count across the corpus tells that it is furniture.
SITE_LINE = "Gazette Morning Briefing"
PUBLISHED_LINE = "Published 12 March 2024"


def page_text(i: int, site_line: bool = True) -> str:
    chosen = next(islice(combinations(range(len(PARAGRAPHS)), 3), i, None))
    first, second, third = (PARAGRAPHS[p] for p in chosen)
    title = f"Kazakhstan report number {i}"
    lines = [f"{title} | The Gazette", "Share this article", "", title, PUBLISHED_LINE, "", first, "", second, ""]
    lines += [SITE_LINE, ""] if site_line else []
    return "\n".join([*lines, third, ""])


def write_pages(raw: Path, numbers, site_line: bool = True) -> None:
    for i in numbers:
        path = raw / "site" / f"page-{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_text(i, site_line), encoding="utf-8")
