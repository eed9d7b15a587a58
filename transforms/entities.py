"""spaCy entity spans to one entity per real-world thing per article.

spaCy labels each mention alone: "Kassym-Jomart Tokayev" may come out ORG and "Tokayev" PERSON
in one article. Here the mentions of an article are trimmed (possessive, leading "the",
honorific), clustered (same name; a surname or shorter form inside a longer person name; an
acronym the article spells out), and each cluster takes its longest full name and the label
most of its mentions carry.
"""
from collections import Counter
from dataclasses import dataclass, field
import re

from spacy.tokens import Doc, Span

from transforms import ids
from transforms.schemas import ENTITY_LABELS

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady"})
# Labels spaCy's small model confuses with each other on names; a shorter name may join a
# longer one across them, never with GPE/LOC ("Washington" is not "George Washington").
NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
ACRONYM_STOPWORDS = frozenset({"of", "for", "and", "the", "in", "on", "to", "de", "&"})
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")


@dataclass(frozen=True)
class Mention:
    field: str          # 'title' | 'body'
    start: int          # character offsets into that field
    end: int
    text: str
    label: str          # spaCy's label for this mention alone (or how the mention was found)


@dataclass(eq=False)   # identity: two clusters with equal fields are still two entities
class Entity:
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)
    entity_id: str = ""

    @property
    def key_tokens(self) -> tuple[str, ...]:
        return tuple(self.name.casefold().split())


def trim_mention(span: Span, field_name: str) -> Mention | None:
    """The span without possessive, leading 'the', honorific, line break tail or edge punctuation."""
    text, start = span.text, span.start_char
    text = text.split("\n", 1)[0]
    words = text.split(" ")
    while words and (words[0].casefold() == "the" or words[0].casefold().rstrip(".") in HONORIFICS):
        start += len(words[0]) + 1
        words = words[1:]
    text = " ".join(words)
    text = _POSSESSIVE.sub("", text)
    lead = len(text) - len(text.lstrip("\"'\u201c\u201d\u2018\u2019([-–— ,."))
    text = text[lead:]
    start += lead
    text = text.rstrip("\"'\u201c\u201d\u2018\u2019)]-–— ,.:;")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return Mention(field_name, start, start + len(text), text, span.label_)


def collect_mentions(docs: dict[str, Doc]) -> list[Mention]:
    """Trimmed named-entity mentions of each field, acronym definitions, then the names the
    article has established found again where the model missed them."""
    out = []
    for field_name, doc in docs.items():
        text = doc.text   # rebuilt from the tokens on every access
        ruled = acronym_definitions(text, field_name)
        ruled += [m for m in organisation_names(text, field_name) if not _overlaps(m, _spans(ruled))]
        model = [m for m in (trim_mention(s, field_name) for s in doc.ents if s.label_ in ENTITY_LABELS) if m]
        # a rule-found name wins over the model's spans it overlaps, unless the model's is longer
        ruled = [r for r in ruled if not any(_overlaps(r, [(m.start, m.end)]) and m.end - m.start > r.end - r.start
                                             for m in model)]
        out.extend(ruled)
        out.extend(m for m in model if not _overlaps(m, _spans(ruled)))
    return out + repeated_names(docs, out)


def _spans(mentions: list[Mention]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in mentions]


# Words capitalised only because they start a sentence; never the first word of a name.
SENTENCE_INITIAL = frozenset("""the a an this that these those his her their its our my your in on at by for
from with to as but and or when after before while if since during under over about against between
""".split())
ORG_HEADS = ("Watch|Committee|Commission|Party|Ministry|Council|Agency|Association|Union|Institute|"
             "Foundation|Federation|Department|Organi[sz]ation|Authority|Court|Parliament|Assembly|"
             "Congress|Senate|Corporation|Company|Bank|University|College|Coalition|Alliance|Tribunal|"
             "Bureau|Network|Society|League|Movement|Front|Forum|Board|Police|Army|Navy|Trust|Fund")
_ORG_NAME = re.compile(rf"\b(?:[A-Z][\w&'\u2019.-]*\s+(?:(?:of|for|and|on)\s+(?:the\s+)?)?){{1,5}}(?:{ORG_HEADS})\b")


