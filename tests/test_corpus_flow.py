"""Corpus-wide cleaning through the real flow: line counts and near copies do not depend on the
batch size, and a re-run that moves a line across the boilerplate threshold cleans again the
articles holding it, ending with the tables of a run from scratch."""
from datetime import date
import shutil

import polars as pl
import pytest

from tests.corpus import (PUBLISHED_LINE, SITE_LINE, assert_same_tables, page_text, set_old_mtimes, tables,
                          write_articles, write_pages)
from transforms.clean import REPEAT_MIN_ARTICLES, clean_text

pytestmark = pytest.mark.slow


@pytest.fixture
def run(prefect_harness):
    from flows.pipeline import newspipe_run

    def go(raw, out, batch_size=3, **options):
        return newspipe_run(raw_dir=str(raw), out_dir=str(out), batch_size=batch_size, **options)
    return go


def bodies(out) -> dict[str, str]:
    articles = pl.read_parquet(out / "articles")
    return dict(zip(articles["source_path"], articles["body"]))


def test_line_counts_near_copies_and_dates_do_not_depend_on_the_batch_size(run, tmp_path):
    raw = tmp_path / "raw"
    write_pages(raw, range(REPEAT_MIN_ARTICLES + 2))
    write_pages(raw, range(20, 23), site_line=False)
    write_articles(raw, range(40, 43))                    # plain texts: kept whole
    near = page_text(20, site_line=False).rstrip() + " The agency contributed to this report.\n"   # small edits
    (raw / "zz-syndicated.txt").write_text(near, encoding="utf-8")
    run(raw, tmp_path / "seven", batch_size=7)
    run(raw, tmp_path / "hundred", batch_size=100)
    assert_same_tables(tmp_path / "seven", tmp_path / "hundred")

    out = tmp_path / "seven"
    assert not any(SITE_LINE in body or PUBLISHED_LINE in body for body in bodies(out).values())
    articles = pl.read_parquet(out / "articles")
    pages = articles.filter(pl.col("source_path").str.starts_with("site/"))
    assert pages["published"].to_list() == [date(2024, 3, 12)] * pages.height
    copy = articles.filter(pl.col("source_path") == "zz-syndicated.txt").row(0, named=True)
    original = articles.filter(pl.col("source_path") == "site/page-020.txt").row(0, named=True)
    assert (copy["duplicate_of"], copy["duplicate_kind"]) == (original["article_id"], "near")
    assert copy["article_id"] not in pl.read_parquet(out / "entities")["article_id"].to_list()
    assert (out / "_state" / "frequent_lines.parquet").is_file() and (out / "_state" / "near_pairs.parquet").is_file()


def test_clean_explain_with_an_out_dir_says_which_lines_the_counts_decided(run, tmp_path, capsys):
    from flows.cli import main

    raw = tmp_path / "raw"
    write_pages(raw, range(REPEAT_MIN_ARTICLES))
    run(raw, tmp_path / "out")
    outside = tmp_path / "new-page.txt"
    outside.write_text(page_text(30), encoding="utf-8")
    assert main(["clean", str(outside), "--explain", "--out-dir", str(tmp_path / "out")]) == 0
    shown = capsys.readouterr().out
    line = next(x for x in shown.splitlines() if x.endswith(SITE_LINE))
    assert line.startswith("-") and f"seen in {REPEAT_MIN_ARTICLES + 1} articles" in line
    assert "decided by the corpus counts: kept without them" in line
    assert "published: 2024-03-12" in shown
    assert main(["clean", str(outside), "--explain"]) == 0
    assert next(x for x in capsys.readouterr().out.splitlines() if x.endswith(SITE_LINE)).startswith("+")
    assert main(["clean", str(outside), "--out-dir", str(tmp_path / "nothing")]) == 2


def test_a_line_crossing_the_threshold_cleans_again_the_articles_holding_it(run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    below = REPEAT_MIN_ARTICLES - 1
    write_pages(raw, range(below))                        # the line on too few pages: article text
    write_pages(raw, range(10, 12), site_line=False)
    set_old_mtimes(raw)
    run(raw, out)
    first = tables(out)
    # below the threshold the counts decide nothing: each page is cleaned as it would be alone
    assert all(body == clean_text(page_text(int(path[-7:-4]))).body
               for path, body in bodies(out).items() if int(path[-7:-4]) < below)

    write_pages(raw, [below])                             # one page more: the line is the site's furniture
    state = run(raw, out)
    assert (state["files_new"], state["files_recleaned"], state["files_unchanged"]) == (1, below, 2)
    assert not any(SITE_LINE in body for body in bodies(out).values())
    assert_same_tables(out, _from_scratch(run, raw, tmp_path))

    (raw / "site" / f"page-{below:03d}.txt").unlink()     # and back below the threshold
    state = run(raw, out)
    assert (state["files_deleted"], state["files_recleaned"]) == (1, below)
    got = tables(out)
    assert all(got[name].equals(first[name]) for name in first)


def _from_scratch(run, raw, tmp_path):
    scratch = tmp_path / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    run(raw, scratch)
    return scratch
