from collections import Counter

import numpy as np
import pytest

from transforms.clean import line_model
from transforms.clean.word_odds import WORD_ODDS, learn_odds, line_words, odds_features


def test_words_are_letters_lower_case_and_distinct():
    assert line_words("Teilen: Facebook, facebook & X 2024 a") == {"teilen", "facebook"}


def test_a_word_leans_to_the_side_more_sites_use_it_on_and_rare_words_are_left_out():
    odds = learn_odds(Counter({"newsletter": 9, "minister": 1, "once": 1}),
                      Counter({"newsletter": 1, "minister": 8, "once": 1}), min_sites=3)
    assert odds["newsletter"] == round(np.log(10 / 2), 3)      # in thousandths, as shipped
    assert odds["minister"] < 0
    assert "once" not in odds


def test_features_of_a_line_and_of_its_neighbours():
    odds = {"abonnieren": 2.0, "newsletter": 1.5, "regierung": -1.2, "und": 0.0}
    lines = [line_words(t) for t in ("Newsletter abonnieren", "Die Regierung und", "xyz")]
    x = odds_features(lines, odds)
    col = {name: k for k, name in enumerate(WORD_ODDS)}
    assert x.shape == (3, len(WORD_ODDS))
    assert x[0, col["odds_mean"]] == pytest.approx(1.75)
    assert x[0, col["furniture_words"]] == 2 and x[1, col["article_words"]] == 1
    assert x[1, col["known_share"]] == pytest.approx(2 / 3)      # "die" is not in the table
    assert x[2, col["known_share"]] == 0 and x[2, col["odds_mean"]] == 0
    assert x[1, col["up_odds_1"]] == pytest.approx(1.75)
    assert x[0, col["up_odds_1"]] == 0                           # nothing above the first line
    assert x[0, col["down_odds_3"]] == pytest.approx((-0.6 + 0.0) / 2)


def test_the_shipped_model_knows_furniture_words_of_several_languages():
    odds = line_model.shipped().odds
    for word in ("newsletter", "datenschutzerklärung", "cookies", "abonnieren", "reply"):
        assert odds.get(word, 0) > 1, word
    for word in ("said", "sagte", "minister"):
        assert odds.get(word, 0) < 0, word
