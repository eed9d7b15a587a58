"""Metadata in every language of the pages: a dateline, a byline and the publication date in
German, French, Spanish, Italian, Portuguese, Polish and Dutch, each in a form the English-only
lists missed (month names from CLDR, dateline and byline words from lexicons/datelines.toml and
bylines.toml); and the English lines those lists must not start to misread."""
from datetime import date
from pathlib import Path
import tomllib

import pytest

from transforms.clean import clean_text
from transforms.clean.features import described
from transforms.dates import published_date

PAGES = tomllib.loads((Path(__file__).parent / "metadata_pages.toml").read_text(encoding="utf-8"))

# One relative time a line of each language dates itself with.
RELATIVE = {"de": "vor 3 Stunden", "fr": "il y a 2 heures", "es": "hace 3 horas", "it": "3 ore fa",
            "pt": "há 3 horas", "pl": "3 godziny temu", "nl": "3 uur geleden"}


def page(p: dict, byline: str | None = None) -> str:
    """A small web page: site title and menu, the headline, byline, dateline, two paragraphs."""
    return "\n".join([f"{p['headline']} | Nachrichten", "Home", "Politik", "Wirtschaft", "Sport", "",
                      p["headline"], "", byline or p["byline"], p["dateline"], "", p["first"], "", p["second"], "",
                      "© 2024 Example Media"])


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_byline_dateline_and_published_date_in_every_language(lang):
    p = PAGES[lang]
    r = clean_text(page(p))
    assert (r.title, r.byline, r.dateline, r.published) == (p["headline"], p["name"], p["dateline"], p["published"])
    assert r.body == f"{p['first']}\n\n{p['second']}"


@pytest.mark.parametrize("lang, line", sorted(RELATIVE.items()))
def test_a_relative_time_is_a_dateline_without_a_date(lang, line):
    assert described(line)[4] == "dateline"
    assert published_date(line) is None


@pytest.mark.parametrize("line, day", [
    ("Actualizado: 12/03/2024 10:15", date(2024, 3, 12)),         # Spanish: the day comes first
    ("Aggiornato il 3 set 2024 alle 10:15", date(2024, 9, 3)),     # an Italian abbreviation, in a full date
    ("Opublikowano: 12 marca 2024 r.", date(2024, 3, 12)),         # Polish genitive month name
    ("12 de marzo del 2024", date(2024, 3, 12)),
    ("Bijgewerkt op 12-03-2024", date(2024, 3, 12)),
    ("Veröffentlicht am 12. März 2024, 10:15 Uhr", date(2024, 3, 12)),   # read before too
    ("Mis à jour le 1er mars 2024", date(2024, 3, 1)),                   # read before too
])
def test_a_full_date_in_another_language_is_read(line, day):
    assert published_date(line) == day


@pytest.mark.parametrize("line", [
    "03/04/2024",                      # English or unknown: March or April, not guessed
    "Posted 03/04/2024",
    "Set 3 of the 2024 collection",    # a three-letter abbreviation of another language is not a month here
])
def test_an_english_or_unknown_line_is_not_guessed(line):
    assert published_date(line) is None


@pytest.mark.parametrize("line", [
    "Out now: 3 new songs",            # Portuguese "out." (October) is an English word
    "Set of 2 glasses",                # Italian and Portuguese "set" (September)
    "NEBULA MARS 3",                   # French "mars" next to no day and no year
    "Fortinet Accelerate: March 9-13, 2026 | Las Vegas, NV",   # Spanish "las" is no English dateline word
    "Door Locks",                      # Dutch "door" opens a byline only before a person's name
])
def test_words_of_other_languages_do_not_make_an_english_line_metadata(line):
    assert described(line)[4] is None


def test_a_name_that_is_a_month_stays_a_name():
    assert clean_text(page(PAGES["de"], byline="Von Maja Schmidt")).byline == "Maja Schmidt"
    assert clean_text(page(PAGES["fr"], byline="Par Jean Le Gall, le 3 mars 2024")).byline == "Jean Le Gall"
