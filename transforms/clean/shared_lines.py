"""Lines shared across the corpus: a site's menus, labels and prompts recur on every page of it,
an article's own short lines do not.

A line of at most REPEAT_MAX_WORDS words is counted across the corpus (transforms/corpus_lines.py
keeps the counts); on a page, such a line seen in REPEAT_MIN_ARTICLES distinct articles or more
is boilerplate. Sentences and quotes are never dropped for repetition alone (syndicated copies of
a story share them), nor is any line of a text without page furniture.
"""
from __future__ import annotations

from collections.abc import Mapping
import hashlib

from transforms.clean.lines import JUNK, META, PROSE, Line, norm

REPEAT_MAX_WORDS = 12
REPEAT_MIN_ARTICLES = 5
_QUOTE_OPENERS = "\"'“‘«„‹"


def line_key(norm: str) -> int:
    """64-bit key of a normalised line (or of a story's lines): the same on every machine."""
    digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def key_of_line(line: str) -> int:
    """The key under which the corpus counts a line of text."""
    return line_key(norm(line))


def counted_lines(text: str) -> tuple[int, dict[int, str]]:
    """(story key, {line key: normalised line}) of a decoded text: the short lines the corpus
    counts, and a key of its longer lines, so copies of one story (the same page saved twice,
    with another menu or another "most read" list) count as one article."""
    short: dict[int, str] = {}
    longer: set[str] = set()
    for raw in text.split("\n"):
        normed = norm(raw) if raw and not raw.isspace() else ""
        if not normed:
            continue
        if normed.count(" ") < REPEAT_MAX_WORDS:
            short[line_key(normed)] = normed
        else:
            longer.add(normed)
    basis = sorted(longer) if longer else sorted(short.values())
    return line_key("\n".join(basis)), short


def mark_shared_lines(lines: list[Line], seen_in: Mapping[int, int], skip: set[int], plain: bool) -> int:
    """Mark the short lines seen in many articles of the corpus; returns how many became
    boilerplate (on a text without page furniture they are only noted: it is kept whole)."""
    marked = 0
    for i, ln in enumerate(lines):
        if i in skip or ln.words > REPEAT_MAX_WORDS or ln.kind in (PROSE, META, JUNK):
            continue
        n = seen_in.get(key_of_line(ln.text), 0)
        if n < REPEAT_MIN_ARTICLES:
            continue
        if plain:
            ln.why += f"; seen in {n} articles of the corpus"
        elif ln.sent or ln.numeric or ln.text[0] in _QUOTE_OPENERS:
            ln.why += f"; seen in {n} articles of the corpus, kept: a sentence, quote or table row"
        else:
            ln.kind, ln.shared = JUNK, True
            ln.why = f"a short line seen in {n} articles of the corpus (was: {ln.why})"
            marked += 1
    return marked
