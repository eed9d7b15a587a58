"""Month and weekday names of the languages news pages come in, from CLDR through babel (its
locale data ships inside the package: no network, nothing downloaded), plus the few forms CLDR
lacks (calendar.toml). Lower case, accents as CLDR writes them.

- Wide names, in format and stand-alone context, of every locale of calendar.toml's
  `cldr_locales` ("march", "märz", Austrian "jänner", Polish "marca" and "marzec", "lunedì",
  "segunda-feira"); a regional locale's names count as its language's.
- Abbreviations: CLDR's abbreviated forms, dots stripped, of at least three letters ("mar",
  "janv", "sty"; not "mo", "di", "wt": too short to tell from a word). A caller says whether it
  takes them: transforms/dates.py takes every language's, since it reads a month only between a
  day and a year ("12 set 2024", "3 janv. 2024"), where a form can only be a month;
  clean/metadata.py takes English's alone, since there a month form in a short line with a number
  makes the line dated, and a three-letter form of another language is often an English word
  ("set", "out", "gen", "lip", "mag"), the language of most pages.
"""
from __future__ import annotations

from functools import lru_cache

from babel import Locale

from transforms.lexicons import entries, lexicon, numbered

_CONTEXTS = ("format", "stand-alone")
_KINDS = {"months": ("months", range(1, 13), 0), "weekdays": ("days", range(7), 1)}
MIN_ABBREVIATION = 3


def languages() -> tuple[str, ...]:
    """The languages whose names CLDR gives (calendar.toml, `cldr_locales`, regions folded)."""
    return tuple(dict.fromkeys(locale.split("_")[0] for locale in entries("calendar", "cldr_locales")))


@lru_cache(maxsize=None)
def calendar_names(kind: str, languages_of: tuple[str, ...] | None = None,
                   abbreviations: bool = True) -> dict[str, int]:
    """Form -> number of `kind` ("months": "marca" -> 3; "weekdays": "lundi" -> 1, Monday first)
    in the languages `languages_of` (None: every language of the list): their wide names, and with
    `abbreviations` their abbreviations and the forms calendar.toml adds. A form that two
    languages give different numbers is left out."""
    taken = languages() if languages_of is None else languages_of
    wide, short = _cldr_forms(kind)
    out: dict[str, int] = {}
    clashes: set[str] = set()
    for lang in taken:
        for form, number in wide.get(lang, []) + (short.get(lang, []) if abbreviations else []):
            if out.setdefault(form, number) != number:
                clashes.add(form)
    extra = [lang for lang in taken if lang in lexicon("calendar").get(kind, {})]
    if abbreviations and extra:
        out.update(numbered("calendar", kind, *extra))
    return {form: number for form, number in out.items() if form not in clashes}


@lru_cache(maxsize=None)
def _cldr_forms(kind: str) -> tuple[dict[str, list[tuple[str, int]]], dict[str, list[tuple[str, int]]]]:
    """(wide names, abbreviations) by language, as (form, number) pairs."""
    attribute, keys, shift = _KINDS[kind]
    wide: dict[str, list[tuple[str, int]]] = {}
    short: dict[str, list[tuple[str, int]]] = {}
    for locale in entries("calendar", "cldr_locales"):
        lang = locale.split("_")[0]
        table = getattr(Locale.parse(locale), attribute)
        for context in _CONTEXTS:
            for key in keys:
                number = key + shift
                wide.setdefault(lang, []).append((table[context]["wide"][key].lower(), number))
                form = table[context]["abbreviated"][key].lower().rstrip(".")
                if len(form) >= MIN_ABBREVIATION:
                    short.setdefault(lang, []).append((form, number))
    return wide, short
