"""The numbers the line model sees: character counts in any script, where a line stands against
the end-of-article headings, and how much of its vocabulary it shares with the article."""
import numpy as np

from transforms.clean import clean_text
from transforms.clean import line_features
from transforms.clean.line_features import FEATURES


def test_characters_are_counted_in_any_script():
    digits, upper, letters, capitalised, words, size = line_features._character_counts(
        ["Hello World 123", "ÄÖÜ straße 2024", "Σύνταξη του ΟΗΕ"])
    assert digits.tolist() == [3, 4, 0]
    assert upper.tolist() == [2, 3, 4]
    assert letters.tolist() == [10, 9, 13]
    assert capitalised.tolist() == [2, 1, 2]
    assert words.tolist() == [3, 3, 3]
    assert size.tolist() == [15, 15, 15]


PAGE = """Council votes to close the old bridge | The Gazette
Council votes to close the old bridge
The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its piers.
Buses and bicycles will still be allowed to cross the bridge while the city council looks for money to repair it.
Comments
I think the council is wrong about this, my commute will take an extra hour every single day from now on.
You might also like
Ten recipes for a quick summer dinner with friends and family
"""


def features_of(page_text: str) -> tuple[list[str], np.ndarray]:
    seen = {}

    def recorder(page):
        seen["page"] = page
        return [None] * len(page.lines)
    clean_text(page_text, body_model=recorder)
    page = seen["page"]
    return [ln.text for ln in page.lines], line_features.page_features(page)


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
