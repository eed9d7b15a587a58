"""What one line is, from its own text alone: a kind from page furniture to running text (JUNK ...
PROSE, see lines.py), the reason in words, and the facts the later steps read (word count,
function-word share, metadata kind, end-of-article heading, sentence end).

A line of running text in any frequent language has a high share of function words
(lexicons/function_words.toml); a menu or a list of headlines has few.
"""
from __future__ import annotations

from typing import NamedTuple
import re

from transforms.casing import title_case
from transforms.clean.furniture import (END_FIRST, LINE_START_FIRST, PROMO_WORDS, READER_WORDS, furniture_anywhere,
                                        furniture_start, gallery_caption, is_end_heading)
from transforms.clean.lines import HEAD, JUNK, MENU, META, PROSE, WEAK, WORD
from transforms.clean.metadata import caption_credit, could_be_metadata, metadata_kind
from transforms.lexicons import words

_STOP = words("function_words", "function_words")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
SENT_END = re.compile(r"""[.!?。！？…]['"”’»)\]]*(?:\s*[^\w\s.,;:!?'"”’»)\]\-–—])*$""")
_SENT_INNER = re.compile(r"""[.!?。！？][\s'"”’»]+\S""")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|co\.\w\w|html?|php)\S*", re.I)
_TRUNCATED = re.compile(r"\w\.\.$")
_OPENERS = "\"'“‘«(¿¡[-–—"


class _Shape(NamedTuple):
    """What the tests of a line read: its words, their share of function words, how it ends."""
    text: str
    n: int                 # characters
    low: str               # lower case (the first 20,000 characters)
    toks: list[str]
    nw: int                # words (estimated from the length in scripts written without spaces)
    cjk: int               # CJK characters among the first 2,000
    stop: float            # share of function words among the first 400 words
    sent_end: bool         # ends like a sentence
    first: str             # first word, lower case


def _shape(text: str) -> _Shape:
    n = len(text)
    low = text.lower() if n < 20000 else text[:20000].lower()
    toks = WORD.findall(low)
    nw = len(toks)
    cjk = 0
    if not text.isascii():
        head = text[:2000]
        cjk = len(_CJK.findall(head))
        if cjk > 0.3 * len(head):
            nw = max(nw, int(n / 2.5))      # scripts written without spaces: ~2.5 chars a word
    sample = toks if len(toks) <= 400 else toks[:400]
    stop = sum(map(_STOP.__contains__, sample)) / len(sample) if sample else 0.0
    sent_end = bool(SENT_END.search(text[-8:]))
    return _Shape(text, n, low, toks, nw, cjk, stop, sent_end, toks[0] if toks else "")


def described(text: str) -> tuple:
    """Context-free description of one line: (kind, reason, words, stopword share, meta kind,
    end-of-article heading, ends like a sentence, then the line's words in lower case
    (`WORD.findall(text.lower())`, which the line model reads too: found once), or None for a
    line of 20,000 characters or more). The
    words are kept as a tuple: the garbage collector stops tracking a tuple of strings, while a
    list kept for the whole page would be scanned, promoted and make full collections come sooner."""
    s = _shape(text)
    kind, why, meta, end = _page_part(s) or (s.n < 220 and _short_line(s)) or _text_kind(s)
    return kind, why, s.nw, s.stop, meta, end, s.sent_end, tuple(s.toks) if s.n < 20000 else None


def _page_part(s: _Shape) -> tuple | None:
    """(kind, reason, meta kind, end heading) of an end-of-article heading, a gallery or photo
    caption, or a line without letters; None for any other line."""
    text, first = s.text, s.first
    if s.n < 160 and s.nw <= 12 and not (text.endswith(".") and not text.endswith("..")) \
            and (first in END_FIRST or first.isdigit() or not first.isascii()) and is_end_heading(text):
        return JUNK, f"end-of-article heading '{text[:40]}'", None, True
    gallery = gallery_caption(text, first)
    if gallery:
        return JUNK, gallery, None, False
    caption = caption_credit(text, s.n, s.nw, s.toks)
    if caption:
        return META, caption, "caption", False
    if (not s.toks or first.isdigit() or first[0] == "_") and not _LETTER.search(text[:400]):
        return JUNK, "no letters", None, False
    return None


