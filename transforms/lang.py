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
    if not _has_letters(sample):
        sample = text[:4000]
        if not _has_letters(sample):
            return None
    code = py3langid.classify(sample)[0]
    return code if len(code) == 2 else None


def load_model() -> None:
    """Load py3langid's model now (about 0.9 s of CPU: it is decompressed and unpickled on the
    first text), not inside the first batch: `newspipe run` does it while Prefect's temporary
    server starts."""
    py3langid.classify("")


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
