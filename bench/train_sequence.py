"""Train the line model's sequence part (transforms/clean/sequence.py) with PyTorch: minimal
GRUs down and up a page's stage-2 rows, its loss the trees' (log-loss per labelled line,
weighted alike). Used by bench/train_line_model.py; returns the weights as the plain numbers
`SequenceModel.from_dump` reads, so the product needs no PyTorch.

Reproducible on one machine: fixed seeds, one thread, deterministic algorithms, and MKL's
conditional numerical reproducibility (MKL_CBWR=COMPATIBLE) so that its products do not depend
on the CPU's vector instructions.
"""
from __future__ import annotations

import math
import os
import random

import numpy as np

# Picked by site-grouped CV (bench/train_line_model.py --cv).
CONFIG = {"width": 96, "hidden": 48, "layers": 1, "epochs": 10, "learning_rate": 2e-3, "weight_decay": 1e-5, "dropout": 0.1,
          "crop": 400, "batch": 16, "clip": 6.0, "seed": 1}
DIGITS = 7    # significant digits kept of each weight: a float32's precision


def train(rows: list[np.ndarray], labels: list[np.ndarray], weights: list[np.ndarray],
          config: dict = CONFIG) -> dict:
    """The model's dump, trained on pages' rows (each page's rows in page order), labels (1 article,
    0 furniture, -1 unknown) and line weights. Long pages are read in windows of `crop` lines,
    a new window each epoch."""
    os.environ.setdefault("MKL_CBWR", "COMPATIBLE")
    import torch

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(config["seed"])
    shuffle = random.Random(config["seed"])
    squashed = [_squash(x) for x in rows]
    everything = np.vstack(squashed)
    mean, scale = everything.mean(axis=0), everything.std(axis=0) + 1e-6
    del everything
    pages = [(torch.tensor(np.clip((x - mean) / scale, -config["clip"], config["clip"]), dtype=torch.float32),
              torch.tensor(y, dtype=torch.float32), torch.tensor(w, dtype=torch.float32))
             for x, y, w in zip(squashed, labels, weights)]
    net = _network(torch, pages[0][0].shape[1], config)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config["learning_rate"], weight_decay=config["weight_decay"])
    steps = config["epochs"] * math.ceil(len(pages) / config["batch"])
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=config["learning_rate"], total_steps=steps)
    for _ in range(config["epochs"]):
        net.train()
        for batch in _batches(pages, config, shuffle):
            x, y, w, lengths = _padded(torch, batch)
            logits = net(x, lengths)
            mask = (y >= 0).float() * w
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(logits, y.clamp(min=0), reduction="none")
                    * mask).sum() / mask.sum().clamp(min=1)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
    return _dump(net, mean, scale, config["clip"])


def _squash(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.log1p(np.abs(x))


def _network(torch, features: int, config: dict):
    """The model of transforms/clean/sequence.py: projection, minimal GRUs down and up the page
    (each direction reversed within the page's own length, so padding never comes first), and
    two dense layers."""
    nn = torch.nn

    def log_g(c):                       # log of c + 1/2 (c >= 0) or sigmoid(c)
        return torch.where(c >= 0, torch.log(torch.relu(c) + 0.5), -nn.functional.softplus(-c))

    class MinGRU(nn.Module):
        def __init__(self, inputs: int):
            super().__init__()
            self.gates = nn.Linear(inputs, 2 * config["hidden"])

        def forward(self, x):
            k, c = self.gates(x).chunk(2, dim=-1)
            kept = torch.cumsum(-nn.functional.softplus(k), dim=1)
            new = -nn.functional.softplus(-k) + log_g(c)
            return torch.exp(kept + torch.logcumsumexp(new - kept, dim=1))

    class LineReader(nn.Module):
        def __init__(self):
            super().__init__()
            width, read = config["width"], config["width"] + 2 * config["hidden"]
            self.projection = nn.Sequential(nn.Linear(features, width), nn.ReLU(), nn.Dropout(config["dropout"]))
            self.down = nn.ModuleList(MinGRU(width if i == 0 else read) for i in range(config["layers"]))
            self.up = nn.ModuleList(MinGRU(width if i == 0 else read) for i in range(config["layers"]))
            self.hidden = nn.Linear(read, 64)
            self.output = nn.Linear(64, 1)

        def forward(self, x, lengths):
            positions = torch.arange(x.shape[1])[None, :]
            mask = (positions < lengths[:, None]).float()[..., None]
            projected = self.projection(x) * mask
            mirror = (lengths[:, None] - 1 - positions).clamp(min=0)[..., None]   # i -> its line counted from the end
            read = projected
            for down, up in zip(self.down, self.up):
                states_up = up(torch.gather(read, 1, mirror.expand_as(read)))
                read = torch.cat([projected, down(read), torch.gather(states_up, 1, mirror.expand_as(states_up))],
                                 -1) * mask
            return self.output(torch.relu(self.hidden(read))).squeeze(-1)

    return LineReader()


def _batches(pages: list, config: dict, shuffle: random.Random) -> list[list]:
    """Pages (a window of each long one) in batches of similar lengths, in random order."""
    crop, items = config["crop"], []
    for x, y, w in pages:
        if len(x) > crop:
            start = shuffle.randrange(len(x) - crop + 1)
            x, y, w = x[start:start + crop], y[start:start + crop], w[start:start + crop]
        items.append((x, y, w))
    items.sort(key=lambda item: len(item[0]) + shuffle.random() * 20)
    batches = [items[i:i + config["batch"]] for i in range(0, len(items), config["batch"])]
    shuffle.shuffle(batches)
    return batches


def _padded(torch, batch: list):
    longest = max(len(x) for x, _, _ in batch)
    x = torch.zeros(len(batch), longest, batch[0][0].shape[1])
    y = torch.full((len(batch), longest), -1.0)
    w = torch.zeros(len(batch), longest)
    for i, (xi, yi, wi) in enumerate(batch):
        x[i, :len(xi)], y[i, :len(xi)], w[i, :len(xi)] = xi, yi, wi
    return x, y, w, torch.tensor([len(xi) for xi, _, _ in batch])


def _dump(net, mean: np.ndarray, scale: np.ndarray, clip: float) -> dict:
    """The weights as SequenceModel.from_dump reads them (matrices laid out input by output)."""
    def numbers(array) -> list:
        array = np.asarray(array.detach().numpy() if hasattr(array, "detach") else array, dtype=np.float64)
        return [float(f"{v:.{DIGITS}g}") for v in array.ravel()] if array.ndim == 1 else [numbers(r) for r in array]

    def dense(layer) -> dict:
        return {"weight": numbers(layer.weight.T), "bias": numbers(layer.bias)}

    return {"mean": numbers(mean), "scale": numbers(scale), "clip": clip, "projection": dense(net.projection[0]),
            "layers": [{"down": dense(down.gates), "up": dense(up.gates)} for down, up in zip(net.down, net.up)],
            "hidden": dense(net.hidden), "output": dense(net.output)}
