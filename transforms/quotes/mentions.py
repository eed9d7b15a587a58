"""Where a cue's speaker is named: the subject phrase, or the name the parser left beside the cue."""
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from transforms.quotes.speakers import NAMED_SPEAKERS, NOT_SPEAKERS, SPEAKER_LABELS

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext

SPEAKER_CUT_DEPS = frozenset({"appos", "relcl", "acl", "advcl"})


def speaker_span(context: "ArticleContext", head: Token) -> Span:
    """The subject phrase, cut before an apposition, relative clause or comma, and never
    reaching into a quote or another paragraph."""
    doc = context.doc
    left = head.left_edge.i
    right = head.i
    for tok in head.subtree:
        if tok.i <= head.i:
            continue
        if tok.dep_ in SPEAKER_CUT_DEPS or tok.text in (",", "(", "\u2014", "\u2013", ";") or "\n" in tok.text:
            break
        right = tok.i
    # keep a possessor's own subtree ("the OSCE's election mission") but never a quote
    while left < head.i and (context.in_quote[left] or "\n" in doc[left:head.i + 1].text):
        left += 1
    span = doc[left:right + 1]
    if len(span.text.split()) > 8:
        hit = context.mention_at.get(head.i)
        named = hit and doc.char_span(hit[1].start, hit[1].end, alignment_mode="expand")
        span = named or doc[max(left, head.i - 4):head.i + 1]
    return span


def adjacent_name(context: "ArticleContext", cue: Token) -> Token | None:
    """A named entity right before or after a cue the parser left without a subject
    ("Tulsa police Chief Chuck Jordan said Monday", "said Jordan"), past adverbs, dates and one
    inserted phrase ("Bill Eastland, wearing a cowboy hat, said", "Paul Ryan (R-WI) said")."""
    for j in (name_before(context, cue), cue.i + 1):
        if 0 <= j < len(context.doc) and j in context.mention_at and not context.in_quote[j]:
            if context.mention_at[j][0].label in SPEAKER_LABELS:
                return context.doc[j]
    return None


def name_before(context: "ArticleContext", cue: Token) -> int:
    """Where a name right before the cue ends, or -1. A place counts only when nothing stands
    between it and the cue ("in Louisville, Kentucky, said" is no speaker)."""
    doc, mention_at = context.doc, context.mention_at
    i, stop, inserted, skipped = cue.i - 1, max(cue.sent.start, cue.i - 16), False, False
    while i >= stop and not context.in_quote[i] and "\n" not in doc[i].text:
        tok = doc[i]
        if i in mention_at and mention_at[i][0].label in (NAMED_SPEAKERS if skipped else SPEAKER_LABELS):
            return i
        if tok.text in (",", ")") and not inserted:   # skip "(R-WI)" or ", a top adviser,"
            named = mention_at.get(i - 1)
            if tok.text == "," and named is not None and named[0].label in ("PERSON", "ORG"):
                return i - 1   # "her adviser, Jake Sullivan, said"
            opener = "(" if tok.text == ")" else ","
            j = i - 1
            while j >= stop and doc[j].text != opener and "\n" not in doc[j].text:
                j -= 1
            if j < stop or doc[j].text != opener:
                return -1
            i, inserted, skipped = j - 1, True, True
            continue
        if tok.pos_ in ("ADP",) or tok.ent_type_ in NOT_SPEAKERS:
            skipped = True
        elif tok.pos_ not in ("ADV", "AUX", "PART"):
            return -1
        i -= 1
    return -1


def inverted_subject(context: "ArticleContext", cue: Token) -> Span | None:
    """The phrase right after a cue that follows the closing mark ('"...," said Skelly,',
    '," said the 46-year-old.') when the parser gave the cue no subject: the words up to
    the next punctuation or clause word, starting with a capital or a determiner."""
    doc = context.doc
    before = context.text[:cue.idx].rstrip()
    if before[-1:] not in ('"', "\u201d") and before[-2:] not in ('",', "\u201d,"):
        return None
    end = cue.i + 1
    while end < len(doc) and end - cue.i <= 8:
        tok = doc[end]
        if context.in_quote[end] or "\n" in tok.text or tok.is_space or (tok.is_punct and tok.tag_ != "HYPH") \
                or tok.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PART", "PRON"):
            break
        end += 1
    if end == cue.i + 1 or end - cue.i > 8:
        return None
    first = doc[cue.i + 1]
    if not (first.text[:1].isupper() or first.pos_ == "DET"):
        return None
    return doc[cue.i + 1:end]
