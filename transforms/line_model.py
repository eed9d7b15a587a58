"""Which lines of a web page are its article: a learned line classifier with context.

The rules of `clean.py` describe every line (kind, metadata, end-of-article headings, menus, the
block they would keep); here those descriptions, the line's own shape and the same facts about
its neighbours become numbers, a tree ensemble turns them into a probability per line, and a
two-state Viterbi pass over the page makes the body a run of lines rather than a scatter. The
model is trained on many sites by `bench/train_line_model.py` and shipped as `line_model.json`;
evaluation is in plain numpy, so running it needs no learning library.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
import json
import math
from pathlib import Path
import re

import numpy as np

MODEL_PATH = Path(__file__).with_name("line_model.json")
KINDS = 7                     # clean.py's line kinds, JUNK .. PROSE
PROSE, WEAK = 6, 5
STOPWORD_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "nl")
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
WINDOWS = (1, 3, 6)
MAX_DEPTH = 10                # of a tree (bench/train_line_model.py trains them 6 deep)
ROW_BLOCK = 1024              # lines whose trees are walked together

_WORD = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|@\w|\S@\S|\.(?:com|org|net|html?)\b", re.I)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset]:
    """Stop-word lists of the languages the pages come in (stopwordsiso's, maintained upstream)."""
    import stopwordsiso
    return {lang: frozenset(stopwordsiso.stopwords(lang)) for lang in STOPWORD_LANGUAGES}


OWN = ["log_words", "log_chars", "stop_share", "iso_stop_share", *(f"kind_{k}" for k in range(KINDS)),
       "meta", "end_marker", "barrier", "numeric", "sentence_end", "log_repeats", "log_run", "shared",
       "in_widget", "rule_keep", "in_rule_block", "is_title", "candidate", "ends_colon", "ends_question",
       "digit_share", "upper_share", "capitalised_share", "commas_per_word", "urlish", "separators",
       "starts_with_symbol", "blank_before", "blank_after", "rule_score"]
CONTEXT = ["position", "words_before_share", "after_anchor", "from_anchor", "from_block_start", "to_block_end",
           *(f"{side}_{what}_{w}" for w in WINDOWS for side in ("up", "down")
             for what in ("log_words", "prose", "rule_keep")),
           "up_prose_distance", "down_prose_distance", "in_main_run", "main_run_distance",
           "page_log_lines", "page_log_words", "page_rule_keep_share", "page_english"]
NEIGHBOUR_OWN = ["log_words", "stop_share", "iso_stop_share", "kind_6", "kind_5", "kind_0", "sentence_end",
                 "rule_keep", "end_marker", "candidate", "is_title"]
FEATURES = [*OWN, *CONTEXT, *(f"n{d:+d}_{name}" for d in NEIGHBOURS for name in NEIGHBOUR_OWN)]
# The second stage also sees what the first one thought of the line's surroundings.
STACK_WINDOWS = (3, 6, 12)
STACKED = [*FEATURES, *(f"p{d:+d}" for d in (0, *NEIGHBOURS)),
           *(f"{side}_p_{w}" for w in STACK_WINDOWS for side in ("up", "down")), "page_p_mean", "page_p_max",
           "p_minus_page_mean"]


def stack_features(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The first stage's features plus its probabilities around each line."""
    n = len(p)
    cols = [p]
    cols += [_shifted(p, d) for d in NEIGHBOURS]
    for w in STACK_WINDOWS:
        for up in (True, False):
            cols.append(_window(p, w, up) / w)
    mean = p.mean() if n else 0.0
    cols += [np.full(n, mean), np.full(n, p.max() if n else 0.0), p - mean]
    return np.hstack([x, np.stack(cols, axis=1)])


def page_features(page) -> np.ndarray:
    """One row of FEATURES per line of `page` (clean.PageLines)."""
    lines = page.lines
    n = len(lines)
    if not n:
        return np.zeros((0, len(FEATURES)))
    toks = [_WORD.findall(ln.text.lower()) if ln.words < 400 else _WORD.findall(ln.text[:3000].lower())
            for ln in lines]
    lang, iso = _page_language(toks)
    own = np.zeros((n, len(OWN)))
    for i, ln in enumerate(lines):
        own[i] = _own_row(ln, toks[i], iso, page, i)
    col = {name: k for k, name in enumerate(OWN)}
    words = np.array([ln.words for ln in lines], dtype=float)
    prose = own[:, col["kind_6"]]
    keep = own[:, col["rule_keep"]]
    ctx = np.zeros((n, len(CONTEXT)))
    total = max(words.sum(), 1.0)
    before = np.concatenate([[0.0], np.cumsum(words)[:-1]])
    idx = np.arange(n)
    ctx[:, 0] = idx / n
    ctx[:, 1] = before / total
    ctx[:, 2] = idx > page.anchor
    ctx[:, 3] = np.clip((idx - page.anchor) / 50.0, -2, 2)
    ctx[:, 4] = np.clip((idx - page.start) / 50.0, -2, 2)
    ctx[:, 5] = np.clip((page.end - idx) / 50.0, -2, 2)
    k = 6
    for w in WINDOWS:
        for up in (True, False):
            for values, log in ((words, True), (prose, False), (keep, False)):
                summed = _window(values, w, up)
                ctx[:, k] = np.log1p(summed) if log else summed / w
                k += 1
    ctx[:, k] = np.log1p(_distance(prose > 0, up=True))
    ctx[:, k + 1] = np.log1p(_distance(prose > 0, up=False))
    in_run, run_distance = _main_run(lines)
    ctx[:, k + 2] = in_run
    ctx[:, k + 3] = np.log1p(run_distance)
    ctx[:, k + 4] = math.log1p(n)
    ctx[:, k + 5] = math.log1p(total)
    ctx[:, k + 6] = keep.mean()
    ctx[:, k + 7] = lang == "en"
    picked = own[:, [col[name] for name in NEIGHBOUR_OWN]]
    return np.hstack([own, ctx, *(_shifted(picked, d) for d in NEIGHBOURS)])


def _shifted(values: np.ndarray, d: int) -> np.ndarray:
    """Row i holds row i + d of `values` (-1 past either end of the page)."""
    n = len(values)
    out = np.full(values.shape, -1.0)
    if abs(d) < n:
        if d < 0:
            out[-d:] = values[:n + d]
        else:
            out[:n - d] = values[d:]
    return out


def _own_row(ln, toks: list[str], iso: frozenset, page, i: int) -> list[float]:
    text = ln.text
    n_tok = len(toks) or 1
    head = text[:2000]
    letters = sum(map(str.isalpha, head))
    words = text.split()
    kind = [0.0] * KINDS
    kind[ln.kind] = 1.0
    lines = page.lines
    return [math.log1p(ln.words), math.log1p(ln.chars), ln.stop, sum(map(iso.__contains__, toks)) / n_tok, *kind,
            ln.meta is not None, ln.end_marker, ln.barrier, ln.numeric, ln.sent, math.log1p(ln.rep - 1),
            math.log1p(ln.run), ln.shared, ln.widget >= 0, page.rule_keep[i], page.start <= i < page.end,
            page.is_title[i], page.candidates[i], text.endswith(":"), text.endswith(("?", "!")),
            sum(map(str.isdigit, head)) / max(len(head), 1), sum(map(str.isupper, head)) / max(letters, 1),
            sum(map(str.isupper, (w[0] for w in words))) / max(len(words), 1), text.count(",") / n_tok,
            _URLISH.search(head) is not None, text.count("|") + text.count("•") + text.count("·"),
            not text[:1].isalnum(), i == 0 or lines[i - 1].no < ln.no - 1,
            i == len(lines) - 1 or lines[i + 1].no > ln.no + 1, ln.score]


def _page_language(toks: list[list[str]]) -> tuple[str, frozenset]:
    """The stop-word list that covers most of the page's words: its language, near enough."""
    lists = stopwords()
    sample = [t for line in toks for t in line[:60]][:3000]
    best = max(STOPWORD_LANGUAGES, key=lambda lang: sum(map(lists[lang].__contains__, sample)))
    return best, lists[best]


def _window(values: np.ndarray, w: int, up: bool) -> np.ndarray:
    """Sum of `values` over the w lines above (or below) each line, the line itself excluded."""
    c = np.concatenate([[0.0], np.cumsum(values)])
    n = len(values)
    idx = np.arange(n)
    if up:
        return c[idx] - c[np.maximum(idx - w, 0)]
    return c[np.minimum(idx + 1 + w, n)] - c[idx + 1]


def _distance(flags: np.ndarray, up: bool) -> np.ndarray:
    """Lines to the nearest flagged line above (or below); the page length when there is none."""
    n = len(flags)
    out = np.full(n, float(n))
    last = None
    order = range(n) if up else range(n - 1, -1, -1)
    for i in order:
        if last is not None:
            out[i] = abs(i - last)
        if flags[i]:
            last = i
    return out


def _main_run(lines) -> tuple[np.ndarray, np.ndarray]:
    """The page's densest run of running text (paragraphs with at most two other lines between
    them, the most words in all): which lines are in it, and how far each other line is from it."""
    n = len(lines)
    best = (0, 0, 0)       # words, start, end
    start = words = gap = 0
    current = None
    for i, ln in enumerate(lines):
        if ln.kind in (PROSE, WEAK):
            if current is None or gap > 2:
                current, words = i, 0
            words += ln.words
            gap = 0
            if words > best[0]:
                best = (words, current, i + 1)
        else:
            gap += 1
    _, start, end = best
    idx = np.arange(n)
    inside = (idx >= start) & (idx < end)
    distance = np.where(idx < start, start - idx, np.where(idx >= end, idx - end + 1, 0))
    return inside.astype(float), distance.astype(float)


@dataclass(frozen=True)
class Forest:
    """A LightGBM binary model's trees, each laid out as a complete binary tree of the forest's
    depth (a leaf above that depth is padded with splits that always go left), so that every
    tree is walked for every line at once in `depth` steps of array arithmetic."""
    feature: np.ndarray     # (trees, 2^depth - 1) split feature of each inner node
    threshold: np.ndarray   # go left when x <= threshold (+inf: always left)
    value: np.ndarray       # (trees, 2^(depth+1) - 1) node values: LightGBM's internal values, then the leaves'
    depth: int

    @classmethod
    def from_dump(cls, trees: list[dict]) -> Forest:
        depth = max(_depth(t["tree_structure"]) for t in trees)
        if depth > MAX_DEPTH:
            raise ValueError(f"line model: trees {depth} deep, laid out as complete trees they would not fit; "
                             f"train with max_depth <= {MAX_DEPTH}")
        inner, total = 2 ** depth - 1, 2 ** (depth + 1) - 1
        feature = np.zeros((len(trees), inner), dtype=np.int64)
        threshold = np.full((len(trees), inner), np.inf)
        value = np.zeros((len(trees), total))
        for t, tree in enumerate(trees):
            _lay_out(tree["tree_structure"], 0, depth, feature[t], threshold[t], value[t])
        return cls(feature, threshold, value, depth)

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        """Sum of the trees' leaf values per row (x: rows by features), a block of rows at a time:
        a page of 100,000 lines would otherwise walk 15 million (row, tree) pairs at once."""
        return np.concatenate([self._block_scores(x[i:i + ROW_BLOCK]) for i in range(0, len(x), ROW_BLOCK)]
                              or [np.zeros(0)])

    def _block_scores(self, x: np.ndarray) -> np.ndarray:
        """Flat `take`s: faster than two-dimensional fancy indexing."""
        trees, inner = self.feature.shape
        features, thresholds = self.feature.ravel(), self.threshold.ravel()
        row_start = (np.arange(x.shape[0]) * x.shape[1])[:, None]
        tree_start = np.arange(trees) * inner
        node = np.zeros((x.shape[0], trees), dtype=np.int64)
        flat_x = np.ascontiguousarray(x).ravel()
        for _ in range(self.depth):
            at = node + tree_start
            right = flat_x.take(row_start + features.take(at)) > thresholds.take(at)
            node = 2 * node + 1 + right
        return self.value.ravel().take(node + np.arange(trees) * self.value.shape[1]).sum(axis=1)

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """How much each feature moved one line's log-odds, summed along its path in every tree
        (each split is credited with the change of the node value it leads to)."""
        out = np.zeros(len(row))
        for t in range(self.feature.shape[0]):
            node = 0
            for _ in range(self.depth):
                f = self.feature[t, node]
                child = 2 * node + 1 + int(row[f] > self.threshold[t, node])
                out[f] += self.value[t, child] - self.value[t, node]
                node = child
        return out


def _depth(node: dict) -> int:
    if "left_child" not in node:
        return 0
    return 1 + max(_depth(node["left_child"]), _depth(node["right_child"]))


def _lay_out(node: dict, at: int, depth: int, feature: np.ndarray, threshold: np.ndarray, value: np.ndarray) -> None:
    """Write `node` and what is below it at heap position `at` (children of i: 2i+1, 2i+2)."""
    leaf = "left_child" not in node
    value[at] = node["leaf_value"] if leaf else node.get("internal_value", 0.0)
    if depth == 0:
        return
    if leaf:                          # padding: always left, the same value all the way down
        _lay_out(node, 2 * at + 1, depth - 1, feature, threshold, value)
        _lay_out(node, 2 * at + 2, depth - 1, feature, threshold, value)
        return
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"line model: unsupported split {node.get('decision_type')}")
    feature[at], threshold[at] = node["split_feature"], node["threshold"]
    _lay_out(node["left_child"], 2 * at + 1, depth - 1, feature, threshold, value)
    _lay_out(node["right_child"], 2 * at + 2, depth - 1, feature, threshold, value)


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
    """The model that ships with the code (transforms/line_model.json)."""
    return from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
