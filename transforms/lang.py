"""Language of an article (ISO 639-1), from the model that ships inside py3langid."""
import py3langid

SUPPORTED_FOR_EXTRACTION = frozenset({"en"})
MIN_LETTERS = 20


def detect_lang(text: str) -> str | None:
    """ISO 639-1 code of the text's language; None when there are too few letters to tell or the
    language has no two-letter code (py3langid knows some only by ISO 639-3, e.g. 'yue')."""
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code = py3langid.classify(sample)[0]
    return code if len(code) == 2 else None
