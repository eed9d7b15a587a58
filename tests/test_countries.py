"""Tests of transforms.countries: ISO's country names from pycountry, the forms news adds
(lexicons/countries.toml), and the nationality words."""
from transforms.countries import COUNTRIES, NATIONALITIES, NORP_NAMES


def test_iso_names_in_the_forms_news_writes():
    for name in ("france", "united states of america", "people's republic of china", "kingdom of spain"):
        assert name in COUNTRIES, name
    assert {"korea", "bolivia", "iran", "taiwan"} <= COUNTRIES          # ISO's "Korea, Republic of"...
    assert {"falkland islands", "holy see"} <= COUNTRIES                 # ... "Holy See (Vatican City State)"
    assert {"côte d'ivoire", "cote d'ivoire", "türkiye", "turkiye", "curacao"} <= COUNTRIES
    assert {"czechoslovakia", "zaire", "yugoslavia", "ussr", "burma"} <= COUNTRIES   # former countries


def test_forms_iso_lacks_come_from_the_lexicon():
    assert {"britain", "uk", "russia", "turkey", "ivory coast", "kosovo", "soviet union"} <= COUNTRIES
    assert {"england", "scotland", "wales", "northern ireland"} <= COUNTRIES      # they field national teams


def test_no_towns_or_states():
    assert not {"atlanta", "chicago", "london", "texas", "bavaria", "antarctica"} & COUNTRIES


def test_nationalities_with_their_plurals():
    assert {"kenyan", "kenyans", "south african", "south africans", "swiss", "czechs"} <= NATIONALITIES
    assert "swisses" not in NATIONALITIES and "frenches" not in NATIONALITIES


def test_a_two_word_nationality_leaves_no_fragments():
    assert not {"new", "news", "south", "souths", "sri", "zealander", "zealanders"} & NORP_NAMES


def test_peoples_and_religions_are_norp_but_not_nationalities():
    assert {"muslims", "kurds", "catholic"} <= NORP_NAMES
    assert not {"muslims", "kurds", "catholic"} & NATIONALITIES
    assert NATIONALITIES <= NORP_NAMES


def test_no_name_is_both_a_country_and_a_nationality():
    assert not NORP_NAMES & COUNTRIES
