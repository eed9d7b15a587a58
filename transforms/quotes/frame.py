"""A quotation's frame (the words around it that can attribute it) and the cue that governs it."""
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from transforms.quotes.cues import subject_of
from transforms.quotes.segments import Quote, starts_paragraph

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext


def frame_tokens(context: "ArticleContext", quote: Quote) -> list[Token]:
    """Tokens outside quotes in the sentences the quotation touches, plus a colon intro."""
    doc = context.doc
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None:
        return []
    sents = {tok.sent.start: tok.sent for tok in span}
    tail = span.end
    if tail < len(doc) and doc[tail].is_sent_start and (
            doc[tail].text[:1].islower()   # '"...?" he asks.': a sentence never opens lower-case
            or attribution_tag(context, doc[tail].sent)):   # '"...?" Trump said, looking out.'
        sents.setdefault(tail, doc[tail].sent)
    par_lo, par_hi = context.paragraph_bounds(quote)
    ranges = [(par_lo, par_hi)]
    intro = colon_intro(context, span[0].sent, par_lo if starts_paragraph(context.text, quote.start) else None)
    if intro is not None:   # 'He said:' before the quote, in its paragraph or the one before
        sents.setdefault(intro.start, intro)
        ranges.append((intro.start_char, intro.end_char))
    return [t for s in sents.values() for t in s
            if not context.in_quote[t.i] and any(lo <= t.idx < hi for lo, hi in ranges)]


def attribution_tag(context: "ArticleContext", sent: Span) -> bool:
    """Whether a sentence opens with a speaker and a cue that says nothing of its own: the
    parser often starts a sentence after '?"' or '!"'."""
    for tok in sent[:8]:
        if context.in_quote[tok.i] or "\n" in tok.text:
            return False
        if not context.is_cue(tok):
            continue
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.pos_ in ("VERB", "AUX") for c in tok.children):
            return False   # '"..." Trump said the plan would fail': a statement of its own
        subj = subject_of(context, tok)
        return subj is not None and (subj.i > tok.i or subj.left_edge.i == sent.start)
    return False


def colon_intro(context: "ArticleContext", sent: Span, par_start: int | None) -> Span | None:
    """The sentence that ends in a colon right before the quotation, if there is one."""
    doc = context.doc
    if sent.start > 0 and doc[sent.start - 1].text == ":":
        return doc[sent.start - 1].sent
    if par_start is not None:
        before = context.text[:par_start].rstrip()
        if before.endswith(":"):
            colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
            return colon[0].sent if colon is not None else None
    return None


def nearest_cue(context: "ArticleContext", quote: Quote, frame: list[Token]) -> Token | None:
    """The cue of the frame that governs the quote, else the one nearest to it (one with a
    subject first)."""
    lo = quote.start
    hi = quote.last.close_at if quote.last.close_at is not None else quote.last.end
    cues = [t for t in frame if context.is_cue(t)]
    if not cues:
        return None
    governing = governing_cue(context, quote, cues)
    if governing is not None:
        return governing

    def distance(t: Token) -> int:
        return 0 if lo <= t.idx <= hi else min(abs(t.idx - lo), abs(t.idx - hi))
    with_subject = [t for t in cues if subject_of(context, t) is not None]
    return min(with_subject or cues, key=distance)


def governing_cue(context: "ArticleContext", quote: Quote, cues: list[Token]) -> Token | None:
    """The cue whose clause holds the quote ("called the plan "an illusion" and noted...")."""
    span = context.doc.char_span(quote.first.start, quote.first.end, alignment_mode="expand")
    if span is None:
        return None
    cue_ids = {t.i for t in cues}
    for tok in span.root.ancestors:
        if tok.i in cue_ids and subject_of(context, tok) is not None:
            return tok
    return None
