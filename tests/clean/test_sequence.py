"""The line model's sequence part: minimal GRUs computed for a whole page at once in log space
must equal the same recurrence stepped line by line (to float32's precision, as trained), in
both directions, on pages of any length."""
import numpy as np

from transforms.clean.sequence import SequenceModel, min_gru


def _stepped(x: np.ndarray, gates) -> np.ndarray:
    """The textbook recurrence, one line at a time."""
    weight, bias = gates
    h, out = np.zeros(weight.shape[1] // 2), []
    for row in x:
        k, c = np.split(row @ weight + bias, 2)
        z = 1 / (1 + np.exp(-k))
        g = np.where(c >= 0, c + 0.5, 1 / (1 + np.exp(-c)))
        h = (1 - z) * h + z * g
        out.append(h)
    return np.array(out)


def _random_model(rng, features=6, width=5, hidden=3, layers=2) -> SequenceModel:
    def dense(inputs, outputs):
        return rng.normal(size=(inputs, outputs)), rng.normal(size=outputs)
    read = width + 2 * hidden
    return SequenceModel(rng.normal(size=features), rng.uniform(0.5, 2, size=features), 6.0, dense(features, width),
                         tuple((dense(width if i == 0 else read, 2 * hidden), dense(width if i == 0 else read, 2 * hidden))
                               for i in range(layers)), dense(read, 4), dense(4, 1))


def test_the_whole_page_at_once_equals_stepping_line_by_line():
    rng = np.random.default_rng(1)
    x, gates = rng.normal(size=(40, 4)) * 3, (rng.normal(size=(4, 6)) * 2, rng.normal(size=6))
    assert np.allclose(min_gru(x, gates), _stepped(x, gates), rtol=1e-4, atol=1e-5)


def test_each_direction_reads_its_own_side_of_the_page():
    """Changing the last line moves every line's score (the up-the-page reader carries it), and
    the scores equal those of the stepped recurrence run down and up."""
    rng = np.random.default_rng(2)
    model, x = _random_model(rng), rng.normal(size=(12, 6))
    changed = x.copy()
    changed[-1] += 5
    assert np.all(model.raw_scores(x)[:-1] != model.raw_scores(changed)[:-1])

    def stepped_scores(rows):
        rows = np.clip((np.sign(rows) * np.log1p(np.abs(rows)) - model.mean) / model.scale, -6, 6)
        projected = np.maximum(rows @ model.projection[0] + model.projection[1], 0)
        read = projected
        for down, up in model.layers:
            read = np.hstack([projected, _stepped(read, down), _stepped(read[::-1], up)[::-1]])
        hidden = np.maximum(read @ model.hidden[0] + model.hidden[1], 0)
        return (hidden @ model.output[0] + model.output[1])[:, 0]
    assert np.allclose(model.raw_scores(x), stepped_scores(x), rtol=1e-4, atol=1e-5)


def test_a_page_of_fifty_thousand_lines_stays_finite():
    rng = np.random.default_rng(3)
    scores = _random_model(rng).raw_scores(rng.normal(size=(50_000, 6)) * 4)
    assert scores.shape == (50_000,) and np.isfinite(scores).all()
    assert SequenceModel.raw_scores(_random_model(rng), np.zeros((0, 6))).shape == (0,)
