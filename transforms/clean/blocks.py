"""The article block of a page: runs of lines (menus, tables), a score per line (paragraphs
positive, furniture negative, an end-of-article heading a barrier), and the block as the first
strong maximum-sum run after the headline (not the biggest: comments can outweigh a short
article). An end-of-article heading followed by a short link list and then more paragraphs is an
inline widget, not the end. A standfirst/byline zone at the top is trimmed, lead paragraphs cut
off by a photo line are merged back, a trailing list of teasers is cut. In an article as written
the block is every line below the headline."""
from __future__ import annotations

from dataclasses import dataclass

from transforms.clean.headline import Headline
from transforms.clean.lines import DIGIT, HEAD, JUNK, MENU, META, PROSE, WEAK, Line

# Line scores for finding the article block (a maximum-sum run of lines). A paragraph scores
# 1 + words/20 (at most 5); the rest is below.
_BARRIER = -12.0        # "You might also like", "Comments": the article does not go on past it
_INLINE_MARKER = -3.0   # a "Related" heading whose short link list is followed by more article
_LONE_JUNK_SCORE = -1.2  # one button/label line between paragraphs ("Advertisement")
# (a run of such lines scores -2 each, a menu run of short lines -1 each)
_HEAD_SCORE = -0.1      # a lone heading-like line
_MENU_SCORE = -0.3      # a lone 1-3 word line
_REP_PENALTY = 0.3      # ... less when the same line recurs on the page
_NUMERIC_SCORE = 0.1    # a table row or a dated list line
_ISOLATED_SCORE = 0.2   # a short paragraph between headline/author lines: a teaser, maybe
# Block selection.
_GAP = 12.0             # a stretch this far below the running peak ends the article block
_MIN_BLOCK = 2.5        # smallest score of a block that can be the article
_FIRST_FRACTION = 0.3   # the first block after the headline wins if it has this share of the best
_CLOSED_BLOCK = 8.0     # ... or this score and ends at a "Comments"/"Related" heading
_MERGE_GAP = 6.0        # lead paragraphs this little above the block (a photo, a link) join it
HEADER_LINES = 14       # how far into the block a standfirst/byline zone may reach
_HEADER_SHARE = 0.25    # ... holding at most this share of the block's score
_WIDGET_LINES = 16      # longest link list after an inline "Related" heading
_TEASER_UNITS = 5       # this many "short lines + one paragraph" units end the block: teasers
_TEASER_WORDS = 60      # ... of paragraphs this short
_PLAIN_HEADER = 4       # lines below the headline of a plain text that may hold its byline/dateline


@dataclass(frozen=True)
class Block:
    """The article block [start, end) and, in an article as written, its byline/dateline lines."""
    start: int
    end: int
    header_lines: frozenset[int] = frozenset()


def article_block(lines: list[Line], headline: Headline, plain: bool) -> Block:
    """The block of lines that is the article (scores every line of a web page on the way)."""
    n = len(lines)
    if plain:
        first_body = next((i for i in range(n) if not headline.is_title[i]), n)
        return Block(first_body, n, _plain_header(lines, first_body))
    _score_lines(lines, headline.is_title, headline.anchor)
    start, end = _best_block(lines, headline.anchor)
    return Block(start, _trim_teasers(lines, start, end))


def _plain_header(lines: list[Line], first_body: int) -> frozenset[int]:
    """An article as written: every line is text but the first byline and dateline among the few
    short lines right below the headline, which go to their fields (a date, a name or a credit
    further down is text: a table row, a quote)."""
    header: dict[str, int] = {}
    for i in range(first_body, min(len(lines), first_body + _PLAIN_HEADER)):
        if lines[i].kind in (PROSE, WEAK):
            break
        if lines[i].meta in ("byline", "dateline"):
            header.setdefault(lines[i].meta, i)
    return frozenset(header.values())


