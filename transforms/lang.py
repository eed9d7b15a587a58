"""Language of an article (ISO 639-1), from the model that ships inside py3langid.

py3langid walks its byte automaton in a Python loop, a byte at a time, and casts its float16
weights on every call: on bbc/politics that was two thirds of the cleaning's CPU. The automaton
is an Aho-Corasick one over byte n-grams of at most WINDOW bytes, so its state after any byte
depends only on the WINDOW bytes up to it; here the states of all bytes are found at once,
WINDOW array lookups deep, and the scores are py3langid's sums (the same features in the same
order, over the weights cast once), so the same floats. On 16,905 samples (the prose lines,
the first 4,000 and the first 300 characters of the 5,635 texts under ../shared, cleaned) and
3,000 random strings, every answer and every score array was py3langid's; CPU of detect_lang on
bbc/politics' 417 articles 0.50 -> 0.20 s, on BBC's 2,225 2.1-2.7 -> 0.9 s.
"""
from dataclasses import dataclass
from functools import lru_cache
import unicodedata

import numpy as np
from py3langid import langid

SUPPORTED_FOR_EXTRACTION = frozenset({"en"})
MIN_LETTERS = 20
PROSE_MIN_WORDS = 6
PROSE_MIN_LOWER = 0.3
# The longest n-gram of py3langid's model, in bytes: its automaton's deepest state, and the number
# of bytes after which every starting state leads to the same state (both measured on
# py3langid 0.4.0's model by bench/langid_window.py; tests/test_lang.py checks the depth).
WINDOW = 6


def detect_lang(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when there are too few letters to tell or the
    language has no two-letter code (py3langid knows some only by ISO 639-3, e.g. 'yue').

    Judged on the prose lines when the text has enough of them: results tables, name lists and
    ALL-CAPS lines are mostly names, which mislead a character n-gram model."""
    sample = _prose(text)[:4000]
    if not _has_letters(sample):
        sample = text[:4000]
        if not _has_letters(sample):
            return None
    code = _model().classify(sample)
    return code if len(code) == 2 else None


def load_model() -> None:
    """Load py3langid's model now (about 0.5 s of CPU, most of it LZMA decompression), not inside
    the first batch: `newspipe run` loads it in a thread while it starts (flows/cli.py)."""
    _model()


@dataclass(frozen=True)
class _Model:
    """py3langid's naive Bayes model (LanguageIdentifier, without probabilities) and its automaton."""
    next_state: np.ndarray      # next_state[row_base[state] + byte]
    row_base: np.ndarray
    output: np.ndarray          # per state, the feature it completes, or -1
    weights: np.ndarray         # per feature, its log-probability in each class (float32)
    priors: np.ndarray
    classes: list[str]
    aliases: list[tuple[int, int]]   # (first, later) columns of a label the model holds twice

    def classify(self, text: str) -> str:
        """What py3langid.classify(text)[0] says."""
        if text.isupper():
            text = text.lower()
        data = np.frombuffer(unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass"), np.uint8)
        features = self.output[self.states(data)]
        features = features[features >= 0]
        if not len(features):
            return self.classes[0]          # py3langid: every score at its floor
        found, first, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first)           # py3langid counts in order of first occurrence
        scores = np.log1p(counts[order].astype(np.float32)) @ self.weights[found[order]] + self.priors
        for kept, dropped in self.aliases:
            scores[kept] = max(scores[kept], scores[dropped])
            scores[dropped] = langid.RAW_FLOOR
        return self.classes[int(scores.argmax())]

    def successors(self, states: np.ndarray) -> np.ndarray:
        """The state each of `states` goes to on each byte (one row per state, 256 columns)."""
        return self.next_state[self.row_base[states][:, None] + np.arange(256)[None, :]]

    def states(self, data: np.ndarray) -> np.ndarray:
        """The automaton's state after each byte of `data`: walked from the start over the
        WINDOW bytes up to it (or all of them, near the start), for all bytes at once."""
        data = data.astype(np.intp)
        state = np.zeros(len(data), dtype=np.intp)
        for back in range(min(WINDOW, len(data)) - 1, -1, -1):
            state[back:] = self.next_state[self.row_base[state[back:]] + data[:len(data) - back]]
        return state


@lru_cache(maxsize=1)
def _model() -> _Model:
    found = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    classes = list(found.nb_classes)
    aliases = [(classes.index(c), i) for i, c in enumerate(classes) if classes.index(c) != i]
    return _Model(np.frombuffer(found.tk_nextmove, dtype=np.uint32), np.asarray(found.tk_row, dtype=np.intp) << 8,
                  np.asarray(found.tk_output, dtype=np.intp), found.nb_ptc.astype(np.float32), found.nb_pc,
                  classes, aliases)


def automaton_depth(model: _Model) -> int:
    """The most bytes the automaton needs from its start to reach one of its states: its
    longest n-gram, WINDOW (tests/test_lang.py checks it)."""
    depth = np.full(len(model.row_base), -1)
    depth[0], frontier, steps = 0, np.zeros(1, dtype=np.intp), 0
    while len(frontier):
        steps += 1
        reached = np.unique(np.concatenate([model.successors(chunk).ravel()
                                            for chunk in np.array_split(frontier, max(1, len(frontier) // 4096))]))
        frontier = reached[depth[reached] < 0]
        depth[frontier] = steps
    return int(depth.max())


def _has_letters(sample: str, enough: int = MIN_LETTERS) -> bool:
    """Whether `sample` holds `enough` letters. It stops counting there: counting all 4,000
    characters of every article twice cost 0.3 s of CPU over BBC's 2,225 texts."""
    letters = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            if letters >= enough:
                return True
    return False


def _prose(text: str) -> str:
    """Lines of running text: several words, a fair share of them starting in lower case."""
    lines = []
    for line in text.splitlines():
        words = line.split()
        if len(words) >= PROSE_MIN_WORDS and sum(w[0].islower() for w in words) >= PROSE_MIN_LOWER * len(words):
            lines.append(line)
    return "\n".join(lines)
