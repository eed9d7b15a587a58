"""What the attributors read about one field of one article, built once and never changed."""
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from spacy.tokens import Doc, Token

from transforms.entities import Entity, Mention
from transforms.quotes.cues import cue_tokens
from transforms.quotes.segments import Quote, Segment, find_segments, transcript_turns
from transforms.quotes.speakers import gender_of


@dataclass(frozen=True)
class ArticleContext:
    """One field's Doc with its quotation marks, reporting cues and the article's entities."""
    doc: Doc
    field: str                      # 'title' or 'body'
    text: str                       # doc.text, kept: spaCy rebuilds it on each access
    entities: tuple[Entity, ...]    # the article's entity clusters, both fields
    titles: Mapping[str, Counter]   # title noun -> how often the article gives it to each person
    segments: tuple[Segment, ...]   # quoted segments, transcript tags moved out of them
    turns: Mapping[Segment, str]    # the segment a transcript turn opens with -> its speaker tag
    in_quote: tuple[bool, ...]      # per token: inside quotation marks (the marks included)
    cues: frozenset[int]            # indices of the reporting-cue tokens outside quotes
    mention_at: Mapping[int, tuple[Entity, Mention]]   # token index -> the entity mentioned there
    genders: Mapping[Entity, str | None]   # the people mentioned in this field: 'm', 'f' or None

    @classmethod
    def build(cls, doc: Doc, field: str, entities: list[Entity], titles: Mapping[str, Counter]) -> "ArticleContext":
        text = doc.text
        segments, turns = field_segments(text, field == "title")
        in_quote = _quote_mask(doc, segments)
        mention_at = _mentions_by_token(doc, field, entities)
        genders = {ent: gender_of(ent, text, field) for ent, _ in mention_at.values() if ent.label == "PERSON"}
        return cls(doc, field, text, tuple(entities), MappingProxyType(titles), tuple(segments),
                   MappingProxyType(turns), tuple(in_quote), cue_tokens(doc, in_quote),
                   MappingProxyType(mention_at), MappingProxyType(genders))

    def is_cue(self, tok: Token) -> bool:
        return tok.i in self.cues

    def paragraph_bounds(self, quote: Quote) -> tuple[int, int]:
        """Character bounds of the paragraph (or paragraphs) a quotation runs over."""
        hi = self.text.find("\n", quote.last.end)
        return self.text.rfind("\n", 0, quote.first.open_at) + 1, len(self.text) if hi < 0 else hi


def field_segments(text: str, single_quotes: bool) -> tuple[list[Segment], dict[Segment, str]]:
    """A field's quoted segments, transcript tags moved out of them, and the tags by segment."""
    return transcript_turns(text, find_segments(text, single_quotes=single_quotes))


def quoted_tokens(doc: Doc, single_quotes: bool) -> list[bool]:
    """Per token: inside quotation marks (the marks included), as `ArticleContext.in_quote`
    will have it; it needs the tokens only, so the parse plan reads it before the parse."""
    return _quote_mask(doc, field_segments(doc.text, single_quotes)[0])


def _quote_mask(doc: Doc, segments: list[Segment]) -> list[bool]:
    in_quote = [False] * len(doc)
    for seg in segments:
        span = doc.char_span(seg.open_at, (seg.close_at + 1) if seg.close_at is not None else seg.end,
                             alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                in_quote[i] = True
    return in_quote


def _mentions_by_token(doc: Doc, field: str, entities: list[Entity]) -> dict[int, tuple[Entity, Mention]]:
    mention_at: dict[int, tuple[Entity, Mention]] = {}
    for ent in entities:
        for m in ent.mentions:
            if m.field == field:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    for tok in span:
                        mention_at[tok.i] = (ent, m)
    return mention_at
