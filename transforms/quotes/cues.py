"""Reporting cues ("said", "was quoted as saying", "according to") and their subjects."""
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from transforms.quotes.speakers import NOT_SPEAKERS, SUBJECT_DEPS

if TYPE_CHECKING:
    from transforms.quotes.context import ArticleContext

CUE_LEMMAS = frozenset("""
say tell add insist write note claim argue explain state warn ask reply respond declare announce
call describe suggest predict acknowledge admit recall continue conclude chant shout tweet post
testify report comment remark observe stress emphasize emphasise point caution complain
concede contend assert maintain mention deny confirm reveal disclose promise vow pledge urge
demand accuse charge criticize criticise praise boast joke quip sigh scream yell cry whisper
murmur exclaim answer recount speculate estimate wrote told added
""".split())
ACTIVE_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})


def cue_tokens(doc: Doc, in_quote: list[bool]) -> frozenset[int]:
    """Indices of the cues outside quotes: a verb of CUE_LEMMAS, or "according" before "to"."""
    return frozenset(tok.i for tok in doc if not in_quote[tok.i] and _is_cue(doc, tok))


def _is_cue(doc: Doc, tok: Token) -> bool:
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        return True
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_LEMMAS


def cue_lemma(cue: Token) -> str:
    """The cue's lemma, "according" for "according to"."""
    return "according" if cue.lower_ == "according" else cue.lemma_.lower()


def cue_text(doc: Doc, cue: Token) -> str:
    """The cue as written, with its auxiliaries and particle ("was quoted as saying", "pointed out")."""
    if cue.lower_ == "according":
        return "according to"
    top = cue
    while top.dep_ in ("xcomp", "pcomp", "pobj", "prep") and top.head.i != top.i and top.head.i < cue.i:
        top = top.head
    aux = [c for c in top.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < top.i]
    start = min([top.i] + [a.i for a in aux])
    prt = [c.i for c in cue.children if c.dep_ == "prt"]
    end = max([cue.i] + prt)
    return doc[start:end + 1].text


def subject_of(context: "ArticleContext", cue: Token) -> Token | None:
    """The head of the cue's subject ("according to X": X), outside quotes and in its paragraph."""
    doc, in_quote = context.doc, context.in_quote
    if cue.lower_ == "according":
        to = doc[cue.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        return objs[0] if objs else None
    verb = cue
    for _ in range(3):   # "was quoted as saying": climb to the verb that has the subject
        # "terrorists are revealed", "he was called a 'liar'": a passive cue's subject is no speaker
        deps = SUBJECT_DEPS if verb.i != cue.i or cue.lemma_ == "quote" else ACTIVE_SUBJECT_DEPS
        subj = [c for c in verb.children if c.dep_ in deps and not in_quote[c.i]
                and c.ent_type_ not in NOT_SPEAKERS and "\n" not in doc[min(c.i, cue.i):max(c.i, cue.i)].text]
        if subj:
            return subj[0]
        if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "pobj", "prep") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return None
