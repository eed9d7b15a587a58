"""How likely a quote row is a real quotation with the right speaker: a small logistic model.

Hand rules find quotation marks and attributions; whether quoted words are speech at all
(a show's title, a nickname, a scare-quoted word) and whether the attribution holds are
better judged by evidence weighed together. The weights are learned from PolNeAR train by
`bench/train_quote_filter.py` and shipped as `quote_filter.json`; the probability becomes
the row's `confidence`, and rows below the learned threshold are dropped. Headline rows keep
the rule confidence: their single quotation marks are outside what the gold data scores.

The model is a `QuoteFilter` the caller passes to the extraction, as it passes the spaCy model:
`load_model()` reads the shipped one (once per process).
"""
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
import json
import math
from pathlib import Path
import re
from types import MappingProxyType

MODEL_PATH = Path(__file__).with_name("quote_filter.json")
CUE_CLASSES = {"say": "say", "tell": "say", "add": "say", "according": "according", "write": "write",
               "call": "call", "describe": "call", "dub": "call", "label": "call", "term": "call", "brand": "call"}
NAMING_WORDS = frozenset({"called", "dubbed", "named", "titled", "entitled", "nicknamed", "so-called", "as", "word",
                          "phrase", "term", "slogan", "hashtag", "headline", "show", "program", "programme"})
PLACE_WORDS = frozenset({"on", "in", "to", "at", "from", "of", "told"})   # 'said on "Face the Nation"'
SMALL_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "with", "at", "by", "from", "is"})
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "i'm", "we're", "i've", "we've"})
_WORD = re.compile(r"[\w'\u2019-]+")
_URLISH = re.compile(r"https?://|www\.|@\w|#\w|\.com\b|<[a-z]")


def quote_features(text: str, kind: str, how: str, cue_lemma: str | None,
                   segments: int, unclosed: bool, word_before: str) -> dict[str, float]:
    """The evidence about one quote row, as named numbers (absent = 0)."""
    words = _WORD.findall(text)
    lowered = [w.lower() for w in words]
    n = len(words)
    f = {f"how={how}": 1.0, f"kind={kind}": 1.0,
         "log_words": math.log1p(n), "one_word": float(n == 1), "two_words": float(n == 2), "short": float(3 <= n <= 5),
         "title_case": float(bool(words) and all(w[:1].isupper() or not w[:1].isalpha() for w in words)),
         "starts_lower": float(text[:1].islower()), "ends_sentence": float(text.rstrip()[-1:] in ".!?"),
         "ends_comma": float(text.rstrip()[-1:] == ","), "first_person": float(any(w in FIRST_PERSON for w in lowered)),
         "urlish": float(bool(_URLISH.search(text))), "mostly_digits": float(sum(c.isdigit() for c in text) * 2 > len(text)),
         "naming_word_before": float(word_before.lower() in NAMING_WORDS),
         "place_word_before": float(word_before.lower() in PLACE_WORDS),
         "name_like": float(n > 0 and all(w[:1].isupper() or w.lower() in SMALL_WORDS for w in words if w[:1].isalpha())),
         "multi_segment": float(segments > 1), "unclosed": float(unclosed)}
    if cue_lemma:
        f[f"cue={CUE_CLASSES.get(cue_lemma, 'other')}"] = 1.0
    return f


@dataclass(frozen=True)
class QuoteFilter:
    """The learned model: a weight per feature, a bias, and the probability under which a row is dropped."""
    weights: Mapping[str, float]
    bias: float
    threshold: float

    @classmethod
    def from_json(cls, model: dict) -> "QuoteFilter":
        return cls(MappingProxyType(dict(model["weights"])), model["bias"], model["threshold"])

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-z))

    def keeps(self, p: float) -> bool:
        return p >= self.threshold


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> QuoteFilter:
    """The shipped model (or the one at `path`)."""
    return QuoteFilter.from_json(json.loads(path.read_text(encoding="utf-8")))
