"""A page's lines as the rules see them: `Line` (one non-blank line, its kind from page furniture
to running text, and what the later steps learn about it) and `PageLines` (what a body model is
given to decide on)."""
from __future__ import annotations

from dataclasses import dataclass, field
import re

# Feature classes of a line, from page furniture to running text.
JUNK, META, MENU, SHORT, HEAD, WEAK, PROSE = range(7)

WORD = re.compile(r"\w+")
DIGIT = re.compile(r"\d")
_QUOTE_NORM = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'", "´": "'"})


@dataclass(slots=True)
class Line:
    """One non-blank line: its own features, then its context (runs, repeats, score)."""
    no: int
    text: str
    words: int = 0
    chars: int = 0
    stop: float = 0.0
    kind: int = SHORT
    why: str = ""
    end_marker: bool = False
    barrier: bool = False        # an end-of-article heading that closes the article block
    widget: int = -1             # index of the inline "Related" heading this link line follows
    meta: str | None = None      # byline | dateline | credit
    score: float = 0.0
    rep: int = 1                 # how often the exact line occurs in the page
    run: int = 1                 # size of the run of adjacent short lines (no blank between)
    numeric: bool = False        # a table row: many tokens are numbers
    sent: bool = False           # ends like a sentence (. ! ? …)
    shared: bool = False         # boilerplate because many articles of the corpus hold it
    # WORD.findall(text.lower()) as features.py found them, for the line model (None: not found)
    toks: tuple[str, ...] | None = field(default=None, compare=False, repr=False)


def norm(s: str) -> str:
    """A line's words, case-folded, quotes unified: how a repeat of a line is recognised."""
    return " ".join(WORD.findall(s.translate(_QUOTE_NORM).casefold()))


@dataclass(frozen=True)
class PageLines:
    """What the rules know about a page's non-blank lines, for a body model to decide on."""
    lines: list            # Line, in page order
    rule_keep: list[bool]  # the rules' body verdict
    is_title: list[bool]
    candidates: list[bool]  # lines a body model may keep or drop (not the title, not metadata)
    start: int             # the rules' article block [start, end)
    end: int
    anchor: int            # the headline occurrence that opens the article

    @property
    def end_markers(self) -> list[bool]:
        """Which lines are end-of-article headings ("Related", "You might also like")."""
        return [ln.end_marker for ln in self.lines]
