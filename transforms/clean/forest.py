"""A LightGBM model's trees evaluated in plain numpy: the product needs no learning library."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 10                # of a tree (bench/train_line_model.py trains them 6 deep)
ROW_BLOCK = 1024              # lines whose trees are walked together


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
        feature = np.zeros((len(trees), inner), dtype=np.int32)   # int32: the tree walk's index type
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
        """The roots' splits read straight off x's columns, then a level at a time below them.
        `at` is each tree's current node as a flat index into `feature` and `threshold`, so a
        level costs no index arithmetic but the step to a child."""
        trees, inner = self.feature.shape
        x = np.ascontiguousarray(x, dtype=float)
        tree_start = np.arange(trees, dtype=np.int32) * inner
        at = np.empty((x.shape[0], trees), dtype=np.int32)
        if self.depth:
            right = np.greater(x.take(self.feature[:, 0], axis=1), self.threshold[:, 0])
            np.add(right, tree_start + 1, out=at)          # the root's children are nodes 1 and 2
            self._walk_down(x, at, right, 1 - tree_start)
        else:
            at[...] = tree_start
        at += np.arange(trees, dtype=np.int32) * (self.value.shape[1] - inner)   # into `value`
        return self.value.ravel().take(at).sum(axis=1)

    def _walk_down(self, x: np.ndarray, at: np.ndarray, right: np.ndarray, step: np.ndarray) -> None:
        """Below the roots: flat `take`s into buffers reused at every level (faster than
        two-dimensional fancy indexing and than a new array per step). Node k's children are
        2k + 1 and 2k + 2, so from flat index `at` the child is 2 at + step + right, with `step`
        1 - the tree's first flat index. The indices are always in range: mode="clip" only
        spares numpy the copy it makes of `out` under the default mode="raise"."""
        features, thresholds = self.feature.ravel(), self.threshold.ravel()
        row_start = (np.arange(x.shape[0], dtype=np.int32) * x.shape[1])[:, None]
        flat_x = x.ravel()
        column = np.empty_like(at)
        value, threshold = np.empty(at.shape), np.empty(at.shape)
        for _ in range(self.depth - 1):
            features.take(at, out=column, mode="clip")
            column += row_start
            flat_x.take(column, out=value, mode="clip")
            thresholds.take(at, out=threshold, mode="clip")
            np.greater(value, threshold, out=right)
            at *= 2
            at += step
            at += right

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
