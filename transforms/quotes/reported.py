"""Reported speech: a cue verb's clausal complement with no quotation marks in it
("Tokayev said the government had got the message"), attributed like a quote."""
from spacy.tokens import Token

from transforms.quotes.attribution import Attribution, Evidence
from transforms.quotes.context import ArticleContext
from transforms.quotes.cues import cue_text, subject_of
from transforms.quotes.mentions import speaker_span
from transforms.quotes.segments import Quote, Segment
from transforms.quotes.speakers import resolve

REPORTED_SPEECH = "reported_speech"   # the `attributed_by` of its rows


def reported_speech(context: ArticleContext) -> list[tuple[Quote, Attribution]]:
    """Each reported statement as a one-segment Quote (no marks) with its attribution."""
    doc = context.doc
    found = []
    for cue in (doc[i] for i in sorted(context.cues)):
        if cue.lower_ == "according":
            continue
        for clause in cue.children:
            if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX") or clause.left_edge.i < cue.i:
                continue   # a clause before its cue is a quote's frame, not reported speech
            content = doc[clause.left_edge.i:clause.right_edge.i + 1]
            if content[0].dep_ == "mark":
                content = content[1:]   # "said that the ...": the complementizer is not speech
            if len(content) < 3 or any(context.in_quote[t.i] for t in content) or "\n" in content.text:
                continue
            head = subject_of(context, cue)
            if head is None and not any(c.dep_ == "auxpass" for c in cue.children):
                continue
            quote = Quote((Segment(content.start_char, content.end_char, content.start_char, None, -1),))
            found.append((quote, _reported_by(context, cue, head, content.start_char)))
    return found


def _reported_by(context: ArticleContext, cue: Token, head: Token | None, at: int) -> Attribution:
    cue_words, lemma = cue_text(context.doc, cue), cue.lemma_.lower()
    if head is None:   # "It was reported the vote began": reported, by nobody named
        return Attribution(None, None, cue_words, Evidence.NONE, lemma, REPORTED_SPEECH)
    span = speaker_span(context, head)
    entity, evidence = resolve(context, span, head, at)
    return Attribution(entity, span.text, cue_words, evidence, lemma, REPORTED_SPEECH)
