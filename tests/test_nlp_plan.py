"""Selective annotation: what gets parsed, and that the Docs still look like the full pipeline's."""
from datetime import datetime, timezone

import pytest
from spacy.tokens import Doc

from tests.conftest import EURONEWS_SEED, KAZAKH_SEED
from transforms import nlp_plan
from transforms.extract import extract_article, extract_rows, field_texts
from transforms.ingest import ingest_frames
from transforms.quotes import CUE_LEMMAS

NEWS = (
    "The council met on Monday. Its budget was cut by 4%.\n\n"
    "\u201cWe will not give up,\u201d Anna Berg said.\n\n"
    "Tom Hale, a spokesman, insisted that the plan would work.\n\n"
    "Rain is expected on Tuesday. Roads stay open.\n\n"
    "The mayor put it this way:\n\n"
    "\u201cSchools first.\u201d"
)


@pytest.fixture(scope="module")
def cue_forms(nlp):
    return nlp_plan.model_cue_forms(nlp)


@pytest.fixture(scope="module")
def seeds():
    articles, _ = ingest_frames([(p.name, p.read_bytes()) for p in (KAZAKH_SEED, EURONEWS_SEED)],
                                datetime.now(timezone.utc))
    return articles


def test_the_plan_knows_every_quotation_mark_the_quote_extraction_uses():
    from transforms.quotes import segments
    marks = {chr(c) for c in range(0x2100) if segments.MARKS.match(chr(c))}
    single = {chr(c) for c in range(0x2100) if segments.SINGLE_MARKS.match(chr(c))}
    assert marks == nlp_plan.DOUBLE_MARKS and single == nlp_plan.SINGLE_MARKS


def test_cue_forms_hold_the_inflections_of_the_cue_lemmas(cue_forms):
    assert {"said", "says", "saying", "told", "tells", "insisted", "wrote", "written", "added", "warns"} <= cue_forms
    assert not {"the", "president", "sale", "tolerant"} & cue_forms


def test_every_cue_the_full_pipeline_finds_has_a_planned_word_form(nlp, cue_forms, seeds):
    """The guarantee the plan rests on: a token whose lemma makes it a cue is one of the forms."""
    texts = list(field_texts(seeds["title"].to_list(), seeds["body"].to_list())) + [NEWS]
    cues = [t for doc in nlp.pipe(texts) for t in doc
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in CUE_LEMMAS]
    assert len(cues) > 10
    assert [t.text for t in cues if t.lower_ not in cue_forms] == []


def test_units_cut_lines_and_sentences_but_not_abbreviations(nlp):
    doc = nlp.make_doc('He left. "Yes," she said.\n\nSen. Bernie Sanders (Vt.) spoke. The U.S. agreed')
    texts = [doc[s:e].text_with_ws for s, e in nlp_plan.units(doc)]
    assert texts == ["He left. ", '"Yes," she said.\n\n', "Sen. Bernie Sanders (Vt.) spoke. ", "The U.S. agreed"]
    assert nlp_plan.units(doc)[-1][1] == len(doc)


def test_tag_runs_pick_quotes_cues_colon_intros_and_person_names(nlp, cue_forms):
    doc = next(nlp.pipe([NEWS], disable=list(nlp_plan.PARSE_STAGE)))
    parsed = " ".join(doc[s:e].text for s, e in nlp_plan.tag_runs(doc, cue_forms))
    assert "We will not give up" in parsed                       # quotation mark
    assert "insisted that the plan would work" in parsed         # cue word, and a person
    assert "The mayor put it this way:" in parsed                 # colon introducing a quote
    assert "Schools first." in parsed
    assert "Rain is expected" not in parsed and "Its budget" not in parsed


def test_a_picked_unit_gets_a_tree_only_where_its_tags_call_for_one(nlp, cue_forms):
    text = ("NATO met in Brussels.\n\nThe state budget grew.\n\nOfficials said the budget would grow.\n\n"
            "NATO spent more.\n\nNATO beat Russia at chess.")
    doc = nlp_plan.annotate(nlp, [text], [False], cue_forms)[0]
    lines = {line.text.strip(): line for line in _lines(doc)}
    state, said = lines["The state budget grew."], lines["Officials said the budget would grow."]
    assert all(t.tag_ for t in state) and not any(t.dep_ for t in state)   # "state" is a noun: no cue, no tree
    assert state[1].pos_ == "NOUN"
    assert all(t.dep_ for t in said if not t.is_space) and said[1].dep_ == "ROOT"
    repeat = lines["NATO spent more."]
    assert repeat[0].pos_ == "PROPN" and not any(t.dep_ for t in repeat)   # a repeated name needs its tag only
    assert lines["NATO beat Russia at chess."][1].dep_ == "ROOT"             # a sports verb: teams read the tree


