"""`clean_text`: page text to title, body and metadata, as a short pipeline of named steps, with
a `LineDecision` for every line of the text."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from transforms.clean import line_model
from transforms.clean.blocks import HEADER_LINES, article_block, mark_runs
from transforms.clean.features import described, glance
from transforms.clean.furniture import furniture_sign
from transforms.clean.headline import find_headline, find_title_repeats
from transforms.clean.lines import DIGIT, HEAD, MENU, Line
from transforms.clean.metadata import page_metadata
from transforms.clean.shared_lines import mark_shared_lines
from transforms.clean.verdicts import apply_body_model, decide_lines, trim_block_edges

SHIPPED = "shipped"     # clean_text's default body model: transforms/clean/line_model.json
_FULL_TOP = 60          # lines always examined in full (the page top, where a headline may sit)


@dataclass(frozen=True)
class LineDecision:
    line_no: int
    text: str
    role: str      # title | body | byline | dateline | credit | boilerplate | blank
    reason: str


@dataclass(frozen=True)
class CleanedText:
    title: str | None
    body: str
    byline: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    credits: tuple[str, ...] = ()
    published: date | None = None
    decisions: tuple[LineDecision, ...] = field(default=(), repr=False)


def clean_text(text: str, seen_in: Mapping[int, int] | None = None, body_model=SHIPPED) -> CleanedText:
    """Split page text into title, article body and metadata; explain every line.

    `seen_in` maps line keys (`line_key`) to the number of distinct articles of the corpus that
    hold the line; without it no line is judged by its repetition across articles. On a web page
    `body_model` (a callable PageLines -> [(keep, reason) or None per line]) decides which lines
    are the body; the rules' verdicts are among its evidence. None: the rules decide; the
    default is the model that ships with the code (transforms/clean/line_model.py)."""
    if not isinstance(text, str):
        text = str(text or "")
    raw_lines = text.split("\n")
    lines, title_repeats = describe_lines(raw_lines)
    if not lines:
        return CleanedText(None, "", decisions=line_decisions(raw_lines, {}))
    furniture = furniture_sign(lines, title_repeats)
    plain = furniture is None
    if seen_in and mark_shared_lines(lines, seen_in, {0, *title_repeats}, plain):
        mark_runs(lines)
    headline = find_headline(lines, title_repeats, plain)
    block = article_block(lines, headline, plain)
    verdicts = decide_lines(lines, headline, block, plain, furniture)
    if not plain:
        trim_block_edges(lines, verdicts, block)
        if body_model is not None:
            apply_body_model(_loaded(body_model), lines, verdicts, headline, block)
    meta = page_metadata(verdicts.meta_found, headline.anchor, HEADER_LINES, plain, headline.publisher)
    body = "\n\n".join(ln.text for ln, kept in zip(lines, verdicts.keep) if kept)
    return CleanedText(title=headline.title, body=body, byline=meta.byline, publisher=meta.publisher,
                       dateline=meta.dateline, credits=meta.credits, published=meta.published,
                       decisions=line_decisions(raw_lines, verdicts.roles))


def _loaded(body_model):
    """The shipped model is loaded on the first web page: a corpus of plain texts never needs it."""
    return line_model.shipped() if body_model is SHIPPED else body_model


def describe_lines(raw_lines: list[str]) -> tuple[list[Line], list[int]]:
    """The non-blank lines, each described by its own features and its runs and repeats on the
    page, and the indices of the lines that repeat the page title. Where the headline repeats the
    page title far down, the menus above it get only a cheap look."""
    nonblank = [(no, s) for no, s in enumerate(map(str.strip, raw_lines)) if s]
    title_repeats = find_title_repeats(nonblank)
    full_from = title_repeats[0] if title_repeats and title_repeats[0] > _FULL_TOP else 0
    lines: list[Line] = []
    cache: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for idx, (no, s) in enumerate(nonblank):
        f = cache.get(s)
        if f is None:
            f = cache[s] = described(s) if idx < _FULL_TOP or idx >= full_from else glance(s)
        kind, why, nw, stop, meta, end, sent, lowered_words = f
        ln = Line(no, s, nw, len(s), stop, kind, why, end, False, -1, meta, 0.0, 1, 1, False, sent, toks=lowered_words)
        if kind in (HEAD, MENU) and DIGIT.search(s):
            toks = s.split()
            nnum = sum(1 for t in toks if DIGIT.search(t))
            ln.numeric = nnum >= 2 and nnum >= 0.3 * len(toks)
        lines.append(ln)
        counts[s] = counts.get(s, 0) + 1
    mark_runs(lines)
    for ln in lines:
        ln.rep = counts[ln.text]
    return lines, title_repeats


def line_decisions(raw_lines: list[str], roles: dict[int, tuple[str, str]]) -> tuple[LineDecision, ...]:
    """A LineDecision for every line of the text, blank ones included."""
    # LineDecision is a frozen dataclass; filling __dict__ directly builds the same objects
    # several times faster than its __init__, which matters on pages of thousands of lines.
    new = object.__new__
    out = []
    append = out.append
    get = roles.get
    for no, raw in enumerate(raw_lines):
        d = new(LineDecision)
        if not raw or raw.isspace():
            d.__dict__.update(line_no=no, text=raw, role="blank", reason="blank")
        else:
            role, why = get(no) or ("boilerplate", "unclassified")
            d.__dict__.update(line_no=no, text=raw, role=role, reason=why)
        append(d)
    return tuple(out)
