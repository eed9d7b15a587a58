"""Quotations of an article and who said them.

Three steps, each a function of its own:
1. `find_segments`: character scan for quoted segments, tolerant of straight, curly and
   unbalanced marks (a stray mark never crashes and never swallows more than its paragraph).
2. `group_quotations`: segments that form one quotation — interrupted by the attribution
   (`"We will win," she said, "and soon."`) or running over paragraphs that reopen the mark.
3. `attribute`: the reporting cue in the quotation's sentence(s) (outside any quote), its
   subject as the speaker mention, resolved to an entity of the article: a name directly, a
   pronoun to the salient compatible person before it, a title noun ("the Kazakh president")
   to the person the article gives that title. Unknown speakers stay null.
"""
from collections import Counter
from dataclasses import dataclass
import re

from spacy.tokens import Doc, Span, Token

from transforms import ids
from transforms.entities import Entity, Mention
from transforms.first_names import gender_of_given_name
from transforms.quote_filter import keeps, probability, quote_features

CUE_LEMMAS = frozenset("""
say tell add insist write note claim argue explain state warn ask reply respond declare announce
call describe suggest predict acknowledge admit recall continue conclude chant shout tweet post
testify report comment remark observe stress emphasize emphasise point caution complain
concede contend assert maintain mention deny confirm reveal disclose promise vow pledge urge
demand accuse charge criticize criticise praise boast joke quip sigh scream yell cry whisper
murmur exclaim answer recount speculate estimate wrote told added
""".split())
PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
GROUP_PRONOUNS = frozenset({"it", "they", "we", "i"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
NOT_SPEAKERS = frozenset({"TIME", "DATE", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
MALE_HONORIFICS = frozenset({"mr", "sir", "lord"})
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady"})
TITLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "CCONJ", "DET", "NUM"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
ACTIVE_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
NAMED_SPEAKERS = frozenset({"PERSON", "ORG", "NORP"})
SPEAKER_CUT_DEPS = frozenset({"appos", "relcl", "acl", "advcl"})
OPENERS = "\u201c\u201e\u00ab"   # “ „ «
CLOSERS = "\u201d\u00bb"         # ” »
SINGLE_OPEN, SINGLE_CLOSE = "\u2018", "\u2019"
_MARKS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
_SINGLE_MARKS = re.compile("['\u2018\u2019]")
_WORD = re.compile(r"\w+")
_DECADE = re.compile(r"\d\ds\b")
_LIST_GAP = re.compile(r"[\s,;]*(?:(?:and|or|but|and even|or even|as well as|nor)\s+)?")
# '"PENCE: Well, look, ...': a transcript turn opens with its speaker's name in capitals and a colon
_TURN_TAG = re.compile(r"([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):\s+(?=\S)")
# '"(CROSSTALK.)': a stage direction inside a transcript, not speech
_STAGE_DIRECTION = re.compile(r"^[(\[][^()\[\]]*[)\]]\W*$")
# '"..." ― Christina Lastra' / '— Sen. Jo Bloggs, a Democrat': a dash, then a capitalised name, then the line ends
_DASH_SIGNATURE = re.compile(r"\s*[\u2015\u2014\u2013-]{1,2}\s*((?:[A-Z][\w.'\u2019-]*\s?){1,5})[,.]?\s*(?:$|,)")

# Confidence of an attribution by how the speaker was found; an unclosed mark costs a little.
# Quoted rows get the learned probability of transforms/quote_filter.py instead.
CONFIDENCE = {"named": 0.9, "relative": 0.85, "turn": 0.9, "signature": 0.9, "title": 0.75, "pronoun": 0.7,
              "unresolved": 0.6, "agent": 0.55, "context": 0.5, "floating": 0.5, "none": 0.2}
# Attributions read from the layout (a transcript's "NAME:" tag, a "― Name" signature) keep their
# rule confidence: PolNeAR train holds five such rows, too few for the learned model to judge.
LAYOUT_HOWS = frozenset({"turn", "signature"})


@dataclass(frozen=True)
class Segment:
    """Quoted words at [start, end) of a field, between marks at open_at and close_at."""
    start: int
    end: int
    open_at: int
    close_at: int | None   # None: the mark was never closed in its paragraph
    paragraph: int


@dataclass
class Attribution:
    speaker: Entity | None
    mention: str | None
    cue: str | None
    how: str               # a key of CONFIDENCE
    cue_lemma: str | None = None


def find_segments(text: str, single_quotes: bool = False) -> list[Segment]:
    """Quoted segments per paragraph; straight marks pair by context, curly ones by direction."""
    segments: list[Segment] = []
    offset = 0
    for par_no, paragraph in enumerate(text.split("\n")):
        segments.extend(_paragraph_segments(paragraph, offset, par_no, single_quotes))
        offset += len(paragraph) + 1
    return segments


def _paragraph_segments(par: str, offset: int, par_no: int, single_quotes: bool) -> list[Segment]:
    marks = _SINGLE_MARKS if single_quotes else _MARKS
    out, open_at, in_attribute, nested = [], None, False, 0
    for m in marks.finditer(par):
        i, ch = m.start(), m.group()
        before = par[i - 1] if i else " "
        after = par[i + 1] if i + 1 < len(par) else " "
        if single_quotes and after.isalnum() and (not (before.isspace() or before in "([{/-\u2013\u2014")
                                                  or _DECADE.match(par, i + 1)):
            continue  # an apostrophe: don't, Kazakhstan's, the U.N.'s, the '90s; an opening mark follows a space
        if in_attribute or (before == "=" and ch == '"'):
            in_attribute = not in_attribute   # markup left in the text: author="x" is a value, not a quote
            continue
        opens = ch in OPENERS or ch == SINGLE_OPEN or (
            ch in "\"'" and open_at is None and not before.isalnum() and not after.isspace())
        closes = ch in CLOSERS or ch == SINGLE_CLOSE or (ch in "\"'" and open_at is not None)
        if single_quotes and ch in "'\u2019" and open_at is None and before.isalpha():
            continue  # a closing apostrophe with nothing open: "Euronews'"
        if nested and ch in CLOSERS:
            nested -= 1   # closes a quotation inside the quotation
            continue
        if ch == "\u201c" and open_at is not None and par[open_at] == "\u201c" and par.count("\u201d", i) >= 2 + nested:
            nested += 1   # \u201cI'd rather live in what he calls \u201chell\u201d than ...\u201d: one quotation
            continue
        if open_at is None and (opens or ch in CLOSERS and not before.isalnum() and not after.isspace()):
            open_at = i
        elif open_at is not None and (closes or ch in OPENERS):
            _emit(out, par, offset, par_no, open_at, i)
            open_at = i if ch in OPENERS else None
    if open_at is not None:
        _emit(out, par, offset, par_no, open_at, None)
    return out


def _emit(out: list, par: str, offset: int, par_no: int, open_at: int, close_at: int | None) -> None:
    end = len(par) if close_at is None else close_at
    inner = par[open_at + 1:end]
    if not _WORD.search(inner):
        return
    lead = len(inner) - len(inner.lstrip())
    start, stop = open_at + 1 + lead, open_at + 1 + len(inner.rstrip())
    out.append(Segment(offset + start, offset + stop, offset + open_at,
                       None if close_at is None else offset + close_at, par_no))


def transcript_turns(text: str, segments: list[Segment]) -> tuple[list[Segment], dict[Segment, str]]:
    """Segments with a transcript turn's speaker tag moved out of the quoted words, and the tags.

    A tag counts only in a transcript: two or more quoted paragraphs open with one, so a lone
    "UPDATE:" or "VIDEO:" stays part of its text. Stage directions ("(CROSSTALK.)") are dropped."""
    tagged = [(seg, _TURN_TAG.match(text, seg.start)) for seg in segments]
    tagged = [(seg, m if m and _starts_paragraph(text, seg.open_at) else None) for seg, m in tagged]
    if sum(m is not None for _, m in tagged) < 2:
        return segments, {}
    kept, turns = [], {}
    for seg, m in tagged:
        if _STAGE_DIRECTION.match(text[seg.start:seg.end]):
            continue
        if m is not None and m.end() < seg.end:
            seg = Segment(m.end(), seg.end, seg.open_at, seg.close_at, seg.paragraph)
            turns[seg] = m.group(1)
        kept.append(seg)
    return kept, turns


def group_quotations(text: str, segments: list[Segment], joins, turns=frozenset()) -> list[list[Segment]]:
    """Join segments of one quotation: across reopened paragraphs, or around an attribution;
    a new transcript turn always starts a quotation of its own."""
    groups: list[list[Segment]] = []
    for seg in segments:
        if groups and seg not in turns:
            prev = groups[-1][-1]
            continues_paragraph = (prev.close_at is None and seg.paragraph > prev.paragraph
                                   and _starts_paragraph(text, seg.open_at))
            interrupted = seg.paragraph == prev.paragraph and prev.close_at is not None and joins(prev, seg)
            if continues_paragraph or interrupted:
                groups[-1].append(seg)
                continue
        groups.append([seg])
    return groups


def _starts_paragraph(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


class ArticleQuotes:
    """Extraction state of one field of one article: its Doc, the article's entities, quote masks."""

    def __init__(self, doc: Doc, field: str, entities: list[Entity], titles: dict[str, Counter]):
        self.doc, self.field, self.text = doc, field, doc.text   # Doc.text is rebuilt on each access
        self._genders: dict[Entity, str | None] = {}
        self.titles = titles
        self.segments, self.turns = transcript_turns(self.text, find_segments(self.text, single_quotes=(field == "title")))
        self.entities = entities
        self.in_quote = [False] * len(doc)
        for seg in self.segments:
            span = doc.char_span(seg.open_at, (seg.close_at + 1) if seg.close_at is not None else seg.end,
                                 alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.in_quote[i] = True
        self.mention_at: dict[int, tuple[Entity, Mention]] = {}
        for ent in entities:
            for m in ent.mentions:
                if m.field == field:
                    span = doc.char_span(m.start, m.end, alignment_mode="expand")
                    if span is not None:
                        for tok in span:
                            self.mention_at[tok.i] = (ent, m)

    # -- cues ---------------------------------------------------------------------------------
    def is_cue(self, tok: Token) -> bool:
        if self.in_quote[tok.i]:
            return False
        if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
            return True
        return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_LEMMAS

    def joins(self, prev: Segment, seg: Segment) -> bool:
        """Whether `seg` goes on the statement of `prev` across an attribution ("," she said, ")."""
        between = self.text[prev.close_at + 1:seg.open_at]
        if _LIST_GAP.fullmatch(between) and not self.starts_statement(prev):
            return True   # called him a "nasty guy," "anchor baby" and "unstable": one act of naming
        if "\n" in between or len(between.split()) > 40 or not self.starts_statement(prev):
            return False
        span = self.doc.char_span(prev.close_at + 1, seg.open_at, alignment_mode="contract")
        if span is None or not any(self.is_cue(t) for t in span):
            return False
        if between.rstrip()[-1:] in (",", ":"):
            return True
        # '"A," she said. "B."': B goes on A unless B has an attribution of its own
        par_end = self.text.find("\n", seg.end)
        rest = self.doc.char_span(seg.end, len(self.text) if par_end < 0 else par_end, alignment_mode="contract")
        return rest is None or not any(self.is_cue(t) for t in rest)

    def starts_statement(self, seg: Segment) -> bool:
        before = self.text[self.text.rfind("\n", 0, seg.open_at) + 1:seg.open_at].rstrip()
        return not before or before[-1] in ".:!?"

    # -- quotations ---------------------------------------------------------------------------
    def quotations(self) -> list[list[Segment]]:
        return group_quotations(self.text, self.segments, self.joins, self.turns)

    def frame_tokens(self, group: list[Segment]) -> list[Token]:
        """Tokens outside quotes in the sentences the quotation touches, plus a colon intro."""
        first, last = group[0], group[-1]
        end = last.close_at + 1 if last.close_at is not None else last.end
        span = self.doc.char_span(first.open_at, end, alignment_mode="expand")
        if span is None:
            return []
        sents = {tok.sent.start: tok.sent for tok in span}
        tail = span.end
        if tail < len(self.doc) and self.doc[tail].is_sent_start and (
                self.doc[tail].text[:1].islower()   # '"...?" he asks.': a sentence never opens lower-case
                or self.attribution_tag(self.doc[tail].sent)):   # '"...?" Trump said, looking out.'
            sents.setdefault(tail, self.doc[tail].sent)
        par_lo, par_hi = self.paragraph(group)
        ranges = [(par_lo, par_hi)]
        intro = self.colon_intro(span[0].sent, par_lo if _starts_paragraph(self.text, first.open_at) else None)
        if intro is not None:   # 'He said:' before the quote, in its paragraph or the one before
            sents.setdefault(intro.start, intro)
            ranges.append((intro.start_char, intro.end_char))
        return [t for s in sents.values() for t in s
                if not self.in_quote[t.i] and any(lo <= t.idx < hi for lo, hi in ranges)]

    def paragraph(self, group: list[Segment]) -> tuple[int, int]:
        """Character bounds of the paragraph (or paragraphs) a quotation runs over."""
        hi = self.text.find("\n", group[-1].end)
        return self.text.rfind("\n", 0, group[0].open_at) + 1, len(self.text) if hi < 0 else hi

    def attribution_tag(self, sent: Span) -> bool:
        """Whether a sentence opens with a speaker and a cue that says nothing of its own: the
        parser often starts a sentence after '?"' or '!"'."""
        for tok in sent[:8]:
            if self.in_quote[tok.i] or "\n" in tok.text:
                return False
            if not self.is_cue(tok):
                continue
            if any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.pos_ in ("VERB", "AUX") for c in tok.children):
                return False   # '"..." Trump said the plan would fail': a statement of its own
            subj = self.subject_of(tok)
            return subj is not None and (subj.i > tok.i or subj.left_edge.i == sent.start)
        return False

    def colon_intro(self, sent: Span, par_start: int | None) -> Span | None:
        """The sentence that ends in a colon right before the quotation, if there is one."""
        if sent.start > 0 and self.doc[sent.start - 1].text == ":":
            return self.doc[sent.start - 1].sent
        if par_start is not None:
            before = self.text[:par_start].rstrip()
            if before.endswith(":"):
                colon = self.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
                return colon[0].sent if colon is not None else None
        return None

    def nearest_cue(self, group: list[Segment], frame: list[Token]) -> Token | None:
        lo = group[0].open_at
        hi = group[-1].close_at if group[-1].close_at is not None else group[-1].end
        cues = [t for t in frame if self.is_cue(t)]
        if not cues:
            return None
        governing = self.governing_cue(group, cues)
        if governing is not None:
            return governing

        def distance(t: Token) -> int:
            return 0 if lo <= t.idx <= hi else min(abs(t.idx - lo), abs(t.idx - hi))
        with_subject = [t for t in cues if self.subject_of(t) is not None]
        return min(with_subject or cues, key=distance)

    def governing_cue(self, group: list[Segment], cues: list[Token]) -> Token | None:
        """The cue whose clause holds the quote ("called the plan "an illusion" and noted...")."""
        span = self.doc.char_span(group[0].start, group[0].end, alignment_mode="expand")
        if span is None:
            return None
        cue_ids = {t.i for t in cues}
        for tok in span.root.ancestors:
            if tok.i in cue_ids and self.subject_of(tok) is not None:
                return tok
        return None

    def subject_of(self, cue: Token) -> Token | None:
        if cue.lower_ == "according":
            to = self.doc[cue.i + 1]
            objs = [c for c in to.children if c.dep_ == "pobj"]
            return objs[0] if objs else None
        verb = cue
        for _ in range(3):   # "was quoted as saying": climb to the verb that has the subject
            # "terrorists are revealed", "he was called a 'liar'": a passive cue's subject is no speaker
            deps = SUBJECT_DEPS if verb.i != cue.i or cue.lemma_ == "quote" else ACTIVE_SUBJECT_DEPS
            subj = [c for c in verb.children if c.dep_ in deps and not self.in_quote[c.i]
                    and c.ent_type_ not in NOT_SPEAKERS and "\n" not in self.doc[min(c.i, cue.i):max(c.i, cue.i)].text]
            if subj:
                return subj[0]
            if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "pobj", "prep") and verb.head.i != verb.i:
                verb = verb.head
            else:
                break
        return None

    # -- speakers -----------------------------------------------------------------------------
    def speaker_span(self, head: Token) -> Span:
        """The subject phrase, cut before an apposition, relative clause or comma, and never
        reaching into a quote or another paragraph."""
        left = head.left_edge.i
        right = head.i
        for tok in head.subtree:
            if tok.i <= head.i:
                continue
            if tok.dep_ in SPEAKER_CUT_DEPS or tok.text in (",", "(", "\u2014", "\u2013", ";") or "\n" in tok.text:
                break
            right = tok.i
        # keep a possessor's own subtree ("the OSCE's election mission") but never a quote
        while left < head.i and (self.in_quote[left] or "\n" in self.doc[left:head.i + 1].text):
            left += 1
        span = self.doc[left:right + 1]
        if len(span.text.split()) > 8:
            hit = self.mention_at.get(head.i)
            named = hit and self.doc.char_span(hit[1].start, hit[1].end, alignment_mode="expand")
            span = named or self.doc[max(left, head.i - 4):head.i + 1]
        return span

    def cue_text(self, cue: Token) -> str:
        if cue.lower_ == "according":
            return "according to"
        top = cue
        while top.dep_ in ("xcomp", "pcomp", "pobj", "prep") and top.head.i != top.i and top.head.i < cue.i:
            top = top.head
        aux = [c for c in top.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < top.i]
        start = min([top.i] + [a.i for a in aux])
        prt = [c.i for c in cue.children if c.dep_ == "prt"]
        end = max([cue.i] + prt)
        return self.doc[start:end + 1].text

    def entity_for(self, span: Span, head: Token, quote_at: int) -> tuple[Entity | None, str]:
        """The speaker's entity and how it was found (a key of CONFIDENCE); 'unresolved' when none."""
        entity, how = self._entity_for(span, head, quote_at)
        return (entity, how) if entity is not None else (None, "unresolved")

    def _entity_for(self, span: Span, head: Token, quote_at: int) -> tuple[Entity | None, str]:
        hit = self.mention_at.get(head.i)
        if hit is not None:
            return hit[0], "named"
        low = head.lower_
        before = min(quote_at, head.idx)   # "Kasich says he'd tell Putin "...": the antecedent precedes the pronoun
        if low in PERSON_PRONOUNS:
            return self.resolve_pronoun(PERSON_PRONOUNS[low], before), "pronoun"
        if low in RELATIVE_PRONOUNS:   # "Sanders, who said": the mention stays "who", the speaker is Sanders
            antecedent = self.antecedent(head)
            hit = self.mention_at.get(antecedent.i) if antecedent is not None else None
            return (hit[0] if hit else None), "relative"
        if low in GROUP_PRONOUNS:   # "it said": the organisation; "it was reported": nobody
            return (self.recent_entity(("ORG",), before) if low == "it" and head.dep_ == "nsubj" else None), "pronoun"
        possessors = [self.mention_at[t.i][0] for t in span if t.i in self.mention_at]
        if head.pos_ in ("NOUN", "PROPN"):
            titled = self.titles.get(head.lemma_.lower())
            if titled:   # most often given that title, then most mentioned
                return max(titled, key=lambda e: (titled[e], len(e.mentions))), "title"
            org = [e for e in possessors if e.label in ("ORG", "GPE", "NORP")]
            if org and not any(e.label == "PERSON" for e in possessors):
                return org[0], "named"   # "the OSCE's election observation mission" speaks for the OSCE
        return None, "unresolved"

    def antecedent(self, relative: Token) -> Token | None:
        """The noun a relative clause hangs on: "Sanders" in "Sanders, who said"."""
        verb = relative.head
        for _ in range(3):
            if verb.dep_ == "relcl":
                antecedent = verb.head
                # "Marc Morial, the chief executive, who said": the name the apposition describes
                while (antecedent.dep_ == "appos" and antecedent.i not in self.mention_at
                       and antecedent.head.i != antecedent.i):
                    antecedent = antecedent.head
                return antecedent
            if verb.head.i == verb.i:
                return None
            verb = verb.head
        return None

    def resolve_pronoun(self, gender: str, before: int) -> Entity | None:
        """The salient person before the quote: the nearest subject or speaker, then any mention."""
        candidates = []
        for tok_i, (ent, m) in self.mention_at.items():
            if ent.label != "PERSON" or m.start >= before or self.in_quote[tok_i]:
                continue
            if self.gender(ent) not in (gender, None):
                continue
            tok = self.doc[tok_i]
            salient = tok.dep_ in SUBJECT_DEPS or tok.head.dep_ in SUBJECT_DEPS
            candidates.append((m.start, salient, ent))
        recent = sorted(candidates, key=lambda c: -c[0])
        window = [c for c in recent if c[0] >= (recent[0][0] - 400)] if recent else []
        paragraph_start = self.text.rfind("\n", 0, before) + 1
        same_paragraph = [c for c in window if c[0] >= paragraph_start]
        pick = ([c for c in same_paragraph if c[1]] or same_paragraph or [c for c in window if c[1]] or window)
        return pick[0][2] if pick else None

    def gender(self, entity: Entity) -> str | None:
        if entity not in self._genders:
            self._genders[entity] = _gender(entity, self.text, self.field)
        return self._genders[entity]

    def recent_entity(self, labels: tuple[str, ...], before: int) -> Entity | None:
        found = [(m.start, ent) for ent, m in self.mention_at.values() if ent.label in labels and m.start < before]
        return max(found, key=lambda f: f[0])[1] if found else None

    def attribute(self, group: list[Segment]) -> Attribution:
        if group[0] in self.turns:
            return self.turn_speaker(self.turns[group[0]])
        signed = self.dash_signature(group)
        if signed is not None:
            return signed
        frame = self.frame_tokens(group)
        cue = self.nearest_cue(group, frame)
        if cue is None:
            agent = self.clause_agent(group)
            if agent.how != "none":
                return agent
            return self.introduction(group) or self.preceding_statement(group) or agent
        head = self.subject_of(cue) or self.adjacent_name(cue)
        lemma = "according" if cue.lower_ == "according" else cue.lemma_.lower()
        span = self.speaker_span(head) if head is not None else self.inverted_subject(cue)
        if span is None:
            return Attribution(None, None, self.cue_text(cue), "none", lemma)
        head = head if head is not None else span[-1]
        entity, how = self.entity_for(span, head, group[0].open_at)
        return Attribution(entity, span.text, self.cue_text(cue), how, lemma)

    def dash_signature(self, group: list[Segment]) -> Attribution | None:
        """Attribution by layout: '"...," ― Christina Lastra' right after the closing mark."""
        last = group[-1]
        if last.close_at is None:
            return None
        line_end = self.text.find("\n", last.close_at)
        after = self.text[last.close_at + 1:len(self.text) if line_end < 0 else line_end]
        sign = _DASH_SIGNATURE.match(after)
        if sign is None:
            return None
        words = sign.group(1).strip()
        if len(words.split()[-1]) > 3:   # "Lastra." ends the line; "Jr." and "P." keep their dot
            words = words.rstrip(".")
        at = last.close_at + 1 + sign.start(1)
        name = self.doc.char_span(at, at + len(words), alignment_mode="expand")
        hit = next((self.mention_at[t.i] for t in name if t.i in self.mention_at), None) if name else None
        return Attribution(hit[0] if hit else None, words, None, "signature")

    def adjacent_name(self, cue: Token) -> Token | None:
        """A named entity right before or after a cue the parser left without a subject
        ("Tulsa police Chief Chuck Jordan said Monday", "said Jordan"), past adverbs, dates and one
        inserted phrase ("Bill Eastland, wearing a cowboy hat, said", "Paul Ryan (R-WI) said")."""
        for j in (self.name_before(cue), cue.i + 1):
            if 0 <= j < len(self.doc) and j in self.mention_at and not self.in_quote[j]:
                if self.mention_at[j][0].label in SPEAKER_LABELS:
                    return self.doc[j]
        return None

    def name_before(self, cue: Token) -> int:
        """Where a name right before the cue ends, or -1. A place counts only when nothing stands
        between it and the cue ("in Louisville, Kentucky, said" is no speaker)."""
        i, stop, inserted, skipped = cue.i - 1, max(cue.sent.start, cue.i - 16), False, False
        while i >= stop and not self.in_quote[i] and "\n" not in self.doc[i].text:
            tok = self.doc[i]
            if i in self.mention_at and self.mention_at[i][0].label in (NAMED_SPEAKERS if skipped else SPEAKER_LABELS):
                return i
            if tok.text in (",", ")") and not inserted:   # skip "(R-WI)" or ", a top adviser,"
                named = self.mention_at.get(i - 1)
                if tok.text == "," and named is not None and named[0].label in ("PERSON", "ORG"):
                    return i - 1   # "her adviser, Jake Sullivan, said"
                opener = "(" if tok.text == ")" else ","
                j = i - 1
                while j >= stop and self.doc[j].text != opener and "\n" not in self.doc[j].text:
                    j -= 1
                if j < stop or self.doc[j].text != opener:
                    return -1
                i, inserted, skipped = j - 1, True, True
                continue
            if tok.pos_ in ("ADP",) or tok.ent_type_ in NOT_SPEAKERS:
                skipped = True
            elif tok.pos_ not in ("ADV", "AUX", "PART"):
                return -1
            i -= 1
        return -1

    def inverted_subject(self, cue: Token) -> Span | None:
        """The phrase right after a cue that follows the closing mark ('"...," said Skelly,',
        '," said the 46-year-old.') when the parser gave the cue no subject: the words up to
        the next punctuation or clause word, starting with a capital or a determiner."""
        before = self.text[:cue.idx].rstrip()
        if before[-1:] not in ('"', "\u201d") and before[-2:] not in ('",', "\u201d,"):
            return None
        end = cue.i + 1
        while end < len(self.doc) and end - cue.i <= 8:
            tok = self.doc[end]
            if self.in_quote[end] or "\n" in tok.text or tok.is_space or (tok.is_punct and tok.tag_ != "HYPH") \
                    or tok.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "CCONJ", "PART", "PRON"):
                break
            end += 1
        if end == cue.i + 1 or end - cue.i > 8:
            return None
        first = self.doc[cue.i + 1]
        if not (first.text[:1].isupper() or first.pos_ == "DET"):
            return None
        return self.doc[cue.i + 1:end]

    def introduction(self, group: list[Segment]) -> Attribution | None:
        """A colon introduction with no reporting verb: the name right before the colon
        ("More from Jones: "...") or the subject of the introducing clause when it is a known
        entity ("Clinton has since apologized for what happened: "...")."""
        before = self.text[:group[0].open_at].rstrip()
        gap = self.text[len(before):group[0].open_at]
        if not before.endswith(":") or gap.count("\n") > 2:
            return None
        colon = self.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if colon is None or colon.start == 0:
            return None
        at = colon.start - 1
        if at in self.mention_at and not self.in_quote[at] and self.mention_at[at][0].label in NAMED_SPEAKERS:
            entity, mention = self.mention_at[at]
            return Attribution(entity, mention.text, None, "named")
        intro = [t for t in self.doc[colon[0].sent.start:colon.start] if not self.in_quote[t.i]]
        for verb in reversed([t for t in intro if t.pos_ in ("VERB", "AUX")]):
            head = self.subject_of(verb)
            if head is None:
                continue
            span = self.speaker_span(head)
            entity, _ = self.entity_for(span, head, group[0].open_at)
            if entity is not None:
                return Attribution(entity, span.text, None, "context", verb.lemma_.lower())
        return None

    def preceding_statement(self, group: list[Segment]) -> Attribution | None:
        """A quote with no cue of its own continues the statement just before it: the previous
        sentence of its paragraph ("..., Schiff said. "The other factor ...") or, for a quote
        opening its paragraph, the last sentence of the paragraph before, including an
        introduction with no reporting verb ("Sanders made the following comment:")."""
        first = self.doc.char_span(group[0].open_at, group[0].open_at + 1, alignment_mode="expand")
        if first is None or not self.starts_statement(group[0]) or first.start == 0:
            return None
        sent = self.doc[first.start - 1].sent
        if sent.end > first.start + 1:    # the quote is inside that sentence: not a new statement
            return None
        between = self.text[sent.end_char:group[0].open_at]
        if between.count("\n") > 2 or "\n" in sent.text.strip() or self.in_quote[sent.end - 1]:
            return None
        cues = [t for t in sent if self.is_cue(t) and self.subject_of(t) is not None]
        if cues:
            cue = cues[-1]
            head = self.subject_of(cue)
            cue_text, lemma = self.cue_text(cue), "according" if cue.lower_ == "according" else cue.lemma_.lower()
        elif sent.text.rstrip().endswith(":"):
            head = self.subject_of(sent.root)
            cue_text = lemma = None
            if head is None or head.i not in self.mention_at:
                return None
        else:
            return None
        span = self.speaker_span(head)
        entity, _ = self.entity_for(span, head, group[0].open_at)
        return Attribution(entity, span.text, cue_text, "context", lemma)

    def turn_speaker(self, tag: str) -> Attribution:
        """A transcript tag ("PENCE") names the person of the article with that surname."""
        last = tag.split()[-1].casefold()
        people = [e for e in self.entities if e.label == "PERSON" and e.name.split()[-1].casefold() == last]
        entity = max(people, key=lambda e: len(e.mentions)) if people else None
        return Attribution(entity, tag, None, "turn")

    def clause_agent(self, group: list[Segment]) -> Attribution:
        """No reporting verb: quoted words inside a clause belong to its subject when that is a
        known entity or a person ("Reid has been pounding Trump as a "con artist"")."""
        span = self.doc.char_span(group[0].start, group[0].end, alignment_mode="expand")
        if span is None:
            return Attribution(None, None, None, "none")
        par_lo, par_hi = self.paragraph(group)
        for verb in span.root.ancestors:
            if not par_lo <= verb.idx < par_hi:
                break   # the parser joined paragraphs: a verb of another paragraph is no agent
            if self.in_quote[verb.i] or verb.pos_ not in ("VERB", "AUX"):
                continue
            head = self.subject_of(verb)
            if head is None:
                continue
            speaker = self.speaker_span(head)
            entity, _ = self.entity_for(speaker, head, group[0].open_at)
            if entity is None:
                break
            return Attribution(entity, speaker.text, self.cue_text(verb), "agent", verb.lemma_.lower())
        return Attribution(None, None, None, "none")

    def reported_speech(self) -> list[tuple[Span, Attribution]]:
        """Indirect speech: a cue verb's clausal complement with no quotation marks in it
        ("Tokayev said the government had got the message"), attributed like a quote."""
        found = []
        for cue in self.doc:
            if not self.is_cue(cue) or cue.lower_ == "according":
                continue
            for clause in cue.children:
                if clause.dep_ != "ccomp" or clause.pos_ not in ("VERB", "AUX") or clause.left_edge.i < cue.i:
                    continue   # a clause before its cue is a quote's frame, not reported speech
                content = self.doc[clause.left_edge.i:clause.right_edge.i + 1]
                if content[0].dep_ == "mark":
                    content = content[1:]   # "said that the ...": the complementizer is not speech
                if len(content) < 3 or any(self.in_quote[t.i] for t in content) or "\n" in content.text:
                    continue
                head = self.subject_of(cue)
                if head is None and not any(c.dep_ == "auxpass" for c in cue.children):
                    continue
                cue_text, lemma = self.cue_text(cue), cue.lemma_.lower()
                if head is None:   # "It was reported the vote began": reported, by nobody named
                    found.append((content, Attribution(None, None, cue_text, "none", lemma)))
                    continue
                span = self.speaker_span(head)
                entity, how = self.entity_for(span, head, content.start_char)
                found.append((content, Attribution(entity, span.text, cue_text, how, lemma)))
        return found

    def quote_type(self, group: list[Segment], attribution: Attribution) -> str:
        """Direct when the marks hold the whole statement; partial when woven into paraphrase."""
        first = group[0]
        line_start = self.text.rfind("\n", 0, first.open_at) + 1
        before = self.text[line_start:first.open_at].rstrip()
        if not before or before[-1] in ":,.!?":
            return "direct"
        last_word = _WORD.findall(before)[-1:] if before else []
        if attribution.cue and last_word and last_word[0] == attribution.cue.split()[-1]:
            return "direct"
        return "partial"


def _gender(entity: Entity, text: str, field: str) -> str | None:
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
            if span is None:
                continue
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
            for w in words:
                titles.setdefault(w, Counter())[ent] += 1
    return titles


def extract_quotes(article_id: str, docs: dict[str, Doc], entities: list[Entity],
                   quote_model: dict | None = None, keep_all: bool = False) -> list[dict]:
    """Quote rows of one article, title then body, in reading order.

    Quoted body rows carry the learned probability of being a real, rightly attributed
    quotation as `confidence` and are dropped under the model's threshold (layout attributions
    and headline rows keep their rule confidence); `keep_all` keeps them, with their features,
    for training that model."""
    titles = title_map(docs, entities)
    rows: list[dict] = []
    for field, doc in docs.items():
        if len(doc) == 0:
            continue
        state = ArticleQuotes(doc, field, entities, titles)
        previous: Attribution | None = None
        previous_par = -10
        for group in state.quotations():
            attribution = state.attribute(group)
            kind = state.quote_type(group, attribution)
            if attribution.how == "none":
                floating = (previous is not None and previous.speaker is not None and kind == "direct"
                            and group[0].paragraph - previous_par <= 2)
                if floating:
                    attribution = Attribution(previous.speaker, previous.mention, previous.cue, "floating",
                                              previous.cue_lemma)
                elif kind == "partial" or _word_count(state.text, group) < 4:
                    continue   # scare quotes, titles, nicknames: quoted words with nobody saying them
            row = _row(article_id, field, state.text, group, attribution, kind)
            if attribution.how != "floating":
                previous = attribution
            previous_par = group[-1].paragraph
            if field == "body" and attribution.how not in LAYOUT_HOWS:
                features = quote_features(row["text"], kind, attribution.how, attribution.cue_lemma, len(group),
                                          any(s.close_at is None for s in group), _word_before(state.text, group[0].open_at))
                row["confidence"] = round(probability(features, quote_model), 2)
                if keep_all:
                    row["features"] = features
                elif not keeps(row["confidence"], quote_model):
                    continue
            rows.append(row)
        for content, attribution in state.reported_speech():
            segment = Segment(content.start_char, content.end_char, content.start_char, None, -1)
            rows.append(_row(article_id, field, state.text, [segment], attribution, "indirect"))
    return rows


def _word_before(text: str, at: int) -> str:
    words = _WORD.findall(text[max(0, at - 40):at])
    return words[-1] if words else ""


def _word_count(text: str, group: list[Segment]) -> int:
    return sum(len(_WORD.findall(text[s.start:s.end])) for s in group)


def _row(article_id: str, field: str, text: str, group: list[Segment], attribution: Attribution, kind: str) -> dict:
    start = group[0].open_at
    end = group[-1].close_at + 1 if group[-1].close_at is not None else group[-1].end
    unclosed = kind != "indirect" and any(s.close_at is None for s in group)
    confidence = CONFIDENCE[attribution.how] - (0.1 if unclosed else 0.0)
    return {
        "article_id": article_id,
        "quote_id": ids.quote_id(article_id, field, start, end),
        "text": " ".join(text[s.start:s.end] for s in group),
        "quote_type": kind,
        "speaker": attribution.speaker.name if attribution.speaker else None,
        "speaker_mention": attribution.mention,
        "speaker_entity_id": attribution.speaker.entity_id if attribution.speaker else None,
        "cue": attribution.cue,
        "field": field,
        "start": start,
        "end": end,
        "spans": [{"start": s.start, "end": s.end} for s in group],
        "confidence": round(max(0.0, confidence), 2),
    }
