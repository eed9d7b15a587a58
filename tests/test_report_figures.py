"""The report's figures from tiny tables: counts, copies, dropped lines, the shortest bodies,
histograms of round bins, top entities and speakers, articles per publication date."""
from datetime import date

import polars as pl

from report import figures
from tests.report_sample import HOSTILE, sample

TABLES = sample().tables


def test_counts_put_the_most_frequent_first_and_name_nulls():
    assert figures.counts(TABLES["articles"], "lang") == [("en", 2), ("unknown", 1)]


def test_a_copy_names_the_path_of_what_it_copies():
    assert figures.copies(TABLES["articles"]).to_dicts() == [
        {"source_path": "x/3.txt", "kind": "exact", "copy_of": f"{HOSTILE}.txt"}]


def test_dropped_lines_add_up_by_reason_with_the_pages_holding_them():
    assert figures.lines_dropped(TABLES["articles"]).to_dicts() == [
        {"reason": "menu", "lines": 6, "pages": 2}, {"reason": HOSTILE, "lines": 1, "pages": 1}]


def test_the_shortest_bodies_are_those_that_kept_least_of_their_page():
    shortest = figures.shortest_bodies(TABLES["articles"], n=2)
    assert shortest["source_path"].to_list() == ["x/1.txt", f"{HOSTILE}.txt"]
    assert shortest["body_share"].to_list() == [0.3, 0.75]


def test_histogram_bins_are_round_and_the_last_holds_the_tail():
    values = pl.Series("word_count", [*range(0, 1000, 10), 50_000])
    bins = figures.histogram(values, bins=16)
    assert bins[0] == ("0", "0–100", 10) and bins[-1] == ("1,500", "≥1,500", 1)
    assert sum(count for _, _, count in bins) == 101 and len(bins) == 16
    assert [figures.round_step(x) for x in (0.3, 7, 61, 200)] == [0.5, 10, 100, 200]
    assert figures.histogram(pl.Series("w", [], dtype=pl.Int32)) == []


def test_confidence_is_counted_per_tenth():
    bins = figures.confidence_bins(TABLES["quotes"])
    assert len(bins) == 10 and bins[4] == ("0.4", "0.4–0.5", 1) and bins[9] == ("0.9", "0.9–1.0", 2)


def test_top_entities_count_articles_and_top_speakers_sample_their_most_confident_direct_quote():
    assert figures.top_entities(TABLES["entities"], "PERSON") == [(HOSTILE, 1), ("Ann Lee", 1)]   # ties by name
    speakers = figures.top_speakers(TABLES["quotes"]).to_dicts()
    assert speakers[0] == {"speaker": "Ann Lee", "quotes": 2, "articles": 1, "sample": "We will win."}


def test_articles_per_publication_date_count_days_without_articles_and_months_for_long_spans():
    assert figures.published_dates(TABLES["articles"]) == [
        ("2024-03-01", 1), ("2024-03-02", 0), ("2024-03-03", 0), ("2024-03-04", 1)]
    spread = pl.DataFrame({"published": [date(2023, 1, 5), date(2023, 3, 9), date(2023, 6, 1), date(2023, 6, 2)]})
    assert figures.published_dates(spread) == [("2023-01", 1), ("2023-02", 0), ("2023-03", 1), ("2023-04", 0),
                                               ("2023-05", 0), ("2023-06", 2)]
    assert figures.published_dates(spread.clear()) == []
