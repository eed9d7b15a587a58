"""The attributors: each finds a quotation's speaker one way, or passes (None) to the next.

ATTRIBUTORS, at the bottom, is the order they are asked in; the first answer wins, and its
attributor's name goes into the row's `attributed_by`. To add one: write a function
`(context, quote) -> Attribution | None` decorated with `@attributor("its_name")` and put it
in the list; to see what it changes: `python bench/attributors.py ../shared/data/polnear/dev`.
"""
import re

from transforms.quotes.attribution import Attribution, Attributor, Evidence, attributor
from transforms.quotes.context import ArticleContext
from transforms.quotes.cues import cue_lemma, cue_text, subject_of
from transforms.quotes.frame import frame_tokens, nearest_cue
from transforms.quotes.mentions import adjacent_name, inverted_subject, speaker_span
from transforms.quotes.segments import Quote, starts_statement
from transforms.quotes.speakers import NAMED_SPEAKERS, resolve

# '"..." ― Christina Lastra' / '— Sen. Jo Bloggs, a Democrat': a dash, then a capitalised name, then the line ends
_DASH_SIGNATURE = re.compile(r"\s*[\u2015\u2014\u2013-]{1,2}\s*((?:[A-Z][\w.'\u2019-]*\s?){1,5})[,.]?\s*(?:$|,)")


@attributor("transcript_turn")
def transcript_turn(context: ArticleContext, quote: Quote) -> Attribution | None:
    """A transcript tag ("PENCE:") names the person of the article with that surname."""
    tag = context.turns.get(quote.first)
    if tag is None:
        return None
    last = tag.split()[-1].casefold()
    people = [e for e in context.entities if e.label == "PERSON" and e.name.split()[-1].casefold() == last]
    entity = max(people, key=lambda e: len(e.mentions)) if people else None
    return Attribution(entity, tag, None, Evidence.TURN)


@attributor("dash_signature")
def dash_signature(context: ArticleContext, quote: Quote) -> Attribution | None:
    """Attribution by layout: '"...," ― Christina Lastra' right after the closing mark."""
    close_at, text = quote.last.close_at, context.text
    if close_at is None:
        return None
    line_end = text.find("\n", close_at)
    sign = _DASH_SIGNATURE.match(text[close_at + 1:len(text) if line_end < 0 else line_end])
    if sign is None:
        return None
    words = sign.group(1).strip()
    if len(words.split()[-1]) > 3:   # "Lastra." ends the line; "Jr." and "P." keep their dot
        words = words.rstrip(".")
    at = close_at + 1 + sign.start(1)
    name = context.doc.char_span(at, at + len(words), alignment_mode="expand")
    hit = next((context.mention_at[t.i] for t in name if t.i in context.mention_at), None) if name else None
    return Attribution(hit[0] if hit else None, words, None, Evidence.SIGNATURE)


@attributor("reporting_cue")
def reporting_cue(context: ArticleContext, quote: Quote) -> Attribution | None:
    """The reporting cue in the quotation's sentence(s), outside any quote, and its subject (or
    the name the parser left beside it) as the speaker mention. With a cue it always answers,
    with a null speaker when it finds nobody saying it."""
    cue = nearest_cue(context, quote, frame_tokens(context, quote))
    if cue is None:
        return None
    head = subject_of(context, cue) or adjacent_name(context, cue)
    span = speaker_span(context, head) if head is not None else inverted_subject(context, cue)
    if span is None:
        return Attribution(None, None, cue_text(context.doc, cue), Evidence.NONE, cue_lemma(cue))
    head = head if head is not None else span[-1]
    entity, evidence = resolve(context, span, head, quote.start)
    return Attribution(entity, span.text, cue_text(context.doc, cue), evidence, cue_lemma(cue))


