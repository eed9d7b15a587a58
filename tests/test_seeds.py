"""The seed articles, read by a person: every quotation and its speaker, the entities, the cleaning."""
import pytest

from tests.conftest import EURONEWS_SEED, KAZAKH_SEED
from transforms.clean import clean_text
from transforms.decode import decode_bytes
from transforms.entities import extract_entities
from transforms.quote_filter import load_model
from transforms.quotes import extract_quotes

TOKAYEV = "Kassym-Jomart Tokayev"
# (start of the quoted words, field, canonical speaker or None, speaker mention)
KAZAKH_QUOTES = [
    ("This shows that our level of political culture", "body", TOKAYEV, "the newly-elected president"),
    ("boycott police with the people", "body", None, "Demonstrators"),   # chanted "boycott" and "police ...": one act
    ("an illusion", "body", "Human Rights Watch", "Human Rights Watch"),
    ("I know. how they compile these reports", "body", TOKAYEV, "Tokayev"),
]
EURONEWS_QUOTES = [
    ("by mistake", "title", TOKAYEV, "Kazakhstan's new president"),
    ("detained just by mistake", "body", TOKAYEV, "Tokayev"),
    ("we will apologise before them", "body", TOKAYEV, "Tokayev"),
    ("grievances", "body", TOKAYEV, "the Kazakh president"),
    ("concern social problems", "body", TOKAYEV, "the Kazakh president"),
    ("I don't deny those issues exist", "body", TOKAYEV, "Tokayev"),
    ("work on it", "body", TOKAYEV, "He"),
    ("it's just their opinion. And my opinion is", "body", TOKAYEV, "Tokayev"),
    ("Significant irregularities were observed", "body", "Organization for Security and Co-operation in Europe", None),
    ("Authorities in Kazakhstan have long restricted", "body", "Mihra Rittmann", "Mihra Rittmann"),
    ("People have gone to jail", "body", "Mihra Rittmann", "she"),
    ("rough arrest", "body", "Chris Rickleton", "AFP journalist Chris Rickleton"),
    ("the same repressive tactics", "body", "Mihra Rittmann", "Rittmann"),
]


def analyse(path, nlp):
    """(cleaned text, entities, quotations); reported speech is checked on its own below."""
    cleaned = clean_text(decode_bytes(path.read_bytes()).text)
    docs = {"title": nlp(cleaned.title or ""), "body": nlp(cleaned.body)}
    entities = extract_entities("seed", docs)
    rows = extract_quotes("seed", docs, entities, load_model())
    return cleaned, entities, [q for q in rows if q["quote_type"] != "indirect"], \
        [q for q in rows if q["quote_type"] == "indirect"]


@pytest.fixture(scope="module")
def kazakh(nlp):
    return analyse(KAZAKH_SEED, nlp)


@pytest.fixture(scope="module")
def euronews(nlp):
    return analyse(EURONEWS_SEED, nlp)


@pytest.mark.parametrize("seed, expected", [("kazakh", KAZAKH_QUOTES), ("euronews", EURONEWS_QUOTES)])
def test_every_quotation_has_the_right_speaker(seed, expected, request):
    _, entities, quotes, _ = request.getfixturevalue(seed)
    assert len(quotes) == len(expected), [q["text"][:40] for q in quotes]
    by_id = {e.entity_id: e for e in entities}
    for q, (start, field, speaker, mention) in zip(quotes, expected):
        assert q["text"].startswith(start) and q["field"] == field
        assert q["speaker"] == speaker, q["text"][:40]
        if mention is not None:
            assert q["speaker_mention"] == mention, q["text"][:40]
        if speaker is not None:
            assert by_id[q["speaker_entity_id"]].name == speaker


def test_the_interrupted_and_colon_free_quotes_keep_their_cues(euronews):
    _, _, quotes, _ = euronews
    cues = {q["text"][:20]: q["cue"] for q in quotes}
    assert cues["the same repressive "] == "said"
    assert cues["grievances"] == "insisted"
    assert cues["Significant irregula"] == "wrote"


