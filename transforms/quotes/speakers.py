"""Who a speaker mention is: a name directly, a pronoun to the salient compatible person before
it, a relative pronoun ("Sanders, who said") to the noun its clause hangs on, a title noun
("the Kazakh president") to the person the article gives that title, "it" to the organisation
last named. What is left stays unresolved (a null speaker).
"""
from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from transforms.entities import Entity
from transforms.first_names import gender_of_given_name
from transforms.lexicons import words
from transforms.quotes.attribution import Evidence

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
GROUP_PRONOUNS = frozenset({"it", "they", "we", "i"})
RELATIVE_PRONOUNS = words("people", "relative_pronouns")
MALE_HONORIFICS = words("people", "male_honorifics")
FEMALE_HONORIFICS = words("people", "female_honorifics")
NOT_SPEAKERS = frozenset({"TIME", "DATE", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
NAMED_SPEAKERS = frozenset({"PERSON", "ORG", "NORP"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "CCONJ", "DET", "NUM"})


def resolve(context: "ArticleContext", span: Span, head: Token, quote_at: int) -> tuple[Entity | None, Evidence]:
    """The entity a speaker mention (`span`, headed by `head`) names, and how it was found;
    UNRESOLVED when none is."""
    entity, evidence = _resolve(context, span, head, quote_at)
    return (entity, evidence) if entity is not None else (None, Evidence.UNRESOLVED)


def _resolve(context: "ArticleContext", span: Span, head: Token, quote_at: int) -> tuple[Entity | None, Evidence]:
    hit = context.mention_at.get(head.i)
    if hit is not None:
        return hit[0], Evidence.NAMED
    low = head.lower_
    before = min(quote_at, head.idx)   # "Kasich says he'd tell Putin "...": the antecedent precedes the pronoun
    if low in PERSON_PRONOUNS:
        return resolve_pronoun(context, PERSON_PRONOUNS[low], before), Evidence.PRONOUN
    if low in RELATIVE_PRONOUNS:   # "Sanders, who said": the mention stays "who", the speaker is Sanders
        noun = antecedent(context, head)
        hit = context.mention_at.get(noun.i) if noun is not None else None
        return (hit[0] if hit else None), Evidence.RELATIVE
    if low in GROUP_PRONOUNS:   # "it said": the organisation; "it was reported": nobody
        it = recent_entity(context, ("ORG",), before) if low == "it" and head.dep_ == "nsubj" else None
        return it, Evidence.PRONOUN
    possessors = [context.mention_at[t.i][0] for t in span if t.i in context.mention_at]
    if head.pos_ in ("NOUN", "PROPN"):
        titled = context.titles.get(head.lemma_.lower())
        if titled:   # most often given that title, then most mentioned
            return max(titled, key=lambda e: (titled[e], len(e.mentions))), Evidence.TITLE
        org = [e for e in possessors if e.label in ("ORG", "GPE", "NORP")]
        if org and not any(e.label == "PERSON" for e in possessors):
            return org[0], Evidence.NAMED   # "the OSCE's election observation mission" speaks for the OSCE
    return None, Evidence.UNRESOLVED


def antecedent(context: "ArticleContext", relative: Token) -> Token | None:
    """The noun a relative clause hangs on: "Sanders" in "Sanders, who said"."""
    verb = relative.head
    for _ in range(3):
        if verb.dep_ == "relcl":
            noun = verb.head
            # "Marc Morial, the chief executive, who said": the name the apposition describes
            while noun.dep_ == "appos" and noun.i not in context.mention_at and noun.head.i != noun.i:
                noun = noun.head
            return noun
        if verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def resolve_pronoun(context: "ArticleContext", gender: str, before: int) -> Entity | None:
    """The salient person before the quote: the nearest subject or speaker, then any mention."""
    candidates = []
    for tok_i, (ent, m) in context.mention_at.items():
        if ent.label != "PERSON" or m.start >= before or context.in_quote[tok_i]:
            continue
        if context.genders[ent] not in (gender, None):
            continue
        tok = context.doc[tok_i]
        salient = tok.dep_ in SUBJECT_DEPS or tok.head.dep_ in SUBJECT_DEPS
        candidates.append((m.start, salient, ent))
    recent = sorted(candidates, key=lambda c: -c[0])
    window = [c for c in recent if c[0] >= (recent[0][0] - 400)] if recent else []
    paragraph_start = context.text.rfind("\n", 0, before) + 1
    same_paragraph = [c for c in window if c[0] >= paragraph_start]
    pick = ([c for c in same_paragraph if c[1]] or same_paragraph or [c for c in window if c[1]] or window)
    return pick[0][2] if pick else None


def recent_entity(context: "ArticleContext", labels: tuple[str, ...], before: int) -> Entity | None:
    """The entity of one of `labels` mentioned last before `before`."""
    found = [(m.start, ent) for ent, m in context.mention_at.values() if ent.label in labels and m.start < before]
    return max(found, key=lambda f: f[0])[1] if found else None


def gender_of(entity: Entity, text: str, field: str) -> str | None:
    """'m' or 'f' when an honorific before a mention in this field, or a full name's given name,
    gives it away, else None."""
    words = entity.name.split()
    if len(words) >= 2 and (given := gender_of_given_name(words[0])):
        return given
    for m in entity.mentions:
        if m.field != field:
            continue
        prev = text[max(0, m.start - 6):m.start].strip().rstrip(".").split()
        if prev:
            word = prev[-1].casefold()
            if word in MALE_HONORIFICS:
                return "m"
            if word in FEMALE_HONORIFICS:
                return "f"
    return None


def title_map(docs: dict[str, Doc], entities: list[Entity]) -> dict[str, Counter]:
    """Title nouns the article gives its people: "President ... Tokayev", "Rittmann, the researcher"."""
    titles: dict[str, Counter] = {}
    for ent in entities:
        if ent.label != "PERSON":
            continue
        for m in ent.mentions:
            doc = docs[m.field]
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for w in _title_words(doc, span):
                    titles.setdefault(w, Counter())[ent] += 1
    return titles


def _title_words(doc: Doc, span: Span) -> set[str]:
    """Nouns before a person's name and in apposition to it."""
    words = set()
    for tok in reversed(doc[max(0, span.start - 6):span.start]):
        if tok.pos_ not in TITLE_POS and tok.tag_ not in ("HYPH", "POS"):
            break   # "Kazakh President and presidential candidate Kassym-Jomart Tokayev"
        if tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_:
            words.add(tok.lemma_.lower())
    for tok in span:
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                words.add(child.lemma_.lower())
    if span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN":
        words.add(span.root.head.lemma_.lower())
    return words
