"""The attributor registry: asked in order, None passes on, and the answering name is on the row."""
import pytest

from transforms.entities import extract_entities
from transforms.quotes import (ATTRIBUTORS, Attribution, Evidence, attribute, attributor, extract_quotes)
from transforms.quotes.attribution import UNATTRIBUTED

SAID = '"We will not give up on this city," Anna Berg said on Monday.'
# a headline quote keeps its rule confidence: rows nobody answers for are not filtered out there
NO_CUE = "Bridge plan: 'We will rebuild it before the winter'"


def quotes_of(nlp, quote_filter, body, attributors=ATTRIBUTORS, title=""):
    docs = {"title": nlp(title), "body": nlp(body)}
    return extract_quotes("a1", docs, extract_entities("a1", docs), quote_filter, attributors=attributors)


def says(mention):
    """An attributor that always answers: the speaker is `mention`."""
    return lambda context, quote: Attribution(None, mention, None, Evidence.UNRESOLVED)


def test_the_first_attributor_that_answers_wins():
    first, second = attributor("first")(says("A")), attributor("second")(says("B"))
    assert attribute(None, None, (first, second)).mention == "A"
    assert attribute(None, None, (second, first)).mention == "B"


def test_an_attributor_that_returns_none_passes_to_the_next():
    asked = []

    def passes(context, quote):
        asked.append("passes")
        return None
    found = attribute(None, None, (attributor("passes")(passes), attributor("answers")(says("B"))))
    assert asked == ["passes"] and (found.mention, found.attributed_by) == ("B", "answers")


def test_no_answer_is_an_attribution_to_nobody_by_nobody():
    found = attribute(None, None, (attributor("passes")(lambda context, quote: None),))
    assert found == UNATTRIBUTED and found.speaker is None and found.attributed_by is None


def test_the_registry_names_are_unique_and_the_cue_comes_after_the_layout():
    names = [a.name for a in ATTRIBUTORS]
    assert len(set(names)) == len(names)
    assert names.index("transcript_turn") < names.index("reporting_cue") < names.index("clause_agent")


def test_a_row_names_the_attributor_that_found_its_speaker(nlp, quote_filter):
    row = quotes_of(nlp, quote_filter, SAID)[0]
    assert (row["speaker"], row["attributed_by"]) == ("Anna Berg", "reporting_cue")


def test_an_attributor_put_first_answers_before_the_cue(nlp, quote_filter):
    registry = (attributor("the_mayor")(says("the mayor")),) + ATTRIBUTORS
    row = quotes_of(nlp, quote_filter, SAID, registry)[0]
    assert (row["speaker_mention"], row["speaker"], row["attributed_by"]) == ("the mayor", None, "the_mayor")


def test_an_attributor_put_last_answers_only_where_the_others_pass(nlp, quote_filter):
    registry = ATTRIBUTORS + (attributor("the_mayor")(says("the mayor")),)
    assert quotes_of(nlp, quote_filter, SAID, registry)[0]["attributed_by"] == "reporting_cue"
    row = quotes_of(nlp, quote_filter, "The night was cold.", registry, title=NO_CUE)[0]
    assert (row["speaker_mention"], row["attributed_by"]) == ("the mayor", "the_mayor")


def test_a_quote_nobody_answers_for_has_no_provenance(nlp, quote_filter):
    rows = quotes_of(nlp, quote_filter, "The night was cold.", title=NO_CUE)
    assert [(r["text"], r["speaker"], r["attributed_by"]) for r in rows] == [
        ("We will rebuild it before the winter", None, None)]


@pytest.mark.parametrize("body, quote_type, attributed_by", [
    ('Tom Hale said the board would meet again next week.', "indirect", "reported_speech"),
    ('"We will rebuild the bridge," Anna Berg said. The crowd cheered.\n\n'
     '"And we will do it before the winter comes, and nobody will stop us."',
     "direct", "floating"),
    ('"We will rebuild the bridge before the winter comes." \u2015 Anna Berg', "direct", "dash_signature"),
])
def test_reported_floating_and_layout_rows_say_how_they_were_attributed(nlp, quote_filter, body, quote_type, attributed_by):
    rows = [r for r in quotes_of(nlp, quote_filter, body) if r["quote_type"] == quote_type]
    assert rows[-1]["attributed_by"] == attributed_by and rows[-1]["speaker"] in ("Tom Hale", "Anna Berg")
