"""Metadata lines and fields: which lines are a byline ("By Jane Doe"), a dateline ("Published
...", "Associated Press November 19, 2019, 9:02 AM") or a photo credit ("Copyright REUTERS/...",
"(Manu Fernandez/AP)", a caption ending in an agency), and the page's `byline`, `dateline`,
`publisher`, `credits` and `published` taken from them.

The words and patterns are data: transforms/lexicons/bylines.toml and credits.toml here, the
words of a dateline in every language in dateline_words.py (from datelines.toml and CLDR).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
import re

from transforms.clean import dateline_words as dw
from transforms.clean.lines import DIGIT, Line
from transforms.dates import publication_date
from transforms.lexicons import alternatives, entries, words

# ---- bylines ------------------------------------------------------------------------------------
_OPENERS = entries("bylines", "openers") + entries("bylines", "openers_before_a_name")
_BYLINE = re.compile(r"^(" + "|".join(_OPENERS) + r")\s+(.{2,80})$", re.I)
_BYLINE_WORDS = frozenset(re.match(r"\w+", opener).group(0) for opener in _OPENERS)
_BEFORE_A_NAME = re.compile(alternatives("bylines", "openers_before_a_name"), re.I)
_NAME_PARTICLES = words("bylines", "name_particles")
_BY_IN_LINE = re.compile(r"\b[Bb]y\s+([A-Z][^|•·]{2,60})")
# A byline's name is over at an English name end in any case ("Jane Doe On May 3"), another
# language's in lower case ("Jean Dupont, le 3 mars"; "Jean Le Gall" keeps its "Le").
_ENGLISH_NAME_ENDS = words("bylines", "name_ends", "en")
_NAME_ENDS = words("bylines", "name_ends")
# A wire dateline opens with the place in capitals: "LONDON 1996-08-30", "NICE, France Aug 30".
_WIRE_PLACE = re.compile(r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}(?:,| \d| [A-Z][a-z]{2})")
# ---- credits ------------------------------------------------------------------------------------
_CREDIT_WORDS = words("credits", "credit_words")
_CREDIT_FIRST = words("credits", "credit_first_words")
_CREDIT_START = re.compile(alternatives("credits", "credit_line_start"))
_AGENCY = words("credits", "agencies") | words("credits", "agency_suffixes")
_NOT_A_PLACE = _AGENCY | dw.KEYWORDS
_CREDIT_END = re.compile(r"(?:/\s*(?:" + alternatives("credits", "credit_line_end_after_slash") + ")|"
                         + alternatives("credits", "credit_line_end") + r")\s*\)?$")
_CAPTION_CREDIT = re.compile(
    r"(?:/\s*(?:" + alternatives("credits", "caption_end_after_slash") + r")(?: file| photo| images)?\)?\.?"
    r"|\([^(),]{0,50}/[^(),]{0,50}\)"
    r"|[.!?]\s+(?:" + alternatives("credits", "caption_end_after_sentence") + "))$", re.I)
# An inline credit: a credit word (its singular, then an optional "s"), a colon, the credit.
_CREDIT_SINGULARS = [w for w in entries("credits", "credit_words") if not (w.endswith("s") and w[:-1] in _CREDIT_WORDS)]
_INLINE_CREDIT = re.compile(
    r"[(\[]?\b(?:" + "|".join(_CREDIT_SINGULARS) + r")s?\s*(?:credit)?\s*:\s*"
    r"([^()\[\]:]{2,60}?)\s*[)\]]?\s*$", re.I)
# A line can only be a byline, dateline or credit if it starts with one of these words, holds a
# digit, a slash, a parenthesis or one of the agency/date words (a cheap gate).
_META_FIRST = _BYLINE_WORDS | _CREDIT_FIRST
_META_WORDS = words("credits", "agencies") | dw.KEYWORDS


def could_be_metadata(text: str, first: str, head: Collection[str]) -> bool:
    """A cheap test that lets most lines skip `metadata_kind` (`head`: the line's first 80 words)."""
    return bool(first in _META_FIRST or text[0] in "©(" or text[-1] == ")" or "/" in text
                or DIGIT.search(text) or not _META_WORDS.isdisjoint(head))


def metadata_kind(text: str, low: str, toks: list[str], head: Collection[str], nw: int, sent_end: bool) -> str | None:
    """'credit: ...', 'byline: ...' or 'dateline: ...' (kind and reason) for a metadata line, or
    None (`head`: the line's first 80 words)."""
    if nw > 22:
        return None
    if (nw <= 16 or text[0] == "(") and (
            (toks and toks[0] in _CREDIT_FIRST or text[0] in "©(") and _CREDIT_START.match(low)
            or (text[0] == "(" and text[-1] == ")" and len(text) < 64)
            or (("/" in text or ")" in text[-2:] or not _AGENCY.isdisjoint(head))
                and _CREDIT_END.search(low[-48:]))):
        if nw <= 12 or low.startswith(("copyright", "photo", "image", "credit", "(")) and nw <= 40:
            return "credit: photo credit or copyright line"
    dated = dw.is_dated(text, low, head)
    if toks and toks[0] in _BYLINE_WORDS:
        m = _BYLINE.match(text)
        if m and (nw <= 10 and not sent_end or dated):
            who = byline_name(m.group(2)).split()
            caps = sum(1 for w in who if w[:1].isupper() or w[:1] == "@")
            if who and len(who) <= 8 and caps >= max(1, len(who) // 2) \
                    and (not _BEFORE_A_NAME.fullmatch(m.group(1)) or _person_name(who)):
                return "byline: 'By ...' line"
    if dated and text[0] not in "—–-":
        rest = dw.other_words(toks)
        if (rest <= 3 or rest == 4 and not sent_end) and nw <= 16:
            return "dateline: date/time line"
    return None


def _person_name(who: list[str]) -> bool:
    """Two to four words, each capitalised or a name particle ("Jan de Vries", not "Locks")."""
    return 2 <= len(who) <= 4 and all(w[:1].isupper() or w in _NAME_PARTICLES for w in who) \
        and sum(w[:1].isupper() for w in who) >= 2


def caption_credit(text: str, n: int, nw: int, toks: list[str]) -> str | None:
    """Why the line is a photo caption ending in a credit ("... Photo: Jane Doe", "... /AP"), or None."""
    if n < 700 and ":" in text[-90:] and not _CREDIT_WORDS.isdisjoint(toks[-16:]):
        m = _INLINE_CREDIT.search(text[-90:])
        if m and (n > 90 or m.start() > 0):
            return "caption: photo caption ending in a credit"
    if 6 <= nw <= 80 and ("/" in text[-60:] or not _AGENCY.isdisjoint(toks[-4:])) \
            and _CAPTION_CREDIT.search(text[-70:]):
        return "caption: photo caption ending in a photographer/agency credit"
    return None


def is_wire_dateline(ln: Line) -> bool:
    """A dateline that opens with the place in capitals ("LONDON 1996-08-30"), not an agency."""
    return bool(ln.meta == "dateline" and _WIRE_PLACE.match(ln.text)
                and ln.text.split()[0].lower().strip(",") not in _NOT_A_PLACE)


def credit_text(ln: Line) -> str:
    """The credit of a credit line, or the credit at the end of a photo caption."""
    text = ln.text
    if ln.meta != "caption":
        return text
    tail = text[-90:]
    m = _INLINE_CREDIT.search(tail)
    if m:
        return m.group(1).strip()
    m = _CAPTION_CREDIT.search(text[-70:])
    if m:
        found = m.group(0).strip(" .")
        if found.startswith("("):
            return found.strip("()")
        if found[0] in ".!?":
            return found[1:].strip()
        cut = text.rfind(". ", 0, len(text) - len(m.group(0)))
        return text[cut + 2:].strip() if cut >= 0 else found
    return text


def byline_name(s: str) -> str:
    """'Jane Doe | May 3, 2019' -> 'Jane Doe'; 'Jo Roe jo@x.com (509)' -> 'Jo Roe'."""
    out = []
    toks = s.split()
    for i, tok in enumerate(toks):
        bare = tok.strip(",;")
        low = bare.lower()
        if (not bare or "@" in bare or any(c.isdigit() for c in bare) or bare[0] in "(|•·–—-[/"
                or low in dw.KEYWORDS or low in _ENGLISH_NAME_ENDS or bare in _NAME_ENDS
                or low in dw.MONTH_NAMES and i + 1 < len(toks) and toks[i + 1][:1].isdigit()):
            break
        out.append(tok)
    return " ".join(out).strip(" ,;|-")


# ---- the page's metadata fields ---------------------------------------------------------------------

@dataclass(frozen=True)
class Metadata:
    """The metadata fields of a cleaned page, white space collapsed."""
    byline: str | None
    publisher: str | None
    dateline: str | None
    credits: tuple[str, ...]
    published: date | None


def page_metadata(found: list[tuple[int, str, Line]], anchor: int, header_reach: int, plain: bool,
                  publisher: str | None) -> Metadata:
    """The fields from the metadata lines found (index, role, line): the byline and dateline
    nearest below the headline at `anchor` (else the last above it), the credits of the headline
    zone and of the article block, the publication date they state; `publisher` (the page title's
    site name) or the words before a page's dateline."""
    byline, dateline, dated_lines = _nearest_byline_and_dateline(found, anchor)
    credits = []
    for i, role, ln in found:
        if role == "credit" and i >= anchor - 3:
            credits.append(credit_text(ln))
        elif role in ("byline", "dateline") and anchor - 3 <= i <= anchor + header_reach:
            dated_lines.append(ln.text)
    published = publication_date(dated_lines)
    if publisher is None and dateline and not plain:
        publisher = _words_before_the_date(dateline)
    if dateline:
        dateline = dateline.strip(" |•·-–—")
    credits = [" ".join(c.split()) for c in credits]
    credits = list(dict.fromkeys(c for c in credits if c))
    byline, dateline, publisher = (" ".join(v.split()) or None if v else None
                                   for v in (byline, dateline, publisher))
    return Metadata(byline, publisher, dateline, tuple(credits), published)


def _nearest_byline_and_dateline(found: list[tuple[int, str, Line]], anchor: int):
    """(byline, dateline, their lines): each the first below the headline, else the last above."""
    byline = dateline = None
    dated_lines = []
    for want in ("dateline", "byline"):
        below = [x for x in found if x[1] == want and x[0] >= anchor]
        above = [x for x in found if x[1] == want and x[0] < anchor]
        pick = below[0] if below else (above[-1] if above else None)
        if pick is None:
            continue
        dated_lines.append(pick[2].text)
        if want == "byline":
            m = _BYLINE.match(pick[2].text)
            byline = byline_name(m.group(2)) if m else pick[2].text
        else:
            dateline = pick[2].text
            m = _BY_IN_LINE.search(dateline)
            if byline is None and m:
                byline = byline_name(m.group(1)) or None
    return byline, dateline, dated_lines


def _words_before_the_date(dateline: str) -> str | None:
    """"Associated Press November 19, 2019, 9:02 AM" -> "Associated Press": a page's publisher.
    (In an article as written they are a wire dateline's place: "NEW YORK 1996-08-30".)"""
    m = dw.DATE.search(dateline)
    lead = dateline[:m.start()].strip(" ,-|•·") if m else ""
    if lead and 1 <= len(lead.split()) <= 4 and lead[0].isupper() \
            and not any(w.lower().strip(":,") in dw.ALL_WORDS for w in lead.split()):
        return lead
    return None
