"""Word lists as data: one TOML file per lexicon in this folder, each list keyed by language.

A lexicon file (`<lexicon>.toml`) holds named lists; each list is a table keyed by language code
(`en`, `fr`, `es`, ...; `any` for names and symbols that belong to no language). A value is
- a string: words separated by white space (`"by from von"`);
- an array: phrases or regular-expression patterns, which may hold spaces. Patterns are TOML
  literal strings ('...', where a backslash is a backslash); a pattern's alternatives are
  written one a line and joined with `|` in code;
- a table: labelled entries (label -> a string or an array), or, in `calendar.toml`, numbered
  forms (form -> number: `sept = 9`).
A word or phrase is written once, in the list that says what it is; the code builds the sets
and regexes it needs from these lists (`transforms/clean/`, `transforms/dates.py`). Where a
maintained package holds a list, it is read from there instead: month and weekday names come
from CLDR through babel (`cldr.py`), and a lexicon file keeps only what CLDR lacks. The files
count in the code fingerprint, so changing a list re-cleans the corpus.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import tomllib

FOLDER = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict:
    """The parsed file `<name>.toml` of this folder (read once; treat it as read-only)."""
    with open(FOLDER / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def _items(value: str | list) -> list:
    return value.split() if isinstance(value, str) else list(value)


def entries(name: str, list_name: str, *languages: str) -> tuple[str, ...]:
    """The entries of one list in `languages` (default: every language of the list, in file
    order), in order."""
    by_language = lexicon(name)[list_name]
    return tuple(item for lang in languages or by_language for item in _items(by_language[lang]))


def words(name: str, list_name: str, *languages: str) -> frozenset[str]:
    """The entries of one list as a set (see `entries`)."""
    return frozenset(entries(name, list_name, *languages))


def alternatives(name: str, list_name: str, *languages: str) -> str:
    """A list of patterns as one regex alternation (`a|b|c`), without a group around it."""
    return "|".join(entries(name, list_name, *languages))


def labelled(name: str, list_name: str) -> tuple[tuple[str, str], ...]:
    """(entry, label) of a list of labelled entries, in file order (language, label, entry)."""
    return tuple((item, label) for table in lexicon(name)[list_name].values()
                 for label, value in table.items() for item in _items(value))


def records(name: str, list_name: str) -> tuple[dict, ...]:
    """The tables of a list written as arrays of tables (`[[list.en]]`), in file order."""
    return tuple(record for tables in lexicon(name)[list_name].values() for record in tables)


def numbered(name: str, list_name: str, *languages: str) -> dict[str, int]:
    """Form -> number of a list of numbered forms (`[months.en]`, `sept = 9`) in `languages`
    (default: every language of the list), in file order."""
    tables = lexicon(name).get(list_name, {})
    return {form: number for lang in languages or tables for form, number in tables[lang].items()}
