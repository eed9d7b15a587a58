"""spaCy entity spans to one entity per real-world thing per article.

spaCy labels each mention alone, and the small model is weak exactly where news is
repetitive: "Kassym-Jomart Tokayev" may come out ORG and "Tokayev" PERSON in one article, a
results line "Pohang 3 Ulsan 2" is one PERSON, "Leicestershire beat Somerset" gives a place and
nothing. So the mentions of an article are

1. cut out of the model's spans: a name never runs over a number, a bracket, a comma, a spaced
   dash or a line break, and loses its possessive, leading "the", honorific and lowercase edge
   words; "X and Y" / "X's Y" are two names when the article names either alone;
2. completed by rules for shapes the model misses: acronyms the article defines, names ending
   in an organisation or event word, initial + surname ("P. Simmons"), the place of a wire
   dateline, the names of results tables, countries and nationalities, the teams of "X beat Y",
   and the body's names in an ALL-CAPS headline (a Title Case one keeps only names the body has);
3. clustered (same name; a surname or shorter form inside a longer person name; an acronym the
   article spells out), each cluster taking its longest full name and a label from the evidence
   of all its mentions: the model's votes, overruled by a role ("X, a civic activist"), a
   country in brackets after a full name, a sports team's usage (a score, "beat", "drew with")
   for a name that is not a country, a country or nationality name, an event word.
"""
from collections import Counter
from dataclasses import dataclass, field
import re

from spacy.attrs import IS_LOWER, LEMMA, LOWER, ORTH, POS
from spacy.strings import hash_string
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from transforms import ids
from transforms.casing import title_case
from transforms.countries import COUNTRIES, NATIONALITIES, NORP_NAMES
from transforms.lexicons import entries, words
from transforms.lexicons.cldr import calendar_names
from transforms.schemas import ENTITY_LABELS

