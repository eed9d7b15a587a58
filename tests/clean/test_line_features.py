"""The numbers the line model sees: character counts in any script, where a line stands against
the end-of-article headings, and how much of its vocabulary it shares with the article."""
import numpy as np

from transforms.clean import clean_text
from transforms.clean import line_features
from transforms.clean.line_features import FEATURES, PAGE_FEATURES
from transforms.clean.word_odds import line_words, odds_features


def test_characters_are_counted_in_any_script():
    counts = line_features._character_counts(["Hello World 123", "ÄÖÜ straße 2024", "Σύνταξη του ΟΗΕ"])
    assert counts["digits"].tolist() == [3, 4, 0]
    assert counts["upper"].tolist() == [2, 3, 4]
    assert counts["letters"].tolist() == [10, 9, 13]
    assert counts["capitalised"].tolist() == [2, 1, 2]
    assert counts["words"].tolist() == [3, 3, 3]
    assert counts["head"].tolist() == [15, 15, 15]


def test_commas_separators_and_the_last_character_count_the_whole_line():
    long = "a, b | c " * 300 + "end?"                   # past HEAD_CHARS
    texts = ["Home | News • Sport · More:", "Yes, no, maybe!", long, "x"]
    counts = line_features._character_counts(texts)
    assert counts["commas"].tolist() == [t.count(",") for t in texts]
    assert counts["separators"].tolist() == [t.count("|") + t.count("•") + t.count("·") for t in texts]
    assert counts["ends_colon"].tolist() == [True, False, False, False]
    assert counts["ends_question"].tolist() == [False, True, True, False]
    assert counts["head"].tolist() == [27, 15, line_features.HEAD_CHARS, 1]


PAGE = """Council votes to close the old bridge | The Gazette
Council votes to close the old bridge
The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its piers.
Buses and bicycles will still be allowed to cross the bridge while the city council looks for money to repair it.
Comments
I think the council is wrong about this, my commute will take an extra hour every single day from now on.
You might also like
Ten recipes for a quick summer dinner with friends and family
"""


def page_of(page_text: str):
    """The PageLines the cleaner gives its line model for `page_text`."""
    seen = {}

    def recorder(page):
        seen["page"] = page
        return [None] * len(page.lines)
    clean_text(page_text, body_model=recorder)
    return seen["page"]


def features_of(page_text: str) -> tuple[list[str], np.ndarray]:
    page = page_of(page_text)
    return [ln.text for ln in page.lines], line_features.page_features(page)


def test_the_model_reads_the_word_odds_training_computes_from_the_text():
    """Training takes word_odds.odds_features of each line's line_words; the model reads them
    off the page's words as the rules found them: the same numbers, in any script, for tokens
    holding words ("covid19"), and for a line past HEAD_CHARS."""
    odd_lines = ["Teilen: Facebook, facebook & X 2024 a", "covid19 my_var x²y Ⅻ ½ abc_de 3D",
                 "Ça coûte 10€ l'été — d'accord?", "東京 2024年 ソウル", "a b c", "word " * 500 + "tail"]
    page = page_of(PAGE + "\n".join(odd_lines) + "\n")
    texts = [ln.text for ln in page.lines]
    assert all(line in texts for line in odd_lines[:-1]) and any(t.startswith("word word") for t in texts)
    words = [line_words(t) for t in texts]
    vocabulary = sorted(set().union(*words))
    assert {"covid", "var", "abc", "de", "été", "accord"} <= set(vocabulary)
    odds = {w: round(k / 7 - 1.5, 3) for k, w in enumerate(vocabulary)}   # a distinct value per word
    read = line_features.features(page, odds)[:, len(PAGE_FEATURES):]
    assert np.array_equal(read, odds_features(words, odds))


def test_a_line_past_an_end_of_article_heading_knows_it():
    lines, x = features_of(PAGE)
    barriers_above = x[:, FEATURES.index("barriers_above")]
    assert barriers_above[lines.index("Comments")] == 0
    assert barriers_above[lines.index("You might also like") + 1] > barriers_above[lines.index("Comments") + 1] > 0


def test_a_teaser_of_another_story_shares_little_of_the_article_vocabulary():
    lines, x = features_of(PAGE)
    overlap = x[:, FEATURES.index("run_overlap")]
    article = next(i for i, t in enumerate(lines) if t.startswith("Buses"))
    teaser = next(i for i, t in enumerate(lines) if t.startswith("Ten recipes"))
    assert overlap[article] > 0.3
    assert overlap[teaser] == 0
    assert x[teaser, FEATURES.index("title_overlap")] == 0


THREAD = """Bridge to close next spring | The Gazette
Bridge to close next spring
March 3, 2024
The city council voted on Tuesday to close the old bridge to cars from next spring.
Engineers found cracks in two of its piers, and repairs would cost more than the city has.
Buses and bicycles will still be allowed to cross while the council looks for the money to repair it.
12 Comments
jdoe
March 3, 2024 at 9:14 am
The council should have fixed this years ago, the cracks were there when I was a child in the town.
asmith
March 3, 2024 at 10:02 am
My commute will take an extra hour every day now, and nobody asked the people who live on the far side.
bwhite
March 4, 2024 at 8:45 pm
I walked across it last week and the whole deck was shaking under the weight of a single delivery van.
"""


def test_a_comment_thread_has_a_time_stamp_on_every_record_and_the_article_has_one():
    lines, x = features_of(THREAD)
    stamps = x[:, FEATURES.index("timestamp")]
    assert [lines[i] for i in np.flatnonzero(stamps)] == [
        "March 3, 2024", "March 3, 2024 at 9:14 am", "March 3, 2024 at 10:02 am", "March 4, 2024 at 8:45 pm"]
    article = next(i for i, t in enumerate(lines) if t.startswith("Engineers"))
    comment = next(i for i, t in enumerate(lines) if t.startswith("My commute"))
    for name in ("stamps_above", "up_stamps_6", "up_stamps_20"):
        assert x[comment, FEATURES.index(name)] > x[article, FEATURES.index(name)], name


def test_the_article_run_is_the_first_one_after_the_headline_even_when_a_longer_one_follows():
    lines, x = features_of(THREAD)
    article = next(i for i, t in enumerate(lines) if t.startswith("The city council"))
    comment = next(i for i, t in enumerate(lines) if t.startswith("I walked"))
    assert x[article, FEATURES.index("in_anchor_run")] == 1
    assert x[comment, FEATURES.index("in_anchor_run")] == 0
    assert x[comment, FEATURES.index("anchor_run_distance")] > 0
    assert x[comment, FEATURES.index("in_main_run")] == 1        # the densest run is the thread
