"""Country names and nationality words (casefolded), with the short and older forms news uses.

Why a list: a sports team named after its town or state is an organisation ("Atlanta 6 Chicago
5"), a national team is its country ("Romania beat Lithuania"), and the small spaCy model calls
both GPE. The names are ISO 3166's, from pycountry (current and former countries, their
dependencies, which field teams too), less the few that are no country (Antarctica), plus the
forms of lexicons/countries.toml that ISO lacks ("Britain", the home nations); no towns.
Nationalities come from that file alone: no package holds them.
"""
import re
import unicodedata

import pycountry

from transforms.lexicons import entries

_PARENTHESES = re.compile(r"\s*\([^)]*\)")
# Plural nationality nouns take -s, except words that are already plural or take -es.
_NO_PLURAL = ("sh", "ch", "ese", "s", "x")


def _forms(iso_name: str) -> set[str]:
    """The forms news writes of one ISO name: without a bracket ("Falkland Islands (Malvinas)"),
    the short name before ISO's inverting comma ("Korea, Republic of"), with and without
    accents ("Côte d'Ivoire", "Cote d'Ivoire")."""
    name = _PARENTHESES.sub("", iso_name).split(",")[0].strip().casefold()
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return {name, plain}


def _iso_names() -> set[str]:
    """Name, official name and common name of every current country, and former countries' names."""
    out = set()
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if value := getattr(country, attribute, None):
                out |= _forms(value)
    for former in pycountry.historic_countries:
        out |= _forms(former.name)
    return out


def _with_plurals(words: tuple[str, ...]) -> frozenset[str]:
    """The words and their plurals ("Kenyans", "South Africans"; not "Swisses")."""
    return frozenset(words) | {word + "s" for word in words if not word.endswith(_NO_PLURAL)}


COUNTRIES = frozenset(_iso_names() - set(entries("countries", "not_countries"))
                      | set(entries("countries", "country_names")))
# The nationalities alone: safe to find where the model missed them.
NATIONALITIES = _with_plurals(entries("countries", "nationalities") + entries("countries", "nationality_phrases")) - COUNTRIES
# Nationalities, peoples and religions (OntoNotes NORP).
NORP_NAMES = NATIONALITIES | (_with_plurals(entries("countries", "peoples_and_religions")) - COUNTRIES)
