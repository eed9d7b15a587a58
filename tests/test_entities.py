from transforms.entities import extract_entities


def entities_of(nlp, body, title=""):
    docs = {"title": nlp(title), "body": nlp(body)}
    return {e.name: e for e in extract_entities("a1", docs)}, docs


def test_surname_joins_the_full_name_and_offsets_match_the_text(nlp):
    body = "Kassym-Jomart Tokayev won the vote. Tokayev said he was pleased. Mr Tokayev thanked voters."
    ents, _ = entities_of(nlp, body)
    tokayev = ents["Kassym-Jomart Tokayev"]
    assert tokayev.label == "PERSON"
    assert len(tokayev.mentions) == 3
    for m in tokayev.mentions:
        assert body[m.start:m.end] == m.text
    assert "Tokayev" not in ents


def test_possessive_and_leading_the_are_not_part_of_the_name(nlp):
    body = "Euronews' reporter met officials. The report by Euronews was published on Monday."
    ents, _ = entities_of(nlp, body)
    euronews = [e for e in ents.values() if e.name == "Euronews"]
    assert len(euronews) == 1 and len(euronews[0].mentions) == 2
    assert all(m.text == "Euronews" for m in euronews[0].mentions)


def test_title_mentions_carry_the_title_field(nlp):
    ents, _ = entities_of(nlp, "Angela Merkel spoke in Berlin.", title="Merkel visits Paris")
    fields = {m.field for e in ents.values() for m in e.mentions}
    assert fields == {"title", "body"}


def test_acronym_defined_by_the_article_joins_its_expansion(nlp):
    body = ("The Organisation for Security and Cooperation in Europe (OSCE) sent observers. "
            "The OSCE said the vote was not free.")
    ents, _ = entities_of(nlp, body)
    osce = [e for e in ents.values() if e.name.startswith("Organisation for Security")]
    assert len(osce) == 1
    assert osce[0].name == "Organisation for Security and Cooperation in Europe"
    assert osce[0].label == "ORG"
    assert [m.text for m in osce[0].mentions].count("OSCE") == 2
    assert "Europe" not in ents   # part of the organisation's name, not a place of its own
