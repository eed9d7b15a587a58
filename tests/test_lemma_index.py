"""The rule lemmatizer's word lists asked through sets give the lemmas spaCy's own lists give."""
import numpy
import pytest
import spacy
from spacy.attrs import LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from models.nlp import MODEL
from tests.test_token_attributes import _texts
from transforms.lemma_index import MembershipList

INFLECTED = ("The ministers' wives were running faster than the oxen; geese flew over the busiest cities, "
             "and the children's mice had eaten the cheeses. She'd been better, worse, the best of leaves "
             "and lives, analyses and criteria, taxes and taxis, data and media. Wolves howled; knives dulled.")


@pytest.fixture(scope="module")
def pristine():
    """The model as spaCy loads it, lists and all."""
    return spacy.load(MODEL)


def _tagged(doc: Doc) -> Doc:
    """`doc`'s words with its POS and morphology, no lemmas: what the lemmatizer is given."""
    bare = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    if len(doc):
        bare.from_array([TAG, POS, MORPH], doc.to_array([TAG, POS, MORPH]))
    return bare


def test_same_lemmas_as_spacys_lists(nlp, pristine):
    assert isinstance(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index").get("noun"), MembershipList)
    assert type(pristine.get_pipe("lemmatizer").lookups.get_table("lemma_index").get("noun")) is list
    docs = list(nlp.pipe(_texts() + [INFLECTED]))
    ours, theirs = nlp.get_pipe("lemmatizer"), pristine.get_pipe("lemmatizer")
    lemmatised = 0
    for doc in docs:
        got, expected = ours(_tagged(doc)), theirs(_tagged(doc))
        assert numpy.array_equal(got.to_array([LEMMA]), expected.to_array([LEMMA]))
        lemmatised += sum(t.lemma_ != t.lower_ for t in got)
    assert lemmatised > 20   # the rules did work: wives -> wife, running -> run, geese -> goose


def test_a_membership_list_is_the_list_it_was():
    words = ["wife", "goose", "run"]
    indexed = MembershipList(words)
    assert indexed == words and list(indexed) == words and len(indexed) == 3
    assert "goose" in indexed and "geese" not in indexed and 3 not in indexed
    assert ["wife"] not in indexed   # unhashable: compared item by item, no error
