"""A page read as a sequence of lines: a small bidirectional recurrent network over the rows the
second tree ensemble sees, evaluated in plain numpy.

The trees judge a line from its own facts and a window of its neighbours'. The network carries
what it has read so far down the page and up it, so a line can weigh what came long before
or after it (a comment thread that began forty lines up, the article's last paragraph far
below a teaser). `line_model.py` averages its log-odds with the trees'.

Its recurrent layers are minimal GRUs (Feng et al. 2024, "Were RNNs All We Needed?"): the
gates depend on the line, not on the state, so the state is a running weighted sum,
h_t = (1 - z_t) h_(t-1) + z_t g_t, computed for the whole page at once in log space
(cumulative sums and `logaddexp.accumulate`) instead of one line at a time: a page of 200 lines
costs a few array operations, not 200 steps. Trained with PyTorch by `bench/train_sequence.py`;
the weights ship in `line_model.json`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Dense = tuple[np.ndarray, np.ndarray]   # weight (in, out), bias (out,)


@dataclass(frozen=True)
class SequenceModel:
    """Rows are squashed (sign(x) log(1 + |x|)), standardised and clipped, projected (ReLU), read
    by minimal GRUs down and up the page (each layer reads the projection and the last layer's
    states), and the projection and the last states give one log-odds a line."""
    mean: np.ndarray                 # (features,) of the squashed training rows
    scale: np.ndarray                # (features,) their standard deviation
    clip: float
    projection: Dense
    layers: tuple[tuple[Dense, Dense], ...]   # per layer: the down-the-page GRU's gates, the up-the-page one's
    hidden: Dense
    output: Dense

    @classmethod
    def from_dump(cls, dump: dict) -> SequenceModel:
        def dense(layer: dict) -> Dense:
            return np.asarray(layer["weight"], dtype=np.float32), np.asarray(layer["bias"], dtype=np.float32)
        return cls(np.asarray(dump["mean"], dtype=np.float32), np.asarray(dump["scale"], dtype=np.float32),
                   float(dump["clip"]), dense(dump["projection"]),
                   tuple((dense(layer["down"]), dense(layer["up"])) for layer in dump["layers"]),
                   dense(dump["hidden"]), dense(dump["output"]))

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of each row of x (a page's rows, in page order)."""
        if not len(x):
            return np.zeros(0)
        x = np.asarray(x, dtype=np.float32)       # as trained; only the running sums need float64
        x = np.copysign(np.log1p(np.abs(x)), x)
        x -= self.mean
        x /= self.scale
        np.clip(x, -self.clip, self.clip, out=x)
        projected = _relu(_affine(x, self.projection))
        read = projected
        for down, up in self.layers:
            read = np.hstack([projected, min_gru(read, down), min_gru(read[::-1], up)[::-1]])
        return _affine(_relu(_affine(read, self.hidden)), self.output)[:, 0]


def min_gru(x: np.ndarray, gates: Dense) -> np.ndarray:
    """States of a minimal GRU reading the rows of x in order, from a zero state: with k and c the
    two halves of x's affine map, z = sigmoid(k), g = c + 1/2 for c >= 0 else sigmoid(c), and
    h_t = (1 - z_t) h_(t-1) + z_t g_t = sum over s <= t of z_s g_s prod over s < r <= t of (1 - z_r),
    taken in log space, where the products are sums."""
    k, c = np.split(_affine(x, gates), 2, axis=1)
    softplus = np.logaddexp(np.float32(0.0), k)
    small = np.exp(np.clip(c, -80.0, 0.0))                   # (float32: exp(-80) is still above zero)
    log_new = k - softplus + np.log(np.where(c >= 0, c + 0.5, small / (1.0 + small)))   # log(z g)
    kept = np.cumsum(-softplus, axis=0, dtype=np.float64)                              # log prod (1 - z)
    return np.exp(kept + np.logaddexp.accumulate(log_new - kept, axis=0)).astype(np.float32)


def _affine(x: np.ndarray, layer: Dense) -> np.ndarray:
    weight, bias = layer
    return x @ weight + bias


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0, out=x)
