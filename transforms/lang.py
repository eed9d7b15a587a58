"""Language of an article (ISO 639-1), from the model that ships inside py3langid."""
import py3langid

SUPPORTED_FOR_EXTRACTION = frozenset({"en"})
MIN_LETTERS = 20
PROSE_MIN_WORDS = 6
PROSE_MIN_LOWER = 0.3


def detect_lang(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when there are too few letters to tell or the
    language has no two-letter code (py3langid knows some only by ISO 639-3, e.g. 'yue').

    Judged on the prose lines when the text has enough of them: results tables, name lists and
    ALL-CAPS lines are mostly names, which mislead a character n-gram model."""
    sample = _prose(text)[:4000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code = py3langid.classify(sample)[0]
    return code if len(code) == 2 else None


def _prose(text: str) -> str:
    """Lines of running text: several words, a fair share of them starting in lower case."""
    lines = []
    for line in text.splitlines():
        words = line.split()
        if len(words) >= PROSE_MIN_WORDS and sum(w[0].islower() for w in words) >= PROSE_MIN_LOWER * len(words):
            lines.append(line)
    return "\n".join(lines)
