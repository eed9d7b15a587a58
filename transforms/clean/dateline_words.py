"""What a dateline is made of, in every language of the pages: month and weekday names (CLDR,
transforms/lexicons/cldr.py) and the published, updated, clock, relative-time and other words of
transforms/lexicons/datelines.toml.

A line is dated (`is_dated`) when it holds a date or a time: a published or updated word, a
numeric date or clock time, a month name with a number, or a relative time ("3 hours ago",
"vor 3 Stunden", "il y a 2 heures"). It is a dateline when, besides that, it holds few words
that are not dateline words of one language (`other_words`): one language at a time, so
that Spanish "las" does not make "Fortinet Accelerate: March 9-13, 2026 | Las Vegas, NV" a
dateline.

English keeps its looser tests: any English month form with any number dates a line, and an
English published or updated word dates it without a number ("Posted in News"). Another
language's month name dates a line only next to a day or a year ("3 mars", "mars 2024"; not
"NEBULA MARS 3"), and its published words only with a number ("wurde veröffentlicht" is prose).
"""
from __future__ import annotations

from collections.abc import Collection
import re

from transforms.clean.lines import DIGIT, WORD
from transforms.lexicons import alternatives, entries, lexicon, words
from transforms.lexicons.cldr import calendar_names, languages as cldr_languages

_LISTS = ("published", "updated", "time_words", "relative_days", "ago_words", "other_words")
LANGUAGES = tuple(dict.fromkeys(list(cldr_languages()) + [lang for name in _LISTS for lang in lexicon("datelines")[name]
                                                          if lang != "any"]))


def _month_forms(lang: str) -> frozenset[str]:
    """A language's month names (English's with its abbreviations: lexicons/cldr.py says why)."""
    return frozenset(calendar_names("months", (lang,), abbreviations=lang == "en"))


def _weekday_words(lang: str) -> frozenset[str]:
    """The words of a language's weekday names ("segunda-feira": "segunda", "feira")."""
    forms = calendar_names("weekdays", (lang,), abbreviations=lang == "en")
    return frozenset(w for form in forms for w in WORD.findall(form))


def _listed(list_name: str, lang: str) -> frozenset[str]:
    """The words of a list of datelines.toml in one language (a phrase's words one by one)."""
    if lang not in lexicon("datelines")[list_name]:
        return frozenset()
    return frozenset(w for phrase in entries("datelines", list_name, lang) for w in WORD.findall(phrase))


def _vocabulary(lang: str) -> frozenset[str]:
    """Every word a dateline in `lang` may hold besides numbers."""
    return (_month_forms(lang) | _weekday_words(lang) | words("datelines", "time_words", "any")
            | frozenset().union(*(_listed(name, lang) for name in _LISTS)))


VOCABULARIES = tuple(_vocabulary(lang) for lang in LANGUAGES)
ALL_WORDS = frozenset().union(*VOCABULARIES)
ENGLISH_MONTHS = _month_forms("en")
# Month forms a byline's name stops at before a number: every language's names, English's abbreviations.
MONTH_NAMES = ENGLISH_MONTHS | frozenset(calendar_names("months", abbreviations=False))
_FOREIGN_MONTHS = "|".join(sorted(map(re.escape, MONTH_NAMES - ENGLISH_MONTHS), key=len, reverse=True))
_FOREIGN_MONTH_DATE = re.compile(
    rf"(?<![\w.])(?:3[01]|[12]\d|0?[1-9])(?:er|º|\.)?\s*(?:de\s+)?(?:{_FOREIGN_MONTHS})(?!\w)"
    rf"|(?<!\w)(?:{_FOREIGN_MONTHS})\s+(?:de\s+)?(?:19|20)\d\d(?!\d)")
# Published and updated words: one word, or a phrase ("mis à jour").
DATE_PHRASES = entries("datelines", "published") + entries("datelines", "updated")
KEYWORDS = frozenset(p for p in DATE_PHRASES if " " not in p)
_ENGLISH_KEYWORDS = frozenset(entries("datelines", "published", "en") + entries("datelines", "updated", "en"))
_RELATIVE_DAYS = words("datelines", "relative_days")
# Words that date a line with any number in it: "ago" words, and English "today" and "yesterday"
# (as before). "Heute" or "hoy" are too common in headings ("Wirtschaftspolitik 1949 bis heute"):
# they only count as dateline words; "heute, 18:30" is dated by its clock time.
_RELATIVE_WORDS = words("datelines", "relative_days", "en") | words("datelines", "ago_words")
_RELATIVE = re.compile(alternatives("datelines", "relative_time"))
# (digit-led patterns: the regex engine then skips quickly to the digits)
_NUMDATE = re.compile(r"[0-9](?:[0-9]{0,3}[./-][0-9]{1,2}[./-][0-9]{2,4}\b|[0-9]?:[0-9]{2}"
                      r"|[0-9]{3}\s*[年년]|[0-9]?\s*[月월일日])")
# A month in a dateline, before or after the day ("Jan. 12", "12 Sept", "12. März", "3 mars"): a
# dot may follow an abbreviation.
_WIDE = frozenset(calendar_names("months", abbreviations=False))
_MONTH = "(" + "|".join(re.escape(m) + ("" if m in _WIDE else r"\.?")
                        for m in sorted(MONTH_NAMES, key=len, reverse=True)) + ")"
# Where the date of a dateline starts ("Associated Press November 19, 2019" -> "November").
DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|"
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTH}(?!\w)|\b\d{{1,2}}:\d{{2}}\b|"
    + alternatives("datelines", "relative_time") + r"|\b(" + "|".join(sorted(_RELATIVE_DAYS)) + r")\b|"
    r"\d{4}年|\d{4}년|\b(last modified|" + "|".join(map(re.escape, DATE_PHRASES)) + r")\b", re.I)


def is_dated(text: str, low: str, words: Collection[str]) -> bool:
    """The line holds a date or time (month name and number, 19/11/2019, 9:02, '3 hours ago',
    'vor 3 Stunden', 'Publié le 3 mars'); `words`: its words (the first 80), lower case."""
    if not _ENGLISH_KEYWORDS.isdisjoint(words):
        return True
    if not DIGIT.search(text):
        return False
    return (not ENGLISH_MONTHS.isdisjoint(words) or not KEYWORDS.isdisjoint(words)
            or not _RELATIVE_WORDS.isdisjoint(words) or _NUMDATE.search(text) is not None
            or _FOREIGN_MONTH_DATE.search(low) is not None or _RELATIVE.search(low) is not None)


def other_words(toks: list[str]) -> int:
    """How many words of the line are neither numbers nor dateline words, in the language that
    leaves fewest."""
    words_ = [t for t in toks if not t.isdigit() and not DIGIT.match(t)]
    return min(sum(t not in vocabulary for t in words_) for vocabulary in VOCABULARIES)
