"""The indexed match step gives exactly the matches of spaCy's AttributeRuler."""
import spacy
from spacy.pipeline import AttributeRuler

from tests.conftest import EURONEWS_SEED, KAZAKH_SEED
from transforms.attribute_match import indexed_match

TRICKY = ("I ain't gonna do it, y'all. Let's go, c'mon! Gotta get 'em. It's doin' nothin' I'd say; he'd had it. "
          "There is a cat. Do you? I did have. She gets what she got. You saw me, and I saw you.\n\n  Ol' times.")


def test_same_matches_as_the_attribute_ruler(nlp):
    ruler = nlp.get_pipe("attribute_ruler")
    match = indexed_match(ruler)
    assert match is not None
    texts = [TRICKY, KAZAKH_SEED.read_text(), EURONEWS_SEED.read_text()]
    docs = list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in docs:
        assert match(doc) == AttributeRuler.match(ruler, doc)
    assert len({m[0] for doc in docs for m in match(doc)}) > 60   # many different patterns took part


def test_the_loaded_model_uses_the_indexed_match(nlp):
    assert "match" in vars(nlp.get_pipe("attribute_ruler"))


def test_patterns_beyond_plain_values_are_left_to_the_matcher():
    ruler = spacy.blank("en").add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"TAG": "DT"})
    assert indexed_match(ruler) is None
    ruler = spacy.blank("en").add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": {">=": 3}}]], {"TAG": "NN"})
    assert indexed_match(ruler) is None
