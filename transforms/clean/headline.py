"""The headline: the page title when the page repeats it (whole, or without the site name that a
title "Headline - Site" carries), a headline-like line repeated at the top when the first line is
not one ("Find Us"), else the first line; and the headline occurrence that opens the article."""
from __future__ import annotations

from dataclasses import dataclass
import re

from transforms.clean.features import SENT_END
from transforms.clean.lines import HEAD, JUNK, MENU, META, PROSE, WEAK, Line, norm

_TITLE_SEP = re.compile(r"\s+(?:[-|–—:·»•]|::)\s+")


@dataclass(frozen=True)
class Headline:
    """The page's headline and where the article opens."""
    title: str | None
    line: Line                # the headline's line (the first line when there is no headline)
    how: str                  # why it is the headline, for --explain
    norm: str | None          # the title normalised (`lines.norm`)
    repeats: list[int]        # the lines that repeat the page title (or the repeated headline)
    is_title: list[bool]      # per line: the headline or a copy of it
    anchor: int               # the headline occurrence that opens the article
    publisher: str | None     # the site name of a page title "Headline - Site"


def find_title_repeats(nonblank: list[tuple[int, str]]) -> list[int]:
    """Indices (into the non-blank lines) of lines that repeat the page title (the first line),
    whole or without its site name, among the first 400 lines."""
    if not nonblank:
        return []
    first = nonblank[0][1]
    cands = [first] + _title_candidates(first)
    normc = {x for x in map(norm, cands) if x}
    if not normc:
        return []
    first_norm = norm(first)
    lo = min(len(c) for c in cands) * 0.5 - 4
    hi = len(first) + 8
    cand_words = {len(c.split()) for c in normc}
    initial = first[:1]
    found = []
    wlo, whi = min(cand_words) - 3, max(cand_words) + 4
    for i in range(1, min(len(nonblank), 400)):
        s = nonblank[i][1]
        if not lo <= len(s) <= hi:
            continue
        sw = s.count(" ") + 1
        if not wlo <= sw <= whi and not (sw >= 3 and s[:1] == initial):
            continue            # cheap test first: a match has about as many words, or is a prefix
        nl = norm(s)
        words = nl.count(" ") + 1 if nl else 0
        if words < 2 or (words not in cand_words and not (words >= 4 and s[:1] == initial)):
            continue
        if nl in normc or (words >= 4 and first_norm.startswith(nl) and len(nl) > 0.5 * len(first_norm)):
            found.append(i)
    return found


def _title_candidates(first: str) -> list[str]:
    parts = _TITLE_SEP.split(first)
    out = []
    if len(parts) > 1:
        # Headline is the longest part; the site name is usually a short trailing (or leading) part.
        out.append(max(parts, key=len))
        out.append(_TITLE_SEP.split(first, maxsplit=1)[0])
        out.append(first.rsplit(" - ", 1)[0] if " - " in first else first.rsplit(" | ", 1)[0])
    return [c for c in dict.fromkeys(out) if len(c.split()) >= 2]


def _site_part(first: str, head: str) -> str | None:
    rest = first.replace(head, "", 1).strip(" -|–—:·»•")
    if rest and len(rest.split()) <= 5 and rest != first:
        return rest
    return None


def find_headline(lines: list[Line], repeats: list[int], plain: bool) -> Headline:
    """The headline of a page whose lines at `repeats` repeat its first line, the page title."""
    title, line, how, publisher, repeats = _choose_title(lines, repeats, plain)
    tnorm = norm(title) if title else None
    is_title = _title_flags(lines, title, tnorm, repeats)
    return Headline(title, line, how, tnorm, repeats, is_title, _anchor(lines, repeats, is_title), publisher)


def _choose_title(lines: list[Line], repeats: list[int], plain: bool) -> tuple:
    """(title, its line, how it was found, the site name, the lines that repeat it)."""
    first = lines[0]
    first_norm = norm(first.text)
    if repeats:
        line = lines[repeats[0]]
        same = norm(line.text) == first_norm
        how = ("headline (the page title repeated in the page)" if same
               else "headline (the page title without the site name)")
        return line.text, line, how, None if same else _site_part(first.text, line.text), repeats
    repeated = None
    if not plain and (first.kind in (MENU, JUNK, META) or first.words <= 3):
        repeated = _repeated_headline(lines)
    if repeated is not None:
        line = lines[repeated]
        return (line.text, line, "headline (a headline-like line repeated near the top)", None,
                [i for i, ln in enumerate(lines) if ln.text == line.text])
    if (first.kind == PROSE and first.words > 40) or first.chars > 300 or \
            (first.kind == JUNK and (first.words <= 3 or first.why == "no letters")):
        return None, first, "headline (first line)", None, repeats   # running prose, a giant line, no words
    return first.text, first, "headline (first line)", None, repeats


def _repeated_headline(lines: list[Line]) -> int | None:
    """A headline-like line repeated near the top, when the first line is not a headline."""
    for i, ln in enumerate(lines[1:60], 1):
        if ln.rep >= 2 and 4 <= ln.words <= 30 and ln.kind in (HEAD, WEAK, PROSE) \
                and (not SENT_END.search(ln.text[-3:]) or ln.text.endswith("?")):
            return i
    return None


def _title_flags(lines: list[Line], title: str | None, tnorm: str | None, repeats: list[int]) -> list[bool]:
    """Per line: the first line, the headline or a line that repeats it."""
    is_title = [False] * len(lines)
    if title is not None:
        is_title[0] = True
        for i in repeats:
            is_title[i] = True
        for i, ln in enumerate(lines):
            if not is_title[i] and abs(ln.chars - len(title)) < 6 and norm(ln.text) == tnorm:
                is_title[i] = True
    return is_title


def _anchor(lines: list[Line], repeats: list[int], is_title: list[bool]) -> int:
    """The headline occurrence that opens the article: the last one before the first long prose."""
    anchor = max((i for i in repeats if i < len(lines) * 0.8), default=0) if repeats else 0
    first_prose = next((i for i, ln in enumerate(lines) if ln.kind == PROSE and not is_title[i]
                        and i > (repeats[0] if repeats else 0)), None)
    if repeats and first_prose is not None:
        before = [i for i in repeats if i < first_prose]
        anchor = before[-1] if before else repeats[0]
    return anchor
