"""Stable identifiers: the same input gives the same id on every run and machine."""
import hashlib
import unicodedata


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_id(source_path: str) -> str:
    """Derived from the `/`-separated path relative to the raw dir alone, per the contract."""
    return _digest(source_path)


def content_hash(body: str) -> str:
    """Hash of the body with case and whitespace folded, so reflowed copies hash alike."""
    folded = " ".join(unicodedata.normalize("NFC", body).casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def entity_id(article_id: str, label: str, name: str) -> str:
    return _digest(article_id, label, name)


def entity_key(label: str, name: str) -> str:
    """Corpus-level key: the same normalised name and label across articles."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().replace("\u2019", "'").split())
    return f"{label}:{folded}"


def quote_id(article_id: str, field: str, start: int, end: int) -> str:
    return _digest(article_id, field, str(start), str(end))


def raw_sha256(raw: bytes) -> str:
    """Hash of the file's bytes: an unchanged file is recognised without decoding it."""
    return hashlib.sha256(raw).hexdigest()
