"""Language of an article (ISO 639-1), from the model that ships inside py3langid."""
import py3langid

SUPPORTED_FOR_EXTRACTION = frozenset({"en"})


def detect_lang(text: str) -> str:
    """ISO 639-1 code of the text's language; short texts are judged on what they have."""
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    return py3langid.classify(sample)[0]
