"""Segments that form one quotation: interrupted by the attribution (`"We will win," she said,
"and soon."`), listed in one clause, or running over paragraphs that reopen the mark."""
from collections.abc import Callable, Collection
import re
from typing import TYPE_CHECKING

from transforms.quotes.segments import Quote, Segment, starts_paragraph, starts_statement

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext

_LIST_GAP = re.compile(r"[\s,;]*(?:(?:and|or|but|and even|or even|as well as|nor)\s+)?")


def quotations(context: "ArticleContext") -> list[Quote]:
    """The quotations of a field, in reading order."""
    return group_quotations(context.text, list(context.segments), lambda prev, seg: joins(context, prev, seg),
                            context.turns)


def group_quotations(text: str, segments: list[Segment], joins: Callable[[Segment, Segment], bool],
                     turns: Collection[Segment] = frozenset()) -> list[Quote]:
    """Join segments of one quotation: across reopened paragraphs, or around an attribution;
    a new transcript turn always starts a quotation of its own."""
    groups: list[list[Segment]] = []
    for seg in segments:
        if groups and seg not in turns:
            prev = groups[-1][-1]
            continues_paragraph = (prev.close_at is None and seg.paragraph > prev.paragraph
                                   and starts_paragraph(text, seg.open_at))
            interrupted = seg.paragraph == prev.paragraph and prev.close_at is not None and joins(prev, seg)
            if continues_paragraph or interrupted:
                groups[-1].append(seg)
                continue
        groups.append([seg])
    return [Quote(tuple(group)) for group in groups]


def joins(context: "ArticleContext", prev: Segment, seg: Segment) -> bool:
    """Whether `seg` goes on the statement of `prev` across an attribution ("," she said, ")."""
    text, doc = context.text, context.doc
    between = text[prev.close_at + 1:seg.open_at]
    if _LIST_GAP.fullmatch(between) and not starts_statement(text, prev):
        return True   # called him a "nasty guy," "anchor baby" and "unstable": one act of naming
    if "\n" in between or len(between.split()) > 40 or not starts_statement(text, prev):
        return False
    span = doc.char_span(prev.close_at + 1, seg.open_at, alignment_mode="contract")
    if span is None or not any(context.is_cue(t) for t in span):
        return False
    if between.rstrip()[-1:] in (",", ":"):
        return True
    # '"A," she said. "B."': B goes on A unless B has an attribution of its own
    par_end = text.find("\n", seg.end)
    rest = doc.char_span(seg.end, len(text) if par_end < 0 else par_end, alignment_mode="contract")
    return rest is None or not any(context.is_cue(t) for t in rest)