def _short_line(s: _Shape) -> tuple | None:
    """The same for a short line that is metadata, link, button, notice, bare URL or menu."""
    text, toks, nw, sent_end = s.text, s.toks, s.nw, s.sent_end
    head = toks if len(toks) <= 80 else toks[:80]       # the words the tests below look up (a set would cost more)
    if could_be_metadata(text, s.first, head):
        meta = metadata_kind(text, s.low, toks, head, nw, sent_end)
        if meta:
            return META, meta, meta.split(":")[0], False
    if s.first in LINE_START_FIRST or not text[0].isalnum() or s.first.isdigit():
        hit = furniture_start(text)
        if hit and (nw <= 8 or not sent_end):
            return JUNK, f"{hit[0]} ('{hit[1].strip()[:30]}')", None, False
    if nw <= 12 or not sent_end:
        hit = furniture_anywhere(text, s.low, toks, head)
        if hit:
            return JUNK, f"{hit[0]} ('{hit[1]}')", None, False
    elif not PROMO_WORDS.isdisjoint(head) and not READER_WORDS.isdisjoint(head):
        w = next(t for t in toks if t in PROMO_WORDS)
        return JUNK, f"sign-up prompt addressed to the reader ('{w}')", None, False
    if nw <= 25 and ("." in text or "/" in text) and _URL.fullmatch(text):
        return JUNK, "bare URL", None, False
    if not sent_end and (text.count(" | ") + text.count(" / ") + text.count(" · ") + text.count(" • ")) >= 3:
        return JUNK, "menu line: items separated by | or /", None, False
    return None


def _text_kind(s: _Shape) -> tuple:
    """The same for any other line: a promo in capitals, a headline, prose, a sentence, a menu item."""
    text, nw, stop, cjk, sent_end = s.text, s.nw, s.stop, s.cjk, s.sent_end
    if nw >= 7 and text.isupper() and not cjk:
        return JUNK, f"all-capitals line of {nw} words (a link or promo)", None, False
    if nw <= 24 and text.endswith("..") and _TRUNCATED.search(text[-4:]):
        return HEAD, f"truncated headline ({nw} words, ends with '..')", None, False
    if 4 <= nw <= 24 and not cjk and title_case(text, share=0.85, min_words=4, openers=_OPENERS, digits=False, all_caps=False):
        return HEAD, f"headline-like: {nw} words in Title Case", None, False
    if nw >= 15 and (stop >= 0.12 or cjk or sent_end or len(_SENT_INNER.findall(text[:2000])) >= 2):
        if nw < 25 and not sent_end and not cjk and not _SENT_INNER.search(text):
            return WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", None, False
        return PROSE, f"prose: {nw} words, {stop:.0%} stopwords", None, False
    if nw >= 8 and sent_end and (stop >= 0.1 or cjk):
        return PROSE, f"sentence: {nw} words, ends with punctuation", None, False
    if sent_end and (nw >= 3 or nw == 2 and stop > 0) \
            and (stop > 0 or nw >= 5 or text[0] in "\"“'‘«—–-"):
        return WEAK, f"short sentence: {nw} words, ends with punctuation", None, False
    if nw >= 8 and stop >= 0.2:
        return WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", None, False
    if nw <= 3:
        return MENU, f"{nw} word{'s' if nw != 1 else ''}, no sentence punctuation", None, False
    return HEAD, f"heading-like: {nw} words, no sentence punctuation", None, False


def glance(text: str) -> tuple:
    """A quick look for lines above the headline (menus, link lists): word count and
    punctuation only, no phrase or metadata tests (the tuple of `described`, without the words)."""
    nw = len(text.split())
    sent_end = SENT_END.search(text[-8:]) is not None
    if sent_end and nw >= 15:
        kind, what = PROSE, "text"
    elif sent_end and nw >= 3:
        kind, what = WEAK, "short sentence"
    elif nw <= 3:
        kind, what = MENU, "no sentence punctuation"
    else:
        kind, what = HEAD, "no sentence punctuation"
    why = f"above the headline: {nw} word{'s' if nw != 1 else ''}, {what}"
    return kind, why, nw, 0.0, None, False, sent_end, None