def test_kazakh_cue_phrase_is_kept_as_written(kazakh):
    assert kazakh[2][0]["cue"] == "was quoted as saying"


@pytest.mark.parametrize("seed, people, organisations, places", [
    ("kazakh", {TOKAYEV, "Marius Fossum", "Nazarbayev", "Assem Zhapisheva"},
     {"Human Rights Watch", "Norwegian Helsinki Committee", "AFP", "BBC",
      "Organisation for Security and Cooperation in Europe"}, {"Kazakhstan", "Almaty", "Nur-Sultan"}),
    ("euronews", {TOKAYEV, "Mihra Rittmann", "Chris Rickleton", "Nursultan Nazarbayev", "Galina Polonskaya"},
     {"Euronews", "AFP", "Human Rights Watch", "Nur Otan"}, {"Kazakhstan"}),
])
def test_entities_have_one_row_each_with_sensible_labels(seed, people, organisations, places, request):
    _, entities, _, _ = request.getfixturevalue(seed)
    labels = {}
    for e in entities:
        assert e.name not in labels, f"{e.name} has two rows"
        labels[e.name] = e.label
    for name in people:
        assert labels.get(name) == "PERSON", name
    for name in organisations:
        assert labels.get(name) == "ORG", name
    for name in places:
        assert labels.get(name) == "GPE", name
    assert "Tokayev" not in labels   # the surname is a mention of the full name
    # a headline's capitalised words and a sentence's first word are not names
    assert not any("Protesters" in name for name in labels) and "Protests" not in labels


def test_an_acronym_and_a_surname_are_mentions_of_the_full_name(kazakh, euronews):
    by_name = {e.name: e for e in kazakh[1]}
    osce = by_name["Organisation for Security and Cooperation in Europe"]
    assert "OSCE" in [m.text for m in osce.mentions] and "OSCE" not in by_name
    rittmann = {e.name: e for e in euronews[1]}["Mihra Rittmann"]
    assert [m.text for m in rittmann.mentions] == ["Mihra Rittmann", "Rittmann"]


def test_euronews_page_keeps_the_article_and_drops_the_page(euronews):
    cleaned, entities, _, _ = euronews
    assert cleaned.title == "Exclusive: Kazakhstan's new president says some protesters detained 'by mistake'"
    body = cleaned.body
    assert body.startswith("In an exclusive interview with Euronews, Kazakhstan president")
    assert body.rstrip().endswith("Rittmann said.")
    for debris in ("Find Us", "Copyright", "By Euronews", "Published on", "Share this article", "Copy/paste",
                   "Want more news?", "You might also like", "Middle powers", "Pezeshkian", "runoff",
                   "Read more about the election here"):
        assert debris not in body, debris
    assert cleaned.title not in body
    names = {e.name for e in entities}
    assert not names & {"Button", "Iran", "Masoud Pezeshkian", "Iranians"}


@pytest.mark.parametrize("seed, start, speaker, cue", [
    ("kazakh", "his government would be tolerant", "Marius Fossum", "told"),
    ("kazakh", "the snap presidential election began", None, "was reported"),
    ("euronews", "the government had got the message", TOKAYEV, "said"),
    ("euronews", "some of those arrested during protests", TOKAYEV, "says"),
])
def test_reported_speech_has_its_speaker(seed, start, speaker, cue, request):
    reported = {q["text"][:len(start)]: q for q in request.getfixturevalue(seed)[3]}
    assert reported[start]["speaker"] == speaker
    assert reported[start]["cue"] == cue


def test_clean_seed_keeps_every_paragraph(kazakh):
    raw = decode_bytes(KAZAKH_SEED.read_bytes()).text
    paragraphs = [p.strip() for p in raw.split("\n") if p.strip()][1:]
    cleaned = kazakh[0]
    assert cleaned.title == "Anti-Government Protesters Carried Away in Kazakhstan"
    assert [p for p in cleaned.body.split("\n\n") if p] == paragraphs