def mark_runs(lines: list[Line]) -> None:
    """Size of each run of adjacent short or furniture lines (no blank line between); a run of
    dated or numbered lines is data (a table, tour dates), not a menu and not a dateline."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind in (HEAD, MENU, JUNK, META):
            j = i + 1
            while (j < len(lines) and lines[j].no == lines[j - 1].no + 1
                   and lines[j].kind in (HEAD, MENU, JUNK, META)):
                j += 1
            for k in range(i, j):
                lines[k].run = j - i
            if j - i >= 4 and sum(1 for k in range(i, j) if DIGIT.search(lines[k].text)) >= 0.8 * (j - i):
                _mark_data_run(lines, i, j)
            i = j
        else:
            i += 1


def _mark_data_run(lines: list[Line], i: int, j: int) -> None:
    for k in range(i, j):
        x = lines[k]
        if x.kind in (HEAD, MENU) or x.meta == "dateline":
            x.numeric = True
            if x.kind == META:
                x.kind, x.meta = HEAD, None
                x.why = f"list line with a date or number, in a run of {j - i} such lines"


def _score_lines(lines: list[Line], is_title: list[bool], anchor: int) -> None:
    """Score every line for the block search: paragraphs positive, furniture negative, an
    end-of-article heading a barrier (or a small cost when article text resumes after its links)."""
    n = len(lines)
    for i, ln in enumerate(lines):
        if is_title[i]:
            ln.score = -1.0
            continue
        k = ln.kind
        if ln.end_marker:
            resume = _inline_widget(lines, i) if i > anchor else None
            if resume is None:
                s = _BARRIER
                ln.barrier = True
            else:
                s = _INLINE_MARKER
                for j in range(i + 1, resume):
                    lines[j].widget = i
        elif k == PROSE:
            s = 1.0 + min(ln.words, 80) / 20.0
            if _ISOLATED_SCORE is not None and ln.words <= 45 and 0 < i < n - 1 \
                    and _teaser_side(lines[i - 1]) and _teaser_side(lines[i + 1]):
                s = _ISOLATED_SCORE      # one paragraph between short lines: a teaser?
        elif k == WEAK:
            s = 0.6
        elif k in (HEAD, MENU):
            s = _short_line_score(ln)
        elif k == META:
            s = -0.5
        else:
            s = -2.0 if ln.run > 1 else _LONE_JUNK_SCORE
        if i < anchor:
            s = min(s, -1.0)
        ln.score = s


def _short_line_score(ln: Line) -> float:
    if ln.numeric:
        s = _NUMERIC_SCORE
    elif ln.run >= 3:
        s = -1.0
    else:
        s = _HEAD_SCORE if ln.kind == HEAD else _MENU_SCORE
    if ln.rep > 1:
        s -= _REP_PENALTY
    return s


def _segments(lines: list[Line], gap: float) -> list[tuple[float, int, int, bool]]:
    """Runs of lines whose running score stays positive (Kadane), as (score, start, end, closed
    by an end-of-article heading).

    A run is closed at its peak when the running score falls `gap` below that peak (a long
    stretch of boilerplate) or at an end-of-article heading."""
    segs = []
    start = None
    cur = peak = 0.0
    peak_end = 0
    for i, ln in enumerate(lines):
        sc = ln.score
        if start is None:
            if sc > 0:
                start, cur, peak, peak_end = i, sc, sc, i + 1
            elif ln.barrier and segs and segs[-1][3] is False and i - segs[-1][2] < 12:
                segs[-1] = segs[-1][:3] + (True,)
            continue
        if ln.barrier:
            segs.append((peak, start, peak_end, True))
            start = None
            continue
        cur += sc
        if cur > peak:
            peak, peak_end = cur, i + 1
        elif cur <= 0 or cur < peak - gap:
            segs.append((peak, start, peak_end, False))
            start = None
    if start is not None:
        segs.append((peak, start, peak_end, False))
    return segs


def _best_block(lines: list[Line], anchor: int) -> tuple[int, int]:
    """The article block as [start, end): the first strong run after the headline."""
    segs = _segments(lines, _GAP)
    if not segs:
        return 0, 0
    best = max(s[0] for s in segs)
    pick = None
    for k, (sc, st, _end, closed) in enumerate(segs):
        if st < anchor:
            continue
        if sc >= max(_MIN_BLOCK, _FIRST_FRACTION * best) or (closed and sc >= _CLOSED_BLOCK):
            pick = k
            break
    if pick is None:
        pick = max(range(len(segs)), key=lambda k: segs[k][0])
    sc, st, en, _ = segs[pick]
    return _trim_header(lines, _merge_lead(lines, segs, pick, anchor), en, sc), en


def _merge_lead(lines: list[Line], segs: list[tuple[float, int, int, bool]], pick: int, anchor: int) -> int:
    """The block's start once lead paragraphs cut off by a photo or a "Read more" line just
    above it have joined it."""
    st = segs[pick][1]
    k = pick - 1
    while k >= 0:
        psc, pst, pen, pclosed = segs[k]
        gap = sum(ln.score for ln in lines[pen:st])
        if pclosed or pst < anchor or st - pen > HEADER_LINES or gap < -_MERGE_GAP \
                or any(ln.barrier for ln in lines[pen:st]):
            break
        st = pst
        k -= 1
    return st


def _teaser_side(ln: Line) -> bool:
    """A headline, kicker or author line (what stands around a teaser paragraph)."""
    return ln.kind in (HEAD, MENU) or ln.shared or (ln.kind == WEAK and not ln.sent)


def _trim_teasers(lines: list[Line], start: int, end: int) -> int:
    """Cut a trailing list of teasers (kicker/headline/author lines, then one short paragraph,
    again and again) off the end of the article block; returns the new end."""
    units = 0
    j = end - 1
    while j >= start and lines[j].kind != PROSE:       # short lines after the last paragraph
        j -= 1
    cut = end
    while j > start:
        if lines[j].kind != PROSE or lines[j].words > _TEASER_WORDS or _numeric_share(lines[j].text) > 0.12:
            break
        k = j - 1
        while k >= start and lines[k].kind != PROSE and j - k <= 3:
            k -= 1
        if k < start or lines[k].kind != PROSE and j - k > 3 or k == j - 1:
            break
        units += 1
        cut = k + 1
        j = k
    return cut if units >= _TEASER_UNITS else end


def _numeric_share(text: str) -> float:
    toks = text.split()
    return sum(1 for t in toks if DIGIT.search(t)) / len(toks) if toks else 0.0


def _inline_widget(lines: list[Line], i: int) -> int | None:
    """For a "Related"/"Don't miss" heading at i inside the article: the index where article prose
    resumes after its short list of links, or None when the heading ends the article (nothing but
    links, comments or teasers follow)."""
    n = len(lines)
    j = i + 1
    while j < n and j - i <= _WIDGET_LINES and lines[j].kind != PROSE:
        if comment_signal(lines[j]):
            return None
        j += 1
    if j >= n - 2 or j - i > _WIDGET_LINES or j == i + 1:
        return None
    # Article text resumes: three paragraphs in a row (teasers alternate with short lines).
    follow = lines[j:j + 3]
    if all(x.kind in (PROSE, WEAK) and not x.end_marker and not comment_signal(x) for x in follow) \
            and sum(x.kind == PROSE for x in follow) >= 2:
        return j
    return None


def comment_signal(ln: Line) -> bool:
    """A comment section's heading, author or time line ("jdoe says:", "3 hours ago")."""
    return ((ln.kind == JUNK and "comment" in ln.why) or
            (ln.meta == "dateline" and " ago" in ln.text.lower()))


