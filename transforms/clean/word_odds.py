"""What a line's words say about it: per word, the log-odds that a line holding it is page
furniture rather than article, learned from the training pages of many sites.

Furniture speaks in a small vocabulary in every language ("Datenschutzerklärung", "newsletter",
"teilen", "abonnieren", "cookies", "comments") and a hand list of phrases never covers it all.
A word counts once per site on each side (the sites where it appears in a furniture line, the
sites where it appears in an article line), so one site's own boilerplate, however often it
repeats, weighs as much as one site; words seen on fewer than MIN_SITES sites are left out.
The model (line_model.json) carries the table; `odds_features` turns it into numbers per line.
"""
from __future__ import annotations

from collections import Counter
from itertools import chain, repeat
import math
import re

import numpy as np

WORD = re.compile(r"[^\W\d_]{2,}")    # letters only: numbers and one-letter tokens say little
HEAD_CHARS = 2000                     # characters of a line whose words are looked up
MIN_SITES = 3                         # (5 scored 0.004 lower on the mean of train's parts in CV)
STRONG = 1.0                          # |log-odds| of a word that leans clearly one way
ODDS_WINDOWS = (1, 3)
WORD_ODDS = ["odds_mean", "odds_max", "odds_min", "furniture_words", "article_words", "known_share",
             *(f"{side}_odds_{w}" for w in ODDS_WINDOWS for side in ("up", "down"))]


def line_words(text: str) -> frozenset[str]:
    """The distinct words of a line, lower case, as the table is keyed (the line model reads
    the same words off the page's numbered words: line_features._odds_features)."""
    return frozenset(WORD.findall(text[:HEAD_CHARS].lower()))


def learn_odds(furniture_sites: Counter, article_sites: Counter, min_sites: int = MIN_SITES) -> dict[str, float]:
    """Per word, log((furniture sites + 1) / (article sites + 1)), for words seen on at least
    `min_sites` sites; in thousandths, as the model ships it and `odds_features` sums it."""
    odds = {}
    for word in furniture_sites.keys() | article_sites.keys():
        furniture, article = furniture_sites[word], article_sites[word]
        if furniture + article >= min_sites:
            odds[word] = round(math.log((furniture + 1) / (article + 1)), 3)
    return odds


def odds_features(words: list[frozenset[str]], odds: dict[str, float]) -> np.ndarray:
    """One row of WORD_ODDS per line: the mean, highest and lowest odds of its known words, how
    many lean clearly to furniture and to article, the share of its words the table knows, and
    the mean odds of the lines just above and below."""
    every = list(chain.from_iterable(words))
    line_of = np.repeat(np.arange(len(words), dtype=np.intp), list(map(len, words)))
    return odds_columns(looked_up(every, odds), line_of, np.array([len(line) for line in words], dtype=float))


def looked_up(words: list[str], odds: dict[str, float]) -> np.ndarray:
    """Each word's log-odds, all at once; nan for a word not in the table (whose log-odds never
    are nan)."""
    return np.array(list(map(odds.get, words, repeat(math.nan, len(words)))), dtype=float)


def odds_columns(word_odds: np.ndarray, line_of: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """`odds_features` from every (line, distinct word of the line), in any order: the word's
    log-odds (`looked_up`) and its line, and each line's number of distinct words."""
    n = len(sizes)
    if not n:
        return np.zeros((0, len(WORD_ODDS)))
    known = ~np.isnan(word_odds)
    scores = word_odds[known]
    line_of = line_of[known]
    count = np.bincount(line_of, minlength=n)
    has = count > 0
    highest, lowest = np.full(n, -np.inf), np.full(n, np.inf)
    np.maximum.at(highest, line_of, scores)
    np.minimum.at(lowest, line_of, scores)
    own = np.zeros((n, 6))
    # Summed in whole thousandths: exact in any order (a line's words may come in the order of a
    # set, which changes with the process's string hashing: training would not be repeatable).
    thousandths = np.bincount(line_of, weights=np.round(scores * 1000), minlength=n)
    own[has, 0] = thousandths[has] / count[has] / 1000
    own[has, 1], own[has, 2] = highest[has], lowest[has]
    own[:, 3] = np.bincount(line_of, weights=scores > STRONG, minlength=n)
    own[:, 4] = np.bincount(line_of, weights=scores < -STRONG, minlength=n)
    own[has, 5] = count[has] / sizes[has]
    mean = own[:, 0]
    context = []
    for w in ODDS_WINDOWS:
        context.append(_window_mean(mean, w, up=True))
        context.append(_window_mean(mean, w, up=False))
    return np.hstack([own, np.stack(context, axis=1)])


def _window_mean(values: np.ndarray, w: int, up: bool) -> np.ndarray:
    """Mean of `values` over the (up to) w lines above or below each line, itself excluded; 0
    where there is none."""
    n = len(values)
    summed = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(n)
    lo, hi = (np.maximum(idx - w, 0), idx) if up else (idx + 1, np.minimum(idx + 1 + w, n))
    count = hi - lo
    return np.where(count > 0, (summed[hi] - summed[lo]) / np.maximum(count, 1), 0.0)
