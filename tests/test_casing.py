"""Tests of transforms.casing.title_case, with the settings its two callers pass."""
from transforms.casing import title_case

CLEANER = dict(share=0.85, min_words=4, openers="\"'“‘«(¿¡[-–—", digits=False, all_caps=False)
ENTITIES = dict(share=0.8, min_words=3)


def test_a_headline_is_title_case_and_a_sentence_is_not():
    for settings in (CLEANER, ENTITIES):
        assert title_case("Police Arrest Three After Riverside Protest", **settings)
        assert not title_case("Police arrested three people after the protest on Sunday", **settings)


def test_the_cleaner_reads_a_word_after_a_quotation_mark_and_the_entities_do_not():
    assert title_case("“Brexit Deal” Vote Delayed Again", **CLEANER)
    line = "“brexit “deal” “vote Delayed Again Tonight"   # the quoted words are lower case
    assert not title_case(line, **CLEANER)
    assert title_case(line, **ENTITIES)


def test_the_cleaner_refuses_numbers_and_capitals_throughout():
    assert not title_case("12 March 2024 Election Results Declared Today", **CLEANER)
    assert title_case("12 March 2024 Election Results Declared Today", **ENTITIES)
    assert not title_case("POLICE ARREST THREE AFTER RIVERSIDE PROTEST", **CLEANER)
    assert title_case("POLICE ARREST THREE AFTER RIVERSIDE PROTEST", **ENTITIES)


def test_too_few_long_words_is_not_title_case():
    assert not title_case("Big Win For Leeds", **CLEANER)        # Leeds is the one word of four letters
    assert not title_case("Reds Beat Blues", **CLEANER)          # three long words: the cleaner wants four
    assert title_case("Reds Beat Blues", **ENTITIES)
