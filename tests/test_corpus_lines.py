"""Tests of transforms.corpus_lines: corpus-wide counts of short lines, by distinct story."""
import polars as pl

from transforms import corpus_lines
from transforms.clean import REPEAT_MIN_ARTICLES, key_of_line

MENU_LINE = "Morning Briefing"


def page(i: int, *extra: str) -> str:
    """A page with its own long paragraph (so its own story) and the given short lines."""
    return "\n".join([f"Headline {i}", *extra,
                      f"Story number {i} tells how the council voted on the bridge and what the engineers found there."])


def scanned(texts: dict[str, str]) -> pl.DataFrame:
    return corpus_lines.scanned_frame([row for path, text in texts.items() for row in corpus_lines.scan_rows(path, text)])


def count_of(lines: pl.DataFrame, line: str) -> int:
    counts = dict(corpus_lines.counts(lines).iter_rows())
    return counts.get(key_of_line(line), 0)


def test_a_line_is_counted_once_per_distinct_story():
    texts = {f"{i}.txt": page(i, MENU_LINE, MENU_LINE) for i in range(4)}    # twice on one page: once
    texts["copy-of-0.txt"] = page(0, MENU_LINE, "Another menu")              # the same story again
    lines = scanned(texts)
    assert count_of(lines, MENU_LINE) == 4
    assert count_of(lines, "Another menu") == 1


def test_frequent_lines_hold_those_at_the_threshold_with_their_text():
    texts = {f"{i}.txt": page(i, MENU_LINE) for i in range(REPEAT_MIN_ARTICLES)}
    texts["x.txt"] = page(99, "Rare line")
    lines = scanned(texts)
    frequent = corpus_lines.frequent_lines(lines, lines)
    assert frequent.select("line", "articles").rows() == [("morning briefing", REPEAT_MIN_ARTICLES)]
    assert corpus_lines.seen_in(frequent) == {key_of_line(MENU_LINE): REPEAT_MIN_ARTICLES}


def test_files_holding_a_line_that_crossed_the_threshold_are_cleaned_again():
    before = scanned({f"{i}.txt": page(i, MENU_LINE) for i in range(REPEAT_MIN_ARTICLES - 1)}
                     | {"other.txt": page(50, "Unrelated line")})
    after = pl.concat([before, scanned({"new.txt": page(77, MENU_LINE)})])
    old, new = (corpus_lines.frequent_lines(x, x) for x in (before, after))
    flipped = corpus_lines.crossed(old, new)
    assert flipped.to_list() == [key_of_line(MENU_LINE)]
    assert corpus_lines.files_to_reclean(before, flipped) == [f"{i}.txt" for i in range(REPEAT_MIN_ARTICLES - 1)]
    # and back below the threshold when the new file goes
    assert corpus_lines.crossed(new, old).to_list() == flipped.to_list()
    assert corpus_lines.files_to_reclean(before, corpus_lines.crossed(old, old)) == []


def test_one_file_is_counted_as_if_it_were_in_the_corpus_whether_or_not_it_is():
    lines = scanned({f"{i}.txt": page(i, MENU_LINE) for i in range(REPEAT_MIN_ARTICLES - 1)})
    outside = page(123, MENU_LINE)
    assert corpus_lines.seen_in_with(lines, "new.txt", outside)[key_of_line(MENU_LINE)] == REPEAT_MIN_ARTICLES
    inside = page(0, MENU_LINE)                        # the same story as 0.txt: counted once
    assert corpus_lines.seen_in_with(lines, "0.txt", inside)[key_of_line(MENU_LINE)] == REPEAT_MIN_ARTICLES - 1
