"""Which lines of a web page are its article: a learned line classifier with context.

`line_features.py` turns each line and its surroundings into numbers, two tree ensembles
(`forest.py`; the second also sees the first one's probabilities around the line) turn them into
p(article), and a two-state Viterbi pass over the page can make the body a run of lines rather
than a scatter. The model is trained on many sites by `bench/train_line_model.py` and shipped as
`line_model.json`; evaluation is in plain numpy, so running it needs no learning library.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
import json
import math
from pathlib import Path

import numpy as np

from transforms.clean.forest import Forest
from transforms.clean.line_features import FEATURES, STACKED, page_features, stack_features

MODEL_PATH = Path(__file__).with_name("line_model.json")


@dataclass(frozen=True)
class LineModel:
    """Probabilities per line (a first forest on the line's features, a second one that also sees
    the first one's probabilities around the line), then the body as the most likely run of
    article lines."""
    forest: Forest
    stacked: Forest
    switch_cost: float      # log-odds a change between article and furniture costs in decoding
    bias: float             # added to every line's log-odds (the scorers weigh recall and precision alike)
    explained: bool = False  # reasons name the features that decided (newspipe clean --explain)

    def explaining(self) -> LineModel:
        return replace(self, explained=True)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """p(article) of each line from its page_features rows."""
        if not len(x):
            return np.zeros(0)
        return _sigmoid(self.stacked.raw_scores(self._stacked_features(x)) + self.bias)

    def _stacked_features(self, x: np.ndarray) -> np.ndarray:
        return stack_features(x, _sigmoid(self.forest.raw_scores(x)))

    def explain(self, x: np.ndarray, top: int = 3) -> list[str]:
        """Per line (page_features rows), the features that moved the first stage's probability
        most ("+in_main_run -log_words"): the second stage mostly weighs that probability and its
        neighbours'."""
        out = []
        for row in x:
            c = self.forest.contributions(row)
            strongest = np.argsort(-np.abs(c))[:top]
            out.append(" ".join(f"{'+' if c[k] > 0 else '-'}{FEATURES[k]}" for k in strongest if c[k]))
        return out

    def __call__(self, page) -> list[tuple[bool, str] | None]:
        x = page_features(page)
        p = self.probabilities(x)
        keep = never_empty(decode(p, page.candidates, self.switch_cost), p, page)
        why = self.explain(x) if self.explained else [""] * len(p)
        out = []
        for i in range(len(page.lines)):
            if not page.candidates[i]:
                out.append(None)
                continue
            features = f"; features {why[i]}" if why[i] else ""
            out.append((keep[i], f"line model: p(article)={p[i]:.2f}{features}"))
        return out


def decode(p: np.ndarray, candidates: list[bool], switch_cost: float) -> list[bool]:
    """Two-state Viterbi over the candidate lines: article or furniture per line, each change of
    state costing `switch_cost`; lines that are not candidates are passed over. (Plain floats:
    two states are faster in Python than in numpy, step by step.)"""
    keep = [False] * len(p)
    order = [i for i, c in enumerate(candidates) if c]
    if switch_cost <= 0:
        for i in order:
            keep[i] = bool(p[i] >= 0.5)
        return keep
    if not order:
        return keep
    emit = [(math.log(min(max(1.0 - q, 1e-6), 1.0)), math.log(min(max(q, 1e-6), 1.0))) for q in p[order].tolist()]
    out_score, in_score = emit[0]
    back = []
    for e_out, e_in in emit[1:]:
        out_from_in, in_from_out = in_score - switch_cost, out_score - switch_cost
        back.append((out_score < out_from_in, in_score < in_from_out))     # True: came from the other state
        out_score, in_score = max(out_score, out_from_in) + e_out, max(in_score, in_from_out) + e_in
    state = 1 if in_score > out_score else 0
    for t in range(len(order) - 1, -1, -1):
        keep[order[t]] = bool(state)
        if t and back[t - 1][state]:
            state = 1 - state
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
                     payload["switch_cost"], payload["bias"])


@lru_cache(maxsize=1)
def shipped() -> LineModel:
    """The model that ships with the code (transforms/clean/line_model.json)."""
    return from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
