"""Tests of transforms.lexicons: the word lists as data and their one loader."""
import re

import pytest

from transforms import lexicons
from transforms.lexicons import cldr
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
                            ("datelines", "relative_time")]:
        re.compile(lexicons.alternatives(name, list_name))
    for entry in lexicons.records("page_furniture", "line_start"):
        re.compile("|".join(entry["pattern"]))


def test_entries_keep_file_order_and_split_word_strings():
    assert lexicons.entries("bylines", "openers")[:3] == ("by", "from", "written by")
    assert lexicons.entries("bylines", "openers", "fr")[0] == "par"
    assert lexicons.entries("datelines", "published", "en") == ("published", "posted")
    assert lexicons.entries("datelines", "updated", "fr") == ("mis à jour", "modifié")
    assert "you" in lexicons.words("function_words", "function_words", "en")
    assert "you" not in lexicons.words("function_words", "function_words", "de")


def test_labelled_entries_carry_their_label():
    words = dict(lexicons.labelled("page_furniture", "words"))
    assert words["newsletter"] == "subscription prompt" and words["teilen"] == "share button"
    assert lexicons.labelled("page_furniture", "substrings")[0] == ("copy to clipboard", "share button")


def test_month_names_come_from_cldr_in_every_language():
    months = cldr.calendar_names("months")
    assert (months["january"], months["sept"], months["märz"], months["décembre"], months["mei"]) == (1, 9, 3, 12, 5)
    assert months["marca"] == months["marzec"] == months["mar"] == 3       # Polish genitive and nominative
    assert months["janv"] == 1 and months["set"] == 9 and months["sty"] == 1
    for lang in cldr.languages():
        assert sorted(set(cldr.calendar_names("months", (lang,)).values())) == list(range(1, 13)), lang
    assert cldr.calendar_names("weekdays", ("en",))["thurs"] == 4          # calendar.toml adds what CLDR lacks
    assert cldr.calendar_names("weekdays")["lundi"] == cldr.calendar_names("weekdays")["poniedziałek"] == 1


def test_abbreviations_only_when_asked():
    english = cldr.calendar_names("months", ("en",))
    assert english["sep"] == english["sept"] == english["september"] == 9 and "marca" not in english
    names = cldr.calendar_names("months", abbreviations=False)
    assert names["marca"] == 3 and "set" not in names and "janv" not in names and "sept" not in names
    assert "mo" not in cldr.calendar_names("weekdays")                      # two letters: too short to tell


def test_dates_read_the_month_names_of_the_calendar():
    assert published_date("Publicado el 3 de septiembre de 2024").isoformat() == "2024-09-03"
    assert published_date("Sept. 3, 2024").isoformat() == "2024-09-03"


def test_a_lexicon_is_read_once():
    assert lexicons.lexicon("calendar") is lexicons.lexicon("calendar")
    assert cldr.calendar_names("months") is cldr.calendar_names("months")


@pytest.mark.parametrize("name", FILES)
def test_no_word_is_listed_twice_in_one_list(name):
    for list_name, by_language in lexicons.lexicon(name).items():
        for lang, value in by_language.items():
            if isinstance(value, str) or isinstance(value, list) and all(isinstance(v, str) for v in value):
                items = lexicons.entries(name, list_name, lang)
                assert len(items) == len(set(items)), (name, list_name, lang)


@pytest.mark.parametrize("name", ["countries", "calendar"])
def test_a_lexicon_counts_in_the_code_fingerprint(tmp_path, monkeypatch, name):
    from flows import store

    shipped = lexicons.FOLDER / f"{name}.toml"
    copy = tmp_path / "transforms" / "lexicons" / shipped.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(shipped.read_bytes())
    monkeypatch.setattr(store, "_REPO_CODE", tmp_path)
    before = store.code_fingerprint().transforms
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert store.code_fingerprint().transforms != before
