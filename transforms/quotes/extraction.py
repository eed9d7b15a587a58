"""Quote rows of one article: the quotations of each field, attributed, typed and filtered."""
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from transforms import ids
from transforms.entities import Entity
from transforms.quote_filter import QuoteFilter, quote_features
from transforms.quotes.attribution import Attribution, Attributor, Evidence, attribute
from transforms.quotes.attributors import ATTRIBUTORS
from transforms.quotes.context import ArticleContext
from transforms.quotes.grouping import quotations
from transforms.quotes.reported import reported_speech
from transforms.quotes.segments import WORD, Quote
from transforms.quotes.speakers import title_map

FLOATING = "floating"   # the `attributed_by` of a quote that takes the speaker of the quote before


def extract_quotes(article_id: str, docs: dict[str, Doc], entities: list[Entity], quote_filter: QuoteFilter,
                   keep_all: bool = False, attributors: Sequence[Attributor] = ATTRIBUTORS) -> list[dict]:
    """Quote rows of one article, title then body, in reading order.

    Quoted body rows carry `quote_filter`'s probability of being a real, rightly attributed
    quotation as `confidence` and are dropped under its threshold (layout attributions and
    headline rows keep their rule confidence); `keep_all` keeps them, with their features,
    for training that model. `attributors` are asked in their order (attributors.ATTRIBUTORS)."""
    titles = title_map(docs, entities)
    rows: list[dict] = []
    for field, doc in docs.items():
        if len(doc) == 0:
            continue
        context = ArticleContext.build(doc, field, entities, titles)
        rows.extend(_quoted_rows(article_id, context, quote_filter, keep_all, attributors))
        rows.extend(_row(article_id, context, quote, attribution, "indirect")
                    for quote, attribution in reported_speech(context))
    return rows


def _quoted_rows(article_id: str, context: ArticleContext, quote_filter: QuoteFilter, keep_all: bool,
                 attributors: Sequence[Attributor]) -> list[dict]:
    """Rows of the quotations in marks. A quotation nobody is found for takes the speaker of
    the quote just before (a direct quote within two paragraphs of it), else is dropped when it
    is partial or shorter than four words (scare quotes, titles, nicknames)."""
    rows, previous, previous_par = [], None, -10
    for quote in quotations(context):
        attribution = attribute(context, quote, attributors)
        kind = quote_type(context.text, quote, attribution)
        if attribution.evidence is Evidence.NONE:
            if (previous is not None and previous.speaker is not None and kind == "direct"
                    and quote.first.paragraph - previous_par <= 2):
                attribution = replace(previous, evidence=Evidence.FLOATING, attributed_by=FLOATING)
            elif kind == "partial" or _word_count(context.text, quote) < 4:
                continue
        row = _row(article_id, context, quote, attribution, kind)
        if attribution.evidence is not Evidence.FLOATING:
            previous = attribution
        previous_par = quote.last.paragraph
        if context.field == "body" and not attribution.evidence.layout:
            if not _judged(row, context, quote, attribution, quote_filter, keep_all):
                continue
        rows.append(row)
    return rows


def _judged(row: dict, context: ArticleContext, quote: Quote, attribution: Attribution,
            quote_filter: QuoteFilter, keep_all: bool) -> bool:
    """Give the row the filter's probability as its confidence; whether the row is kept."""
    features = quote_features(row["text"], row["quote_type"], attribution.evidence.key, attribution.cue_lemma,
                              len(quote.segments), quote.unclosed, _word_before(context.text, quote.start))
    row["confidence"] = round(quote_filter.probability(features), 2)
    if keep_all:
        row["features"] = features
        return True
    return quote_filter.keeps(row["confidence"])


def quote_type(text: str, quote: Quote, attribution: Attribution) -> str:
    """Direct when the marks hold the whole statement; partial when woven into paraphrase."""
    first = quote.first
    line_start = text.rfind("\n", 0, first.open_at) + 1
    before = text[line_start:first.open_at].rstrip()
    if not before or before[-1] in ":,.!?":
        return "direct"
    last_word = WORD.findall(before)[-1:] if before else []
    if attribution.cue and last_word and last_word[0] == attribution.cue.split()[-1]:
        return "direct"
    return "partial"


def _word_before(text: str, at: int) -> str:
    words = WORD.findall(text[max(0, at - 40):at])
    return words[-1] if words else ""


def _word_count(text: str, quote: Quote) -> int:
    return sum(len(WORD.findall(text[s.start:s.end])) for s in quote.segments)


def _row(article_id: str, context: ArticleContext, quote: Quote, attribution: Attribution, kind: str) -> dict:
    start, end = quote.start, quote.end
    unclosed = kind != "indirect" and quote.unclosed
    confidence = attribution.evidence.confidence - (0.1 if unclosed else 0.0)
    speaker = attribution.speaker
    return {
        "article_id": article_id,
        "quote_id": ids.quote_id(article_id, context.field, start, end),
        "text": " ".join(context.text[s.start:s.end] for s in quote.segments),
        "quote_type": kind,
        "speaker": speaker.name if speaker else None,
        "speaker_mention": attribution.mention,
        "speaker_entity_id": speaker.entity_id if speaker else None,
        "cue": attribution.cue,
        "field": context.field,
        "start": start,
        "end": end,
        "spans": [{"start": s.start, "end": s.end} for s in quote.segments],
        "confidence": round(max(0.0, confidence), 2),
        "attributed_by": attribution.attributed_by,
    }
