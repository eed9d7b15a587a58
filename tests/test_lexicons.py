"""Tests of transforms.lexicons: the word lists as data and their one loader."""
import re

import pytest

from transforms import lexicons
from transforms.dates import published_date

FILES = sorted(p.stem for p in lexicons.FOLDER.glob("*.toml"))
LANGUAGE = re.compile(r"^(?:[a-z]{2}|any)$")


def test_every_list_is_keyed_by_language():
    assert "calendar" in FILES and "page_furniture" in FILES
    for name in FILES:
        for list_name, by_language in lexicons.lexicon(name).items():
            assert isinstance(by_language, dict), (name, list_name)
            assert all(LANGUAGE.match(lang) for lang in by_language), (name, list_name, list(by_language))


def test_patterns_compile():
    for name, list_name in [("end_of_article", "headings"), ("bylines", "openers"), ("credits", "credit_line_start"),
                            ("calendar", "month_in_dateline")]:
        re.compile(lexicons.alternatives(name, list_name))
    for entry in lexicons.records("page_furniture", "line_start"):
        re.compile("|".join(entry["pattern"]))


def test_entries_keep_file_order_and_split_word_strings():
    assert lexicons.entries("bylines", "openers")[:3] == ("by", "from", "written by")
    assert lexicons.entries("bylines", "openers", "fr") == ("par",)
    assert lexicons.entries("datelines", "keywords") == ("published", "updated", "posted", "modified")
    assert "you" in lexicons.words("function_words", "function_words", "en")
    assert "you" not in lexicons.words("function_words", "function_words", "de")


def test_labelled_entries_carry_their_label():
    words = dict(lexicons.labelled("page_furniture", "words"))
    assert words["newsletter"] == "subscription prompt" and words["teilen"] == "share button"
    assert lexicons.labelled("page_furniture", "substrings")[0] == ("copy to clipboard", "share button")


def test_month_names_are_numbered_in_every_language():
    months = lexicons.numbered("calendar", "months")
    assert (months["january"], months["sept"], months["märz"], months["décembre"], months["mei"]) == (1, 9, 3, 12, 5)
    for lang, table in lexicons.lexicon("calendar")["months"].items():
        assert all(len(forms) == 12 for forms in table.values()), lang
    assert lexicons.numbered("calendar", "weekdays", "en")["thurs"] == 4


def test_dates_read_the_month_names_of_the_calendar():
    assert published_date("Publicado el 3 de septiembre de 2024").isoformat() == "2024-09-03"
    assert published_date("Sept. 3, 2024").isoformat() == "2024-09-03"


def test_a_lexicon_is_read_once():
    assert lexicons.lexicon("calendar") is lexicons.lexicon("calendar")


@pytest.mark.parametrize("name", FILES)
def test_no_word_is_listed_twice_in_one_list(name):
    for list_name, by_language in lexicons.lexicon(name).items():
        for lang, value in by_language.items():
            if isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value):
                items = lexicons.entries(name, list_name, lang)
                assert len(items) == len(set(items)), (name, list_name, lang)