def organisation_names(text: str, field_name: str) -> list[Mention]:
    """Capitalised names ending in an organisation word ("Human Rights Watch"), a shape the
    small model often misses; the leading word must not be a sentence-initial function word."""
    found = []
    for m in _ORG_NAME.finditer(text):
        name, start = m.group(), m.start()
        while name.split()[0].casefold() in SENTENCE_INITIAL:
            first = name.split()[0]
            start += len(first) + 1
            name = name[len(first) + 1:]
        if len(name.split()) >= 2:
            found.append(Mention(field_name, start, start + len(name), name, "ORG"))
    return found


def _overlaps(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(m.start < end and start < m.end for start, end in spans)


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


def repeated_names(docs: dict[str, Doc], mentions: list[Mention]) -> list[Mention]:
    """Tokens that repeat an established person's surname or an organisation's acronym but
    that the model left untagged ("Paul Grant ... Grant said")."""
    forms: dict[str, str] = {}
    for m in mentions:
        words = m.text.split()
        if m.label == "PERSON" and len(words) >= 2 and len(words[-1]) >= 3:
            forms.setdefault(words[-1], "PERSON")
        elif m.label == "ORG" and len(words) == 1 and m.text.isupper() and len(m.text) >= 2:
            forms.setdefault(m.text, "ORG")
    if not forms:
        return []
    taken = {(m.field, i) for m in mentions for i in range(m.start, m.end)}
    found = []
    for field_name, doc in docs.items():
        for tok in doc:
            label = forms.get(tok.text)
            if label and tok.pos_ == "PROPN" and (field_name, tok.idx) not in taken:
                found.append(Mention(field_name, tok.idx, tok.idx + len(tok.text), tok.text, label))
    return found


def _acronym(words: tuple[str, ...]) -> str:
    """Initials of the content words; a hyphenated word gives one letter ("Co-operation": C)."""
    return "".join(w[0] for w in words if w.casefold() not in ACRONYM_STOPWORDS and w[0].isalpha()).upper()


def cluster_mentions(mentions: list[Mention]) -> list[Entity]:
    """Group mentions that name the same thing; longest name and majority label win."""
    by_name: dict[str, list[Mention]] = {}
    for m in mentions:
        by_name.setdefault(" ".join(m.text.casefold().split()), []).append(m)
    # Longest names first, so a shorter form finds the full name it belongs to.
    names = sorted(by_name, key=lambda n: (-len(n.split()), -len(n), n))
    clusters: list[list[str]] = []
    home: dict[str, int] = {}
    for name in names:
        target = _find_home(name, by_name, clusters)
        if target is None:
            home[name] = len(clusters)
            clusters.append([name])
        else:
            home[name] = target
            clusters[target].append(name)
    entities = []
    for members in clusters:
        ms = sorted((m for n in members for m in by_name[n]), key=lambda m: (m.field != "title", m.start))
        entities.append(Entity(name=_canonical_name(ms), label=_majority_label(ms), mentions=ms))
    return entities


def _find_home(name: str, by_name: dict[str, list[Mention]], clusters: list[list[str]]) -> int | None:
    words = tuple(name.split())
    labels = {m.label for m in by_name[name]}
    for idx, members in enumerate(clusters):
        head = members[0]
        head_words = tuple(head.split())
        head_labels = Counter(m.label for n in members for m in by_name[n])
        votes = head_labels + Counter(m.label for m in by_name[name])
        if (len(words) < len(head_words) and labels <= NAME_LABELS and set(head_labels) <= NAME_LABELS
                and votes["PERSON"] >= max(votes.values())):
            # "Tokayev" in "Kassym-Jomart Tokayev" (even where spaCy called the full name ORG)
            if head_words[-len(words):] == words or head_words[:len(words)] == words:
                return idx
        if len(words) == 1 and len(name) >= 2 and "ORG" in head_labels and len(head_words) >= 3:
            if _acronym(tuple(by_name[head][0].text.split())) == name.upper():
                return idx
    return None


def _canonical_name(mentions: list[Mention]) -> str:
    """The longest mention, as first written (title case from the text, not folded)."""
    best = max(mentions, key=lambda m: (len(m.text.split()), len(m.text), -m.start))
    return " ".join(best.text.split())


def _majority_label(mentions: list[Mention]) -> str:
    counts = Counter(m.label for m in mentions)
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