def test_a_person_name_gets_a_tree_only_where_a_reader_of_the_tree_may_come_to_it(nlp, cue_forms):
    texts = [
        # no pronoun after the name, no title beside it: its tags are enough
        "Tony Blair visited Leeds on Monday.\n\nThe weather was fine.",
        # a pronoun speaker after it: the name may be its antecedent, and salience is read from the tree
        "Tony Blair visited Leeds on Monday.\n\n\u201cIt went well,\u201d he said.",
        # a pronoun inside the quote is no speaker
        "Tony Blair visited Leeds on Monday.\n\n\u201cHe liked it,\u201d an aide said.",
        # a title in apposition (quotes.speakers.title_map reads it from the tree)
        "Tony Blair, the inventor of the device, visited Leeds on Monday.\n\nThe weather was fine.",
        # an organisation's possessive before a name (entities._person_by_syntax)
        "The panel chose CNN's Anderson Cooper on Monday.\n\nThe weather was fine.",
    ]
    docs = nlp_plan.annotate(nlp, texts, [False] * len(texts), cue_forms)
    first = [next(_lines(doc)) for doc in docs]
    assert all(any(e.label_ == "PERSON" for e in line.ents) for line in first)
    assert [all(t.tag_ for t in line) for line in first] == [True] * 5
    assert [any(t.dep_ for t in line) for line in first] == [False, True, False, True, True]


def _lines(doc):
    start = 0
    for tok in doc:
        if "\n" in tok.text or tok.i == len(doc) - 1:
            yield doc[start:tok.i + 1]
            start = tok.i + 1


def test_annotated_docs_keep_text_offsets_and_entities_of_the_full_pipeline(nlp, cue_forms, seeds):
    texts = list(field_texts(seeds["title"].to_list(), seeds["body"].to_list())) + [NEWS]
    full = list(nlp.pipe(texts))
    planned = nlp_plan.annotate(nlp, texts, [i % 2 == 0 for i in range(len(texts))], cue_forms)
    for f, p in zip(full, planned, strict=True):
        assert p.text == f.text
        assert [(t.idx, t.text) for t in p] == [(t.idx, t.text) for t in f]
        assert [(e.start_char, e.end_char, e.label_) for e in p.ents] == [(e.start_char, e.end_char, e.label_) for e in f.ents]


def test_parsed_tokens_carry_the_full_pipelines_annotations(nlp, cue_forms, seeds):
    texts = list(field_texts(seeds["title"].to_list(), seeds["body"].to_list())) + [NEWS]
    full = list(nlp.pipe(texts))
    planned = nlp_plan.annotate(nlp, texts, [i % 2 == 0 for i in range(len(texts))], cue_forms)
    tagged = [(f[t.i], t) for f, p in zip(full, planned) for t in p if t.tag_]
    parsed = [(a, b) for a, b in tagged if b.dep_]
    assert len(parsed) > 500
    assert sum((a.tag_, a.pos_, a.lemma_) == (b.tag_, b.pos_, b.lemma_) for a, b in tagged) / len(tagged) > 0.99
    same = sum((a.tag_, a.pos_, a.lemma_, a.dep_, a.head.i) == (b.tag_, b.pos_, b.lemma_, b.dep_, b.head.i)
               for a, b in parsed)
    assert same / len(parsed) > 0.99


def test_the_memo_of_ruler_and_lemmatizer_changes_no_annotation(nlp, cue_forms, seeds, monkeypatch):
    texts = list(field_texts(seeds["title"].to_list(), seeds["body"].to_list())) + [NEWS]
    single = [i % 2 == 0 for i in range(len(texts))]
    assert nlp_plan.for_pipeline(nlp) is not None
    memo = nlp_plan.annotate(nlp, texts, single, cue_forms)
    monkeypatch.setattr(nlp_plan, "for_pipeline", lambda nlp: None)   # the two components run as spaCy has them
    plain = nlp_plan.annotate(nlp, texts, single, cue_forms)
    attrs = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_TYPE", "ENT_IOB"]
    assert sum(len(doc) for doc in memo) > 1000
    for a, b in zip(memo, plain, strict=True):
        assert (a.to_array(attrs) == b.to_array(attrs)).all()


def test_unparsed_tokens_have_no_parse_but_a_usable_doc(nlp, cue_forms):
    text = "That\u2019s the weather. Rain is expected on Tuesday.\n\nRoads stay open."   # no quote, cue or name
    doc = nlp_plan.annotate(nlp, [text], [False], cue_forms)[0]
    assert all(t.dep_ == "" and t.tag_ == "" and t.head.i == t.i for t in doc)
    assert [s.text_with_ws for s in doc.sents] == ["That\u2019s the weather. ", "Rain is expected on Tuesday.\n\n", "Roads stay open."]
    for tok in doc:   # subtree edges are valid (the tokenizer's special cases leave stale ones)
        assert tok.left_edge.i <= tok.i <= tok.right_edge.i
        assert list(tok.children) == []


def test_empty_texts_and_text_without_anything_to_parse(nlp, cue_forms):
    docs = nlp_plan.annotate(nlp, ["", "Rain.", "\u201cYes.\u201d"], [True, False, False], cue_forms)
    assert [d.text for d in docs] == ["", "Rain.", "\u201cYes.\u201d"]
    assert isinstance(docs[0], Doc) and docs[2][1].tag_


def test_extract_rows_give_the_rows_of_the_full_pipeline_on_the_seeds(nlp, quote_filter, seeds):
    ids_, titles, bodies = (seeds[c].to_list() for c in ("article_id", "title", "body"))
    entities, quotes = extract_rows(nlp, quote_filter, ids_, titles, bodies)
    full_entities, full_quotes = [], []
    texts = list(field_texts(titles, bodies))
    docs = list(nlp.pipe(texts))
    for i, article_id in enumerate(ids_):
        e, q = extract_article(article_id, docs[2 * i], docs[2 * i + 1], quote_filter)
        full_entities += e
        full_quotes += q
    assert quotes == full_quotes
    assert entities == full_entities
