"""Which lines of a web page are its article: a learned line classifier with context.

`line_features.py` turns each line and its surroundings into numbers, two tree ensembles
(`forest.py`; the second also sees the first one's probabilities around the line) turn them into
p(article), and decoding keeps as many of the likeliest lines as maximise the page's expected
score. The model is trained on many sites by `bench/train_line_model.py` and shipped as
`line_model.json`; evaluation is in plain numpy, so running it needs no learning library.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
import json
from pathlib import Path

import numpy as np

from transforms.clean.forest import Forest
from transforms.clean.line_features import FEATURES, STACKED, features, stack_features

MODEL_PATH = Path(__file__).with_name("line_model.json")
# Decoding never keeps a line less likely than this, whatever recall it would bring: otherwise a
# page of nothing but furniture comes out whole (keeping everything gives recall 1), and on a page
# where every line is in doubt the teasers under a "You might also like" come along. (In the
# site-grouped CV, 0.3 costs 0.0004 on the mean of train's parts against 0.1, within the spread
# of two training seeds.)
LEAST_P = 0.3


@dataclass(frozen=True)
class LineModel:
    """Probabilities per line (a first forest on the line's features, a second one that also sees
    the first one's probabilities around the line), then the body as the lines that maximise the
    page's expected score."""
    forest: Forest
    stacked: Forest
    precision_weight: float  # what precision weighs against recall when decoding a page
    odds: dict[str, float]   # per word, log-odds of furniture against article (word_odds.py)
    explained: bool = False  # reasons name the features that decided (newspipe clean --explain)

    def explaining(self) -> LineModel:
        return replace(self, explained=True)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """p(article) of each line from its FEATURES rows."""
        if not len(x):
            return np.zeros(0)
        return _sigmoid(self.stacked.raw_scores(self._stacked_features(x)))

    def _stacked_features(self, x: np.ndarray) -> np.ndarray:
        return stack_features(x, _sigmoid(self.forest.raw_scores(x)))

    def explain(self, x: np.ndarray, top: int = 3) -> list[str]:
        """Per line (FEATURES rows), the features that moved the first stage's probability
        most ("+in_main_run -log_words"): the second stage mostly weighs that probability and its
        neighbours'."""
        out = []
        for row in x:
            c = self.forest.contributions(row)
            strongest = np.argsort(-np.abs(c))[:top]
            out.append(" ".join(f"{'+' if c[k] > 0 else '-'}{FEATURES[k]}" for k in strongest if c[k]))
        return out

    def __call__(self, page) -> list[tuple[bool, str] | None]:
        x = features(page, self.odds)
        p = self.probabilities(x)
        words = np.array([max(ln.words, 1) for ln in page.lines], dtype=float)
        keep = never_empty(headings_lead_somewhere(decode(p, words, page, self.precision_weight), page), p, page)
        why = self.explain(x) if self.explained else [""] * len(p)
        probability = p.tolist()        # Python floats: the same numbers, quicker to format one by one
        out = []
        for i in range(len(page.lines)):
            if not page.candidates[i]:
                out.append(None)
                continue
            deciding = f"; features {why[i]}" if why[i] else ""
            out.append((keep[i], f"line model: p(article)={probability[i]:.2f}{deciding}"))
        return out


def decode(p: np.ndarray, words: np.ndarray, page, precision_weight: float) -> list[bool]:
    """The candidate lines to keep: the likeliest ones, as many as maximise the page's expected
    score, precision_weight * precision + (1 - precision_weight) * recall, in words, with p as
    each line's chance of being article. The scorers average precision and recall over pages, so a
    doubtful line is worth keeping when it would hold much of its page's likely article, and not
    when it adds little recall for its risk to precision; a fixed threshold treats both alike.
    Lines that are not candidates keep the rules' verdict and count as they are; candidates below
    LEAST_P are dropped, and do not count as article the page could recall either: on a page of
    60,000 menu lines, each at p 0.003, they would otherwise weigh as 180 words of article and
    leave recall no say."""
    keep = [bool(k) and not c for k, c in zip(page.rule_keep, page.candidates)]
    chosen = np.flatnonzero(np.asarray(page.candidates, dtype=bool) & (p >= LEAST_P))
    if not len(chosen):
        return keep
    fixed = np.flatnonzero(keep)
    fixed_words, fixed_article = words[fixed].sum(), (p[fixed] * words[fixed]).sum()
    order = chosen[np.argsort(-p[chosen], kind="stable")]
    article = fixed_article + np.cumsum(p[order] * words[order])
    expected = article / (fixed_words + np.cumsum(words[order]))
    recall = article / max(fixed_article + (p[chosen] * words[chosen]).sum(), 1e-9)
    best = int(np.argmax(precision_weight * expected + (1 - precision_weight) * recall))
    for i in order[:best + 1]:
        keep[i] = True
    return keep


def headings_lead_somewhere(keep: list[bool], page) -> list[bool]:
    """An end-of-article heading ("You might also like", "Related") kept without the line after
    it is dropped: a heading introduces what follows, and alone it is furniture."""
    keep = list(keep)
    markers = page.end_markers
    for i in range(len(keep) - 1, -1, -1):
        if keep[i] and markers[i] and page.candidates[i] and (i + 1 == len(keep) or not keep[i + 1]):
            keep[i] = False
    return keep


def never_empty(keep: list[bool], p: np.ndarray, page) -> list[bool]:
    """A page the decoding empties keeps what the rules kept, or else its likeliest line: a
    page with some text never becomes an article without a body."""
    chosen = [i for i, c in enumerate(page.candidates) if c]
    if not chosen or any(keep[i] for i in chosen):
        return keep
    if any(page.rule_keep[i] for i in chosen):
        return [page.rule_keep[i] if page.candidates[i] else keep[i] for i in range(len(keep))]
    best = max(chosen, key=lambda i: p[i])
    return [i == best or (keep[i] and not page.candidates[i]) for i in range(len(keep))]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def from_json(payload: dict) -> LineModel:
    if list(payload["features"]) != FEATURES or list(payload["stacked_features"]) != STACKED:
        raise ValueError("line model: its features are not this code's; rebuild it with bench/train_line_model.py")
    return LineModel(Forest.from_dump(payload["trees"]), Forest.from_dump(payload["stacked_trees"]),
                     payload["precision_weight"], payload["word_odds"])


@lru_cache(maxsize=1)
def shipped() -> LineModel:
    """The model that ships with the code (transforms/clean/line_model.json)."""
    return from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