@attributor("clause_agent")
def clause_agent(context: ArticleContext, quote: Quote) -> Attribution | None:
    """No reporting verb: quoted words inside a clause belong to its subject when that is a
    known entity or a person ("Reid has been pounding Trump as a "con artist"")."""
    span = context.doc.char_span(quote.first.start, quote.first.end, alignment_mode="expand")
    if span is None:
        return None
    par_lo, par_hi = context.paragraph_bounds(quote)
    for verb in span.root.ancestors:
        if not par_lo <= verb.idx < par_hi:
            break   # the parser joined paragraphs: a verb of another paragraph is no agent
        if context.in_quote[verb.i] or verb.pos_ not in ("VERB", "AUX"):
            continue
        head = subject_of(context, verb)
        if head is None:
            continue
        speaker = speaker_span(context, head)
        entity, _ = resolve(context, speaker, head, quote.start)
        if entity is None:
            break
        return Attribution(entity, speaker.text, cue_text(context.doc, verb), Evidence.AGENT, verb.lemma_.lower())
    return None


@attributor("colon_introduction")
def colon_introduction(context: ArticleContext, quote: Quote) -> Attribution | None:
    """A colon introduction with no reporting verb: the name right before the colon
    ("More from Jones: "...") or the subject of the introducing clause when it is a known
    entity ("Clinton has since apologized for what happened: "...")."""
    doc, text = context.doc, context.text
    before = text[:quote.start].rstrip()
    if not before.endswith(":") or text[len(before):quote.start].count("\n") > 2:
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None or colon.start == 0:
        return None
    at = colon.start - 1
    if at in context.mention_at and not context.in_quote[at] and context.mention_at[at][0].label in NAMED_SPEAKERS:
        entity, mention = context.mention_at[at]
        return Attribution(entity, mention.text, None, Evidence.NAMED)
    intro = [t for t in doc[colon[0].sent.start:colon.start] if not context.in_quote[t.i]]
    for verb in reversed([t for t in intro if t.pos_ in ("VERB", "AUX")]):
        head = subject_of(context, verb)
        if head is None:
            continue
        span = speaker_span(context, head)
        entity, _ = resolve(context, span, head, quote.start)
        if entity is not None:
            return Attribution(entity, span.text, None, Evidence.CONTEXT, verb.lemma_.lower())
    return None


@attributor("preceding_statement")
def preceding_statement(context: ArticleContext, quote: Quote) -> Attribution | None:
    """A quote with no cue of its own continues the statement just before it: the previous
    sentence of its paragraph ("..., Schiff said. "The other factor ...") or, for a quote
    opening its paragraph, the last sentence of the paragraph before, including an
    introduction with no reporting verb ("Sanders made the following comment:")."""
    doc = context.doc
    first = doc.char_span(quote.start, quote.start + 1, alignment_mode="expand")
    if first is None or not starts_statement(context.text, quote.first) or first.start == 0:
        return None
    sent = doc[first.start - 1].sent
    if sent.end > first.start + 1:    # the quote is inside that sentence: not a new statement
        return None
    between = context.text[sent.end_char:quote.start]
    if between.count("\n") > 2 or "\n" in sent.text.strip() or context.in_quote[sent.end - 1]:
        return None
    cues = [t for t in sent if context.is_cue(t) and subject_of(context, t) is not None]
    if cues:
        head = subject_of(context, cues[-1])
        cue, lemma = cue_text(doc, cues[-1]), cue_lemma(cues[-1])
    elif sent.text.rstrip().endswith(":"):
        head, cue, lemma = subject_of(context, sent.root), None, None
        if head is None or head.i not in context.mention_at:
            return None
    else:
        return None
    span = speaker_span(context, head)
    entity, _ = resolve(context, span, head, quote.start)
    return Attribution(entity, span.text, cue, Evidence.CONTEXT, lemma)


# The order the attributors are asked in: one line each, the first answer wins.
ATTRIBUTORS: tuple[Attributor, ...] = (
    transcript_turn,       # a transcript's "NAME:" tag
    dash_signature,        # '"..." ― Name' after the closing mark
    reporting_cue,         # the cue of the quote's sentence and its subject
    clause_agent,          # no cue: the subject of the clause the quote stands in
    colon_introduction,    # no cue: a name or a clause before a colon
    preceding_statement,   # no cue: the statement of the sentence before
)