def _trim_header(lines: list[Line], st: int, en: int, total: float) -> int:
    """Move the block start past a standfirst/caption/byline zone at its top: the last
    metadata or button line among the first lines, when little prose stands before it."""
    last = None
    pos = 0.0
    nprose = 0
    dated = False
    for i in range(st, min(en, st + HEADER_LINES)):
        ln = lines[i]
        dated = dated or ln.meta in ("byline", "dateline")
        if ln.kind in (META, JUNK):
            if pos <= _HEADER_SHARE * total and nprose <= 2 and (dated or nprose == 0):
                last = i
        elif ln.score > 0:
            if dated and ln.kind == PROSE:
                break               # past the byline/date: the article text has begun
            pos += ln.score
            nprose += ln.kind == PROSE
    if last is None:
        return st
    j = last + 1
    while j < en and lines[j].kind not in (PROSE, WEAK):
        j += 1
    return j if j < en else st


def menu_runs(lines: list[Line]) -> list[str]:
    """For each line in a run of >= 4 menu-like lines, a note like 'in a run of 6 such lines'."""
    out = [""] * len(lines)
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].kind in (MENU, HEAD) and lines[i].words <= 4:
            j = i
            while j < n and lines[j].kind in (MENU, HEAD, JUNK) and lines[j].words <= 4:
                j += 1
            if j - i >= 4:
                for k in range(i, j):
                    out[k] = f"in a run of {j - i} such lines"
            i = j
        else:
            i += 1
    return out