HONORIFICS = frozenset(w for kind in ("male", "female", "other") for w in entries("people", f"{kind}_honorifics"))
# Labels spaCy's small model confuses with each other on names; a shorter name may join a
# longer one across them, never with GPE/LOC ("Washington" is not "George Washington").
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
# Labels whose names may hold a number ("Windows 95", "Boeing 747"); elsewhere a number ends a name.
NUMBERED_LABELS = frozenset({"PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
ACRONYM_STOPWORDS = frozenset({"of", "for", "and", "the", "in", "on", "to", "de", "&"})
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")
# A trailing full stop that belongs to the name: "U.S.", "U.N.", an initial. ("Lear Corp." at the end
# of a sentence is "Lear Corp": the stop is the sentence's.)
_KEEP_STOP = re.compile(r"(?:^|[\s.])[A-Za-z]\.$")
# Lowercase words that belong to a name at its start ("de Silva", "van Gogh"); any other lowercase
# word at either end is not part of the name ("Interfax news agency", "pro-socialist CFDT union").
NAME_PARTICLES = frozenset("de da das dos van von der den del della di du la le al el bin ibn ben st".split())
MONTHS_AND_DAYS = frozenset(calendar_names("months", ("en",))) | frozenset(
    calendar_names("weekdays", ("en",), abbreviations=False))   # CLDR's, through babel
# Token texts a name never runs over.
_BREAKS = frozenset(",;:()[]{}/|\u2014\u2013.!?\"\u201c\u201d")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Mention:
    field: str          # 'title' | 'body'
    start: int          # character offsets into that field
    end: int
    text: str
    label: str          # spaCy's label for this mention alone (or how the mention was found)
    team: bool = False    # used as a sports team here: followed by a score, beating or losing to another
    person: bool = False  # used as a person here: a full name followed by a country in brackets


@dataclass(eq=False)   # identity: two clusters with equal fields are still two entities
class Entity:
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    entity_id: str = ""

    @property
    def key_tokens(self) -> tuple[str, ...]:
        return tuple(self.name.casefold().split())


# ---- the model's spans, cut into names ------------------------------------------------------

def _is_number(text: str) -> bool:
    return bool(_DIGIT.search(text)) and not any(ch.isalpha() for ch in text)


def _breaks_name(tok: Token, label: str, in_table: bool) -> bool:
    text = tok.text
    if tok.is_space or "\n" in text or text in _BREAKS:
        return True
    if text in ("-", "--") and (tok.whitespace_ or (tok.i > 0 and tok.doc[tok.i - 1].whitespace_)):
        return True   # a spaced dash: "CRICKET - LEICESTERSHIRE", "Far East Gold - Moribund"
    if _is_number(text):
        # "Windows 95" keeps its number; "Belarus 5-1", "Surrey 429-7" do not
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        lone = text.isdigit() and (nxt is None or nxt.is_space or not (nxt.is_punct or _is_number(nxt.text)))
        return in_table or label not in NUMBERED_LABELS or not lone
    return False


def mention_pieces(span: Span, field_name: str, text: str, in_table: bool = False) -> list[Mention]:
    """The names inside one model span: "Pohang 3 Ulsan 2" is two, "Scott Draper (Australia" too."""
    pieces, run = [], []
    for tok in span:
        if _breaks_name(tok, span.label_, in_table):
            if run:
                pieces.append(run)
            run = []
        else:
            run.append(tok)
    if run:
        pieces.append(run)
    out = []
    for run in pieces:
        words = _words(run)
        while words and _lowercase_word(words[-1]):
            words.pop()
        while words and _lowercase_word(words[0]) and words[0][0].lower_ not in NAME_PARTICLES:
            words.pop(0)
        if not words:
            continue
        run = [tok for word in words for tok in word]
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        m = trim_name(text[start:end], start, span.label_, field_name)
        if m is not None:
            out.append(_with_abbreviation_stop(m, text))
    return out


ABBREVIATIONS = frozenset("inc corp co ltd bros jr sr cie plc llc".split())


def _with_abbreviation_stop(m: Mention, text: str) -> Mention:
    """"Banc One Corp." keeps its stop inside a sentence; at the end of a paragraph the stop is
    the sentence's and the name is "Lear Corp"."""
    if (m.text.rsplit(" ", 1)[-1].casefold() in ABBREVIATIONS and text[m.end:m.end + 1] == "."
            and text[m.end + 1:m.end + 2] not in ("", "\n")):
        return Mention(m.field, m.start, m.end + 1, m.text + ".", m.label, m.team, m.person)
    return m


def _words(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped by the spaces between them ("Co-operation" is one word of three tokens)."""
    words: list[list[Token]] = []
    for i, tok in enumerate(tokens):
        if i and not tokens[i - 1].whitespace_:
            words[-1].append(tok)
        else:
            words.append([tok])
    return words


def _lowercase_word(word: list[Token]) -> bool:
    text = "".join(t.text for t in word)
    return text[:1].isalpha() and not any(ch.isupper() for ch in text)


def trim_name(text: str, start: int, label: str, field_name: str) -> Mention | None:
    """The name without leading 'the', honorific, possessive or edge punctuation; None when
    nothing name-like is left (no capital letter, one letter)."""
    text = text.split("\n", 1)[0]
    words = text.split(" ")
    while words and (words[0].casefold() == "the" or words[0].casefold().rstrip(".") in HONORIFICS):
        start += len(words[0]) + 1
        words = words[1:]
    text = " ".join(words)
    text = _POSSESSIVE.sub("", text)
    lead = len(text) - len(text.lstrip("\"'\u201c\u201d\u2018\u2019([-\u2013\u2014 ,."))
    text = text[lead:]
    start += lead
    keep_stop = _KEEP_STOP.search(text) is not None
    text = text.rstrip("\"'\u201c\u201d\u2018\u2019)]-\u2013\u2014 ,:;" + ("" if keep_stop else "."))
    if len(text) < 2 or not any(ch.isupper() for ch in text) or not any(ch.isalpha() for ch in text):
        return None
    return Mention(field_name, start, start + len(text), text, label)


# ---- rules for shapes the model misses -----------------------------------------------------

# Words capitalised only because they start a sentence; never the first word of a name.
SENTENCE_INITIAL = frozenset("""the a an this that these those his her their its our my your in on at by for
from with to as but and or when after before while if since during under over about against between
""".split())
ORG_HEADS = ("Watch|Committee|Commission|Party|Ministry|Council|Agency|Association|Union|Institute|"
             "Foundation|Federation|Department|Organi[sz]ation|Authority|Court|Parliament|Assembly|"
             "Congress|Senate|Corporation|Company|Bank|University|College|Coalition|Alliance|Tribunal|"
             "Bureau|Network|Society|League|Movement|Front|Forum|Board|Police|Army|Navy|Trust|Fund")
# Sports and other events (OntoNotes EVENT): "Hong Kong Open", "UEFA Cup", "Berlin Grand Prix".
EVENT_HEADS = ("Cup|Open|Championships?|Games|Olympics|Grand Prix|Series|Tournament|Masters|Trophy|Marathon|"
               "Rally|Classic|Invitational|Festival|Expo|War|Revolution")
_HEADED = r"\b(?:[A-Z][\w&'\u2019.-]*\s+(?:(?:of|for|and|on)\s+(?:the\s+)?)?){{1,5}}(?:{})\b"
_ORG_NAME = re.compile(_HEADED.format(ORG_HEADS))
_EVENT_NAME = re.compile(_HEADED.format(EVENT_HEADS))
_EVENT_HEAD = re.compile(rf"(?:^|\s)(?:{EVENT_HEADS})$")


def organisation_names(text: str, field_name: str) -> list[Mention]:
    """Capitalised names ending in an organisation word ("Human Rights Watch"), a shape the
    small model often misses; the leading word must not be a sentence-initial function word."""
    return _headed_names(_ORG_NAME, text, field_name, "ORG")


def event_names(text: str, field_name: str) -> list[Mention]:
    return _headed_names(_EVENT_NAME, text, field_name, "EVENT")


def _headed_names(pattern: re.Pattern, text: str, field_name: str, label: str) -> list[Mention]:
    found = []
    for m in pattern.finditer(text):
        name, start = m.group(), m.start()
        while name.split()[0].casefold() in SENTENCE_INITIAL:
            first = name.split()[0]
            start += len(first) + 1
            name = name[len(first) + 1:]
        if len(name.split()) >= 2 and "\n" not in name:
            found.append(Mention(field_name, start, start + len(name), name, label))
    return found


# "P. Simmons", "T.O'Gorman": one initial, then a surname; not "U.S. Open" (the initial must not
# follow a letter or a full stop).
_INITIAL_NAME = re.compile(r"(?<![\w.])[A-Z]\. ?(?:Mc|Mac|O'|De|Van)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def initial_names(text: str, field_name: str) -> list[Mention]:
    return [Mention(field_name, m.start(), m.end(), m.group(), "PERSON") for m in _INITIAL_NAME.finditer(text)]


_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z]?[A-Z]{1,7})\)")
_NAME_WORD = re.compile(r"[A-Z][\w\-'\u2019.&]*|of|for|and|the|in|on|to|de|&")


def acronym_definitions(text: str, field_name: str) -> list[Mention]:
    """'Organisation for Security and Cooperation in Europe (OSCE)': both names, one ORG."""
    found = []
    for m in _ACRONYM_DEF.finditer(text):
        acronym = m.group(1)
        words = list(_NAME_WORD.finditer(text, max(0, m.start() - 160), m.start()))
        if not words or text[words[-1].end():m.start()].strip():
            continue   # the parenthesis does not follow a name directly
        # the shortest run of capitalised words ending right before the parenthesis that spells it
        for i in range(len(words) - 1, -1, -1):
            if i < len(words) - 1 and text[words[i].end():words[i + 1].start()].strip():
                break   # the run is broken by punctuation or other words
            if not words[i].group()[0].isupper():
                continue
            run = words[i:]
            if _acronym(tuple(w.group() for w in run)) == acronym.upper():
                name = text[run[0].start():run[-1].end()]
                found.append(Mention(field_name, run[0].start(), run[-1].end(), name, "ORG"))
                found.append(Mention(field_name, m.start(1), m.end(1), acronym, "ORG"))
                break
    return found


_DATE = (r"(?:\d{4}-\d\d-\d\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}"
         r"(?:,? \d{4})?|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?: \d{4})?)")
_PLACE = r"[A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.'\u2019-]*){0,3}"
# "LONDON 1996-08-30", "MILWAUKEE, Wisconsin Aug 29", "NEW YORK (Reuters) -": the place of a wire
# dateline opening the body, in capitals, maybe with its region.
_DATELINE = re.compile(rf"^(?P<place>[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){{0,3}})"
                       rf"(?:, (?P<region>{_PLACE}))?(?:,? {_DATE}| \([A-Z][\w ]+\)\s*[-\u2013\u2014])")


def dateline_places(text: str, field_name: str) -> list[Mention]:
    m = _DATELINE.match(text)
    if m is None:
        return []
    return [Mention(field_name, m.start(g), m.end(g), m.group(g), "GPE") for g in ("place", "region") if m.group(g)]


# Country names that are also people's names; found only by the model.
_AMBIGUOUS_COUNTRIES = frozenset({"jordan", "chad", "georgia", "israel", "america"})
# gazetteer entries by their first word, longest first: "south" -> ["south africa", "south korea", ...]
_GAZETTEER: dict[str, list[str]] = {}
for _entry in sorted((COUNTRIES - _AMBIGUOUS_COUNTRIES) | NATIONALITIES, key=len, reverse=True):
    _GAZETTEER.setdefault(_entry.split()[0], []).append(_entry)
_CAPITALISED = re.compile(r"(?<![\w.-])[A-Z][\w.'\u2019-]*")


def gazetteer_names(text: str, field_name: str, taken: list[Mention]) -> list[Mention]:
    """Country names and nationalities the model left unlabelled (it drops a name right after a
    dateline, and "French" in "French francs" is part of an amount)."""
    spans = _spans(taken)
    surnames = {m.text.rsplit(" ", 1)[-1] for m in taken if m.label == "PERSON" and " " in m.text}
    found = []
    for word in _CAPITALISED.finditer(text):
        start = word.start()
        for entry in _GAZETTEER.get(word.group().casefold(), ()):
            end = start + len(entry)
            if text[start:end].casefold() != entry or (end < len(text) and (text[end].isalnum() or text[end] == "-")):
                continue
            name = text[start:end]
            if (len(name) <= 3 and not name.isupper()) or name in surnames:
                break   # "Viorel Moldovan ... Moldovan scored": a surname, not a nationality
            cand = Mention(field_name, start, end, name, "GPE" if entry in COUNTRIES else "NORP")
            if not _overlaps(cand, spans):
                found.append(cand)
            break
    return found


_DIGIT_WORD = re.compile(r"\S*\d\S*")


def _table_lines(text: str) -> list[tuple[int, int]]:
    """Lines of a results table or ranking: several numbers, few lowercase words."""
    out, pos = [], 0
    for line in text.split("\n"):
        words = line.split()
        if words:
            numbers = sum(1 for w in _DIGIT_WORD.findall(line) if _is_number(w.strip("(),.;:")))
            lower = sum(1 for w in words if w[0].islower())
            if numbers >= 2 and numbers >= 0.2 * len(words) and lower <= 0.3 * len(words):
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_TABLE_NAME = re.compile(r"[A-Z][\w'\u2019.&-]*(?: (?:(?:de|da|van|von|der|den|del|della|la|le|di|du|al|el|bin|of)"
                         r" )*[A-Z][\w'\u2019.&-]*)*")


def table_names(text: str, field_name: str, tables: list[tuple[int, int]], taken: list[Mention]) -> list[Mention]:
    """Capitalised runs in table lines the model left unlabelled ("Stoke 4 3 1 0 7 4 10"); they
    get a label only from evidence (a score, a country in brackets) when clustered."""
    spans = _spans(taken)
    found = []
    for lo, hi in tables:
        for m in _TABLE_NAME.finditer(text, lo, hi):
            cand = trim_name(m.group(), m.start(), "", field_name)
            if cand is None or _overlaps(cand, spans) or cand.text.casefold().rstrip(".") in MONTHS_AND_DAYS:
                continue
            if text[cand.end:hi].lstrip().startswith(":"):
                continue   # a label: "Attendance: 40,000", "Bowling:"
            found.append(cand)
    return found


_BRACKETED = re.compile(r"\s*\(([^()]{1,40})\)")


def _score_after(text: str, end: int, line_end: int) -> tuple[int, int, str | None]:
    """(how many numbers follow the name, where they end, the bracketed words right after the
    name): "Benetton (Italy) 92" -> (1, ..., 'Italy'); "Stoke 4 3 1 0 7 4 10" -> (7, ..., None)."""
    bracket = _BRACKETED.match(text, end, line_end)
    pos = bracket.end() if bracket else end
    numbers = 0
    for word in re.finditer(r"\S+", text[pos:line_end]):
        number = word.group().strip(",;()")
        if not _is_number(number) or number.count("-") >= 2:
            break   # not a score: a word, or a bowling analysis "7-0-29-0"
        numbers += 1
        end = pos + word.end()
        if not word.group()[-1].isdigit():
            break   # "Vass 7-0-29-0, de Silva ...": a score ends at its punctuation
    return numbers, end, bracket.group(1) if bracket else None


# What may separate one team's score from the next team: "Warwickshire 195, Surrey 429-7",
# "Glamorgan 259 and 207 (A. Dale 69, ...), Durham 114", "Benetton (Italy) 92 Dinamo (Russia) 81".
_SCORE_GAP = re.compile(r"(?:\s|[,;]|and\b|\d[\d-]*|\([^()]*\))*$")

TEAM_VERBS = frozenset("beat defeat thrash rout crush edge hammer overcome draw tie lose host play".split())
RELATIVE_PRONOUNS = words("people", "relative_pronouns")


def mark_usage(doc: Doc, field_name: str, text: str, mentions: list[Mention], tables: list[tuple[int, int]],
               skip: int = 0) -> list[Mention]:
    """Mentions used as sports teams (a results pair "Pohang 3 Ulsan 2", a standings row "Stoke 4
    3 1 0 7 4 10", the subject or object of 'beat', 'drew with', 'lost to') or as people ("Steffi
    Graf (Germany)": a full name followed by a country in brackets); a team the model did not tag
    becomes a mention. Nothing before `skip` (a dateline)."""
    teams = team_tokens(doc)
    taken = _spans(mentions)
    for i in sorted(teams):   # a team the model did not tag: "Leicestershire beat Somerset"
        tok = doc[i]
        first = min((c.i for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"), default=i)
        m = trim_name(doc[first:i + 1].text, doc[first].idx, "", "")
        if m is not None and m.start >= skip and not _overlaps(m, taken):
            mentions = mentions + [Mention(field_name, m.start, m.end, m.text, "")]
    usage = {}
    for m in mentions:
        line = next(((lo, hi) for lo, hi in tables if lo <= m.start < hi), None)
        numbers, score_end, bracket = _score_after(text, m.end, line[1] if line else len(text))
        lo = line[0] if line else text.rfind("\n", 0, m.start) + 1
        in_bracket = text.count("(", lo, m.start) > text.count(")", lo, m.start)
        usage[m] = (line, numbers, score_end, bracket, in_bracket)
    # consecutive names outside brackets, each with its score, in one results line
    top = sorted((m for m in mentions if usage[m][0] and not usage[m][4]), key=lambda m: m.start)
    paired = set()
    for m, nxt in zip(top, top[1:]):
        line, numbers, score_end, _, _ = usage[m]
        if numbers and usage[nxt][1] and usage[nxt][0] == line and _SCORE_GAP.match(text, score_end, nxt.start):
            paired.update((m, nxt))
    out = []
    for m in mentions:
        line, numbers, _, bracket, in_bracket = usage[m]
        team = person = False
        if m.start >= skip and not in_bracket:
            if line is not None:
                first_in_line = not text[line[0]:m.start].strip(" 0123456789.-")
                team = m in paired or (first_in_line and numbers >= 3)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if not team and teams:
                team = span is not None and span.root.i in teams
            person = (bracket is not None and bracket.casefold() in COUNTRIES and len(m.text.split()) >= 2
                      or _HONORIFIC_BEFORE.search(text, max(0, m.start - 8), m.start) is not None
                      or span is not None and _person_by_syntax(span, len(m.text.split())))
            team = team and not person
        out.append(Mention(m.field, m.start, m.end, m.text, m.label, team, person) if team or person else m)
    return out


# An honorific just before a name makes it a person's ("Mr", "Dr.").
_HONORIFIC_BEFORE = re.compile(r"\b(?:%s)\.? $" % "|".join(
    sorted(w.capitalize() for w in HONORIFICS - words("people", "honorifics_also_of_things"))))
# Nouns for people by their role: "Assem Zhapisheva, a civic activist", "AFP journalist Chris Rickleton".
PERSON_ROLES = frozenset("""
activist journalist reporter correspondent editor columnist writer author photographer presenter anchor
president minister premier chancellor spokesman spokeswoman spokesperson leader chairman chairwoman
director official analyst economist strategist researcher scientist professor lawyer attorney judge
prosecutor candidate senator congressman congresswoman governor mayor secretary ambassador diplomat envoy
general commander colonel officer soldier captain coach manager player striker midfielder defender
goalkeeper bowler batsman spinner pitcher quarterback driver rider cyclist runner sprinter champion
king queen prince princess pope bishop priest cleric imam rabbi actor actress singer musician artist
founder owner executive chief deputy lawmaker legislator delegate representative observer student teacher
doctor nurse farmer resident witness victim suspect prisoner detainee protester demonstrator critic
dissident rebel militant father mother son daughter wife husband brother sister widow boxer golfer
""".split())


def _person_by_syntax(span: Span, words: int) -> bool:
    """Person evidence in the sentence: an appositive or title noun of a role ("X, a civic
    activist", "Surrey captain Chris Lewis"), or a full name owned by an organisation
    ("Euronews' Galina Polonskaya": a name after an organisation's possessive is its staff)."""
    head, doc = span.root, span.doc
    if words == 1 and span.label_ in ("GPE", "LOC"):
        return False
    for child in head.children:
        if child.dep_ == "appos" and child.lemma_.lower() in PERSON_ROLES and child.i > span.end:
            between = doc[span.end:child.left_edge.i]
            if between.text.strip() == "," or (span.end < len(doc) and doc[span.end].text == ","
                                                and "\n" not in doc[span.end:child.i].text):
                return True
        if (child.dep_ in ("compound", "nmod") and child.i == span.start - 1 and child.tag_ == "NN"
                and child.lemma_.lower() in PERSON_ROLES):
            return True
        if (child.dep_ == "poss" and child.ent_type_ == "ORG" and words == 2 and span.label_ != "PERSON"
                and all(t.is_title for t in span)):
            return True
    return False


TEAM_NOUNS = frozenset("victory win defeat winner winners loss draw".split())
FIXTURE_WORDS = frozenset({"v", "vs", "versus"})   # not "v.": "Roe v. Wade" is a law case


_TEAM_VERB_IDS = frozenset(hash_string(w) for w in TEAM_VERBS)
_TEAM_NOUN_IDS = frozenset(hash_string(w) for w in TEAM_NOUNS)
_FIXTURE_IDS = frozenset(hash_string(w) for w in FIXTURE_WORDS)


def team_tokens(doc: Doc) -> set[int]:
    """Indices of proper nouns used as sports teams in running text: the subject and object of
    'beat', 'drew with', 'lost to' when both are names ("Leicestershire beat Somerset", "Surrey,
    who thrashed Warwickshire", "Essex need 148 to beat Yorkshire"), the object of 'victory
    over', a name after 'v' or 'vs', and the names conjoined with any of these ("Essex and Kent")."""
    found: set[int] = set()
    # whole-doc columns as ints: Token objects only for the few candidates
    hits = [i for i, (lemma, pos, lower) in enumerate(doc.to_array([LEMMA, POS, LOWER]).tolist())
            if pos == VERB and lemma in _TEAM_VERB_IDS or pos == NOUN and lemma in _TEAM_NOUN_IDS
            or lower in _FIXTURE_IDS]
    for i in hits:
        tok = doc[i]
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in TEAM_VERBS:
            args = [_antecedent(t) for t in tok.children if t.dep_ in ("nsubj", "dobj")]
            args += [g for t in tok.children if t.dep_ == "prep" and t.lower_ in ("to", "with")
                     for g in t.children if g.dep_ == "pobj"]
            if not any(t.dep_ == "nsubj" for t in tok.children) and tok.dep_ in ("xcomp", "advcl"):
                args += [t for t in tok.head.children if t.dep_ == "nsubj"]
            names = [t for t in args if t is not None and t.pos_ == "PROPN"]
            if len(names) >= 2:
                found.update(t.i for t in names)
        elif tok.pos_ == "NOUN" and lemma in TEAM_NOUNS:
            found.update(g.i for t in tok.children if t.dep_ == "prep" and t.lower_ in ("over", "against")
                         for g in t.children if g.dep_ == "pobj" and g.pos_ == "PROPN")
        elif tok.lower_ in FIXTURE_WORDS and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            found.add(tok.i + 1)
    for i in list(found):
        found.update(t.i for t in doc[i].conjuncts if t.pos_ == "PROPN")
    return found


def _antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun stands for ("Surrey, who thrashed ..."), else the token."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


# ---- headline ------------------------------------------------------------------------------

def _shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def names_in_text(text: str, field_name: str, known: list[Mention]) -> list[Mention]:
    """The article's known names found again in `text`, case-insensitively, longest first (an
    ALL-CAPS headline, where the model cannot tell a name from a word)."""
    folded = text.casefold()
    taken: list[tuple[int, int]] = []
    found = []
    for m in sorted({(m.text, m.label) for m in known}, key=lambda x: (-len(x[0]), x)):
        name, label = m
        for start, end in _whole_word_hits(folded, name.casefold()):
            if not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                found.append(Mention(field_name, start, end, text[start:end], label))
    return found


def _whole_word_hits(text: str, word: str):
    """(start, end) of each occurrence of `word` not inside a longer word; plain search, no regex
    compiled per name."""
    at = text.find(word) if word else -1
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not text[at - 1].isalnum() and text[at - 1] != "_") and \
                (end == len(text) or not text[end].isalnum() and text[end] != "_"):
            yield at, end
        at = text.find(word, at + 1)


# ---- collecting ----------------------------------------------------------------------------

def field_mentions(doc: Doc, field_name: str, text: str) -> list[Mention]:
    """Model names and rule names of one field; a rule name wins over the model's spans it
    overlaps, unless the model's is longer; a dateline's place always wins."""
    tables = _table_lines(text)
    dateline = dateline_places(text, field_name) if field_name == "body" else []
    ruled = acronym_definitions(text, field_name)
    for rule in (organisation_names, event_names, initial_names):
        ruled += [m for m in rule(text, field_name) if not _overlaps(m, _spans(ruled))]
    model = []
    for span in whole_institution_names(doc):
        if span.label_ in ENTITY_LABELS:
            in_table = any(lo <= span.start_char < hi for lo, hi in tables)
            model += mention_pieces(span, field_name, text, in_table)
    lower_words = {doc.vocab.strings[h] for h, is_lower in doc.to_array([LOWER, IS_LOWER]).tolist() if is_lower}
    model = [m for m in split_conjoined(model, text) if not _common_word(m, doc, lower_words)]
    ruled = [r for r in ruled if not any(_overlaps(r, [(m.start, m.end)]) and m.end - m.start > r.end - r.start
                                         for m in model)]
    found = ruled + [m for m in model if not _overlaps(m, _spans(ruled))]
    found = dateline + [m for m in found if not _overlaps(m, _spans(dateline))]
    found += table_names(text, field_name, tables, found)
    found += gazetteer_names(text, field_name, found)
    return mark_usage(doc, field_name, text, found, tables, skip=max((m.end for m in dateline), default=0))


_NAME_CONNECTORS = frozenset("for of and on".split())


def whole_institution_names(doc: Doc) -> list[Span]:
    """The model's spans, with an institution's name made whole when the model cut it before
    "in <place>'s": in "the Organization for Security and Co-operation in Europe's mission" the
    possessive belongs to the whole name, so "in Europe" is part of it. Only a name of three
    words or more that already joins words with for/of/and/on ("Reuters in London's district"
    stays two names)."""
    ents = list(doc.ents)
    out, i = [], 0
    while i < len(ents):
        span = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (nxt is not None and span.label_ == "ORG" and nxt.label_ in ("GPE", "LOC") and len(span) >= 3
                and nxt.start == span.end + 1 and doc[span.end].lower_ == "in"
                and any(tok.lower_ in _NAME_CONNECTORS for tok in span[1:-1])
                and nxt.end < len(doc) and doc[nxt.end].tag_ == "POS"):
            out.append(Span(doc, span.start, nxt.end, label="ORG"))
            i += 2
            continue
        out.append(span)
        i += 1
    return out


def _common_word(m: Mention, doc: Doc, lower_words: set[str]) -> bool:
    """A one-word 'name' that only starts a sentence or line and that the text also writes in
    lower case ("Protests broke out ... the protests")."""
    folded = m.text.casefold()
    if " " in m.text or m.text.isupper() or folded not in lower_words or folded in NORP_NAMES or folded in COUNTRIES:
        return False
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and (span.start == 0 or span[0].is_sent_start or "\n" in doc[span.start - 1].text)


_JOINS = re.compile(r" and | & |(?<=\w)(?:'s|\u2019s|'|\u2019) (?=[A-Z])")


def split_conjoined(mentions: list[Mention], text: str) -> list[Mention]:
    """"Derbyshire and Surrey", "Euronews' Galina Polonskaya" are two names when the article also
    names either part alone ("Trinidad and Tobago", "Boatmen's Bancshares", named only whole,
    stay one)."""
    alone = {m.text for m in mentions if not _JOINS.search(m.text)}
    out = []
    for m in mentions:
        join = _JOINS.search(m.text)
        left, right = (m.text[:join.start()], m.text[join.end():]) if join else ("", "")
        if join and (left in alone or right in alone) and left[:1].isupper() and right[:1].isupper():
            out.append(Mention(m.field, m.start, m.start + len(left), left, m.label))
            out.append(Mention(m.field, m.start + join.end(), m.end, right, m.label))
        else:
            out.append(m)
    return out


def collect_mentions(docs: dict[str, Doc]) -> list[Mention]:
    """Every field's mentions, the body first: an ALL-CAPS headline is read with the body's
    names only, and a Title Case one keeps only the model's names the body also has, acronyms and
    countries (there the model takes any capitalised run for a name: "Anti-Government Protesters
    Carried Away").
    Then the names the article has established, found again where the model missed them."""
    out: list[Mention] = []
    texts = {field_name: doc.text for field_name, doc in docs.items()}   # Doc.text is rebuilt on each access
    for field_name in sorted(docs, key=lambda f: f != "body"):
        doc, text = docs[field_name], texts[field_name]
        if field_name == "body" or not (_shouting(text) or title_case(text, share=0.8, min_words=3)):
            out += field_mentions(doc, field_name, text)
            continue
        known = names_in_text(text, field_name, [m for m in out if m.label])
        if not _shouting(text):
            body = texts.get("body", "").casefold()
            model = [m for m in field_mentions(doc, field_name, text) if not _overlaps(m, _spans(known))
                     and (m.text.isupper() or m.text.casefold() in COUNTRIES or m.text.casefold() in NORP_NAMES
                          or next(_whole_word_hits(body, m.text.casefold()), None))]
            known += model
        out += known
    return out + repeated_names(docs, out)


def _spans(mentions: list[Mention]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in mentions]


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < end and start < m.end for start, end in spans)


def repeated_names(docs: dict[str, Doc], mentions: list[Mention]) -> list[Mention]:
    """Tokens that repeat an established person's surname or an organisation's acronym but
    that the model left untagged ("Paul Grant ... Grant said")."""
    forms: dict[str, str] = {}
    for m in mentions:
        words = m.text.split()
        if m.label == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3 and not m.team:
            forms.setdefault(words[-1], "PERSON")
        elif m.label == "ORG" and len(words) == 1 and m.text.isupper() and len(m.text) >= 2:
            forms.setdefault(m.text, "ORG")
    if not forms:
        return []
    taken = {(m.field, i) for m in mentions for i in range(m.start, m.end)}
    found = []
    ids = {hash_string(f) for f in forms}
    for field_name, doc in docs.items():
        for i, (orth, pos) in enumerate(doc.to_array([ORTH, POS]).tolist()):
            if orth not in ids or pos != PROPN:
                continue
            tok = doc[i]
            if (field_name, tok.idx) not in taken:
                found.append(Mention(field_name, tok.idx, tok.idx + len(tok.text), tok.text, forms[tok.text]))
    return found


def _acronym(words: tuple[str, ...]) -> str:
    """Initials of the content words; a hyphenated word gives one letter ("Co-operation": C)."""
    return "".join(w[0] for w in words if w.casefold() not in ACRONYM_STOPWORDS and w[0].isalpha()).upper()


# ---- clustering and labels -----------------------------------------------------------------

def cluster_mentions(mentions: list[Mention]) -> list[Entity]:
    """Group mentions that name the same thing; longest name and the evidence's label win."""
    by_name: dict[str, list[Mention]] = {}
    for m in mentions:
        by_name.setdefault(" ".join(m.text.casefold().split()), []).append(m)
    # Longest names first, so a shorter form finds the full name it belongs to.
    names = sorted(by_name, key=lambda n: (-len(n.split()), -len(n), n))
    labels = {n: Counter(m.label for m in ms) for n, ms in by_name.items()}
    clusters: list[list[str]] = []
    cluster_labels: list[Counter] = []
    for name in names:
        target = _find_home(name, by_name, labels, clusters, cluster_labels)
        if target is None:
            clusters.append([name])
            cluster_labels.append(Counter(labels[name]))
        else:
            clusters[target].append(name)
            cluster_labels[target].update(labels[name])
    entities = []
    for members in clusters:
        ms = sorted((m for n in members for m in by_name[n]), key=lambda m: (m.field != "title", m.start))
        name = _canonical_name(ms)
        label = _cluster_label(name, ms)
        if label:
            entities.append(Entity(name=name, label=label, mentions=ms))
    return entities


def _find_home(name: str, by_name: dict[str, list[Mention]], labels: dict[str, Counter],
               clusters: list[list[str]], cluster_labels: list[Counter]) -> int | None:
    words = tuple(name.split())
    own = labels[name]
    for idx, members in enumerate(clusters):
        head = members[0]
        head_words = tuple(head.split())
        head_labels = cluster_labels[idx]
        if len(words) < len(head_words) and (head_words[-len(words):] == words or head_words[:len(words)] == words):
            # "Tokayev" in "Kassym-Jomart Tokayev" (even where spaCy called the full name ORG)
            votes = head_labels + own
            if set(own) <= NAME_LABELS and set(head_labels) <= NAME_LABELS and votes["PERSON"] >= max(votes.values()):
                return idx
        if len(words) == 1 and len(name) >= 2 and "ORG" in head_labels and len(head_words) >= 3:
            if _acronym(tuple(by_name[head][0].text.split())) == name.upper():
                return idx
    return None


def _canonical_name(mentions: list[Mention]) -> str:
    """The longest mention, as first written in mixed case ("Leicestershire", not the
    headline's "LEICESTERSHIRE"; not folded)."""
    best = max(mentions, key=lambda m: (len(m.text.split()), len(m.text), not m.text.isupper(),
                                        m.field == "body", -m.start))
    return " ".join(best.text.split())


def _cluster_label(name: str, mentions: list[Mention]) -> str | None:
    """Majority of the labelled mentions, overruled by evidence: a full name with a country in
    brackets is a person; a nationality is NORP; a name used as a team is an organisation unless
    it is a country (a national team), a person's full name or an event; a country is a place
    unless the model calls an ambiguous one ("Jordan") a person; a name ending in Cup, Open,
    Championship... is an event. None for a one-word name only a table rule found, with no
    evidence either way."""
    counts = Counter(m.label for m in mentions if m.label)
    folded = name.casefold()
    majority = max(counts, key=lambda lab: (counts[lab], lab == "PERSON")) if counts else None
    if any(m.person for m in mentions):
        return "PERSON"
    if folded in NORP_NAMES:
        return "NORP"
    event = _EVENT_HEAD.search(name) is not None and majority != "PERSON"
    if (any(m.team for m in mentions) and folded not in COUNTRIES and not event
            and (majority != "PERSON" or len(name.split()) == 1)):
        return "ORG"
    if folded in COUNTRIES and (majority != "PERSON" or folded not in _AMBIGUOUS_COUNTRIES):
        return "GPE"
    if event:
        return "EVENT"
    if majority is None:   # a table's name: "Japie Mulder" in a line-up, "Total" in a table
        return "PERSON" if len(name.split()) >= 2 else None
    longest = max(mentions, key=lambda m: len(m.text))
    return max(counts, key=lambda lab: (counts[lab], lab == "PERSON", lab == longest.label))


def extract_entities(article_id: str, docs: dict[str, Doc]) -> list[Entity]:
    """The entities of one article, each with a stable id."""
    entities = cluster_mentions(collect_mentions(docs))
    for ent in entities:  # cluster heads are distinct names, so the ids are distinct
        ent.entity_id = ids.entity_id(article_id, ent.label, ent.name)
    return entities


def entity_rows(article_id: str, entities: list[Entity]) -> list[dict]:
    return [
        {
            "article_id": article_id,
            "entity_id": e.entity_id,
            "name": e.name,
            "label": e.label,
            "entity_key": ids.entity_key(e.label, e.name),
            "mention_count": len(e.mentions),
            "mentions": [{"field": m.field, "start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
        }
        for e in entities
    ]
