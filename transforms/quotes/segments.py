"""Quoted segments of a text: a character scan for quotation marks, and transcript turns.

Tolerant of straight, curly and unbalanced marks: a stray mark never crashes and never
swallows more than its paragraph. A `Quote` is the segments of one quotation (grouping.py).
"""
from dataclasses import dataclass
import re

OPENERS = "\u201c\u201e\u00ab"   # “ „ «
CLOSERS = "\u201d\u00bb"         # ” »
SINGLE_OPEN, SINGLE_CLOSE = "\u2018", "\u2019"
MARKS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
SINGLE_MARKS = re.compile("['\u2018\u2019]")
WORD = re.compile(r"\w+")
_DECADE = re.compile(r"\d\ds\b")
# '"PENCE: Well, look, ...': a transcript turn opens with its speaker's name in capitals and a colon
_TURN_TAG = re.compile(r"([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):\s+(?=\S)")
# '"(CROSSTALK.)': a stage direction inside a transcript, not speech
_STAGE_DIRECTION = re.compile(r"^[(\[][^()\[\]]*[)\]]\W*$")


@dataclass(frozen=True)
class Segment:
    """Quoted words at [start, end) of a field, between marks at open_at and close_at."""
    start: int
    end: int
    open_at: int
    close_at: int | None   # None: the mark was never closed in its paragraph
    paragraph: int


@dataclass(frozen=True)
class Quote:
    """The segments of one quotation, in reading order."""
    segments: tuple[Segment, ...]

    @property
    def first(self) -> Segment:
        return self.segments[0]

    @property
    def last(self) -> Segment:
        return self.segments[-1]

    @property
    def start(self) -> int:
        """Where the quotation opens: its first mark."""
        return self.first.open_at

    @property
    def end(self) -> int:
        """Just after its last closing mark, or the end of its words when never closed."""
        return self.last.close_at + 1 if self.last.close_at is not None else self.last.end

    @property
    def unclosed(self) -> bool:
        return any(s.close_at is None for s in self.segments)


def find_segments(text: str, single_quotes: bool = False) -> list[Segment]:
    """Quoted segments per paragraph; straight marks pair by context, curly ones by direction."""
    segments: list[Segment] = []
    offset = 0
    for par_no, paragraph in enumerate(text.split("\n")):
        segments.extend(_paragraph_segments(paragraph, offset, par_no, single_quotes))
        offset += len(paragraph) + 1
    return segments


def _paragraph_segments(par: str, offset: int, par_no: int, single_quotes: bool) -> list[Segment]:
    marks = SINGLE_MARKS if single_quotes else MARKS
    out, open_at, in_attribute, nested = [], None, False, 0
    for m in marks.finditer(par):
        i, ch = m.start(), m.group()
        before = par[i - 1] if i else " "
        after = par[i + 1] if i + 1 < len(par) else " "
        if single_quotes and after.isalnum() and (not (before.isspace() or before in "([{/-\u2013\u2014")
                                                  or _DECADE.match(par, i + 1)):
            continue  # an apostrophe: don't, Kazakhstan's, the U.N.'s, the '90s; an opening mark follows a space
        if in_attribute or (before == "=" and ch == '"'):
            in_attribute = not in_attribute   # markup left in the text: author="x" is a value, not a quote
            continue
        opens = ch in OPENERS or ch == SINGLE_OPEN or (
            ch in "\"'" and open_at is None and not before.isalnum() and not after.isspace())
        closes = ch in CLOSERS or ch == SINGLE_CLOSE or (ch in "\"'" and open_at is not None)
        if single_quotes and ch in "'\u2019" and open_at is None and before.isalpha():
            continue  # a closing apostrophe with nothing open: "Euronews'"
        if nested and ch in CLOSERS:
            nested -= 1   # closes a quotation inside the quotation
            continue
        if ch == "\u201c" and open_at is not None and par[open_at] == "\u201c" and par.count("\u201d", i) >= 2 + nested:
            nested += 1   # \u201cI'd rather live in what he calls \u201chell\u201d than ...\u201d: one quotation
            continue
        if open_at is None and (opens or ch in CLOSERS and not before.isalnum() and not after.isspace()):
            open_at = i
        elif open_at is not None and (closes or ch in OPENERS):
            _emit(out, par, offset, par_no, open_at, i)
            open_at = i if ch in OPENERS else None
    if open_at is not None:
        _emit(out, par, offset, par_no, open_at, None)
    return out


def _emit(out: list, par: str, offset: int, par_no: int, open_at: int, close_at: int | None) -> None:
    end = len(par) if close_at is None else close_at
    inner = par[open_at + 1:end]
    if not WORD.search(inner):
        return
    lead = len(inner) - len(inner.lstrip())
    start, stop = open_at + 1 + lead, open_at + 1 + len(inner.rstrip())
    out.append(Segment(offset + start, offset + stop, offset + open_at,
                       None if close_at is None else offset + close_at, par_no))


def transcript_turns(text: str, segments: list[Segment]) -> tuple[list[Segment], dict[Segment, str]]:
    """Segments with a transcript turn's speaker tag moved out of the quoted words, and the tags.

    A tag counts only in a transcript: two or more quoted paragraphs open with one, so a lone
    "UPDATE:" or "VIDEO:" stays part of its text. Stage directions ("(CROSSTALK.)") are dropped."""
    tagged = [(seg, _TURN_TAG.match(text, seg.start)) for seg in segments]
    tagged = [(seg, m if m and starts_paragraph(text, seg.open_at) else None) for seg, m in tagged]
    if sum(m is not None for _, m in tagged) < 2:
        return segments, {}
    kept, turns = [], {}
    for seg, m in tagged:
        if _STAGE_DIRECTION.match(text[seg.start:seg.end]):
            continue
        if m is not None and m.end() < seg.end:
            seg = Segment(m.end(), seg.end, seg.open_at, seg.close_at, seg.paragraph)
            turns[seg] = m.group(1)
        kept.append(seg)
    return kept, turns


def starts_paragraph(text: str, pos: int) -> bool:
    """Whether only blanks stand between the start of pos's line and pos."""
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


def starts_statement(text: str, seg: Segment) -> bool:
    """Whether the segment's mark opens its line or follows the end of a sentence or a colon."""
    before = text[text.rfind("\n", 0, seg.open_at) + 1:seg.open_at].rstrip()
    return not before or before[-1] in ".:!?"
