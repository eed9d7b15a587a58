"""The memo of the attribute ruler and the lemmatizer sets what the two components set."""
from concurrent.futures import ThreadPoolExecutor

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, NORM, TAG
from spacy.tokens import Doc

from tests.conftest import EURONEWS_SEED, KAZAKH_SEED
from tests.test_attribute_match import TRICKY
from transforms.token_attributes import WRITES, TokenAttributes, for_pipeline


def _texts() -> list[str]:
    # "is" after an expletive "There" and "is" elsewhere: one kind, but a longer pattern covers one
    return [TRICKY, "It is here. There is a cat. Here it is.", KAZAKH_SEED.read_text(), EURONEWS_SEED.read_text(),
            "", "\n\n"]


def _bare(doc: Doc, parsed: bool) -> Doc:
    """`doc`'s words with only what the tagger (and the parser) set, as annotate's runs have."""
    columns = [NORM, TAG] + ([HEAD, DEP] if parsed else [])
    bare = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    if len(doc):
        bare.from_array(columns, doc.to_array(columns).reshape(len(doc), -1))
    return bare


@pytest.mark.parametrize("parsed", [False, True])
@pytest.mark.parametrize("memo_size", [200_000, 7])   # 7: the memo starts again, often mid-text
def test_same_attributes_as_the_ruler_and_the_lemmatizer(nlp, parsed, memo_size):
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    memo = TokenAttributes(nlp, memo_size=memo_size)
    full = list(nlp.pipe(_texts(), disable=["ner"]))
    for _ in range(2):   # the second time from the memo
        for doc in full:
            expected = lemmatizer(ruler(_bare(doc, parsed)))
            got = memo(_bare(doc, parsed))
            assert numpy.array_equal(got.to_array(WRITES), expected.to_array(WRITES))
    assert len(memo.memo) <= max(memo_size, max(len(doc) for doc in full))


def test_longer_patterns_count(nlp):
    """The tricky text's two-token patterns ("gonna", "Let's", a parsed "There is") do set
    attributes a token alone would not get: the test above compares them."""
    memo = TokenAttributes(nlp)
    doc = _bare(nlp(TRICKY), parsed=True)
    table = doc.to_array(memo.columns).reshape(len(doc), -1)
    covered = {doc[i].text for i in memo._covered(table)}
    assert {"gon", "na", "'s", "is", "ai", "y'", "c'm", "ta"} <= covered


def test_the_shipped_model_is_memoised(nlp):
    assert isinstance(for_pipeline(nlp), TokenAttributes)


def test_components_beyond_the_memo_run_as_usual():
    blank = spacy.blank("en")
    assert for_pipeline(blank) is None
    lookup = spacy.blank("en")
    lookup.add_pipe("attribute_ruler")
    lookup.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert for_pipeline(lookup) is None
    norms = spacy.blank("en")
    norms.add_pipe("attribute_ruler").add([[{"LOWER": "u"}]], {"NORM": "you"})
    norms.add_pipe("lemmatizer", config={"mode": "rule"})
    assert for_pipeline(norms) is None   # sets an attribute the memo does not keep


def test_threads_sharing_the_memo_get_the_same_attributes(nlp):
    """Two threads of one process (a Dask worker's, tasks without the pool) fill and restart
    one small memo at once."""
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    full = list(nlp.pipe(_texts(), disable=["ner"]))
    expected = [lemmatizer(ruler(_bare(doc, True))).to_array(WRITES) for doc in full]
    memo = TokenAttributes(nlp, memo_size=50)

    def annotate_all(_) -> bool:
        return all(numpy.array_equal(memo(_bare(doc, True)).to_array(WRITES), want)
                   for _ in range(5) for doc, want in zip(full, expected))
    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(annotate_all, range(4)))
