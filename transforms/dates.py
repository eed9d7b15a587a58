"""The publication date a dateline or byline line states: "Published 12 March 2024",
"Updated: Mar. 3, 2024, 9:02 AM", "By Jane Doe | 2024-03-12T10:00:00Z", "LONDON 1996-08-30".

The same in German, French, Spanish, Italian, Portuguese, Polish and Dutch: "Veröffentlicht am
12. März 2024", "Publié le 3 mars 2024", "Opublikowano: 12 marca 2024", "Atualizado em 12/03/2024".

Only a full date (day, month and year) is a date: "March 12" or "3 hours ago" say nothing about
the year, and "03/04/2024" could be March or April, so they give None rather than a guess, unless
the line is written in a language that puts the day first (every one of those but English:
"Atualizado em 03/04/2024" is 3 April). The month names come from CLDR (transforms/lexicons/cldr.py),
the published and updated words from transforms/lexicons/datelines.toml.
"""
from __future__ import annotations

from datetime import date
import re

from transforms.lexicons import entries, lexicon
from transforms.lexicons.cldr import calendar_names

# Month names and abbreviations of every language CLDR gives (lexicons/cldr.py), lower case: a
# month is only read between a day and a year, so every language's abbreviations are safe here.
_MONTHS = calendar_names("months")
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
_PATTERNS = [
    # 2024-03-12, 2024/03/12, 2024.03.12, 2024-03-12T10:00:00Z
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?!\d)")),
    # 12 March 2024, 12th of March, 2024, 12 de marzo de 2024, 12. März 2024
    ("dmy", re.compile(r"(?<!\d)" + _DAY.format("d") + r"\s*(?:of\s+|de\s+)?(?P<mon>" + _MONTH + r")\b\.?,?\s*(?:del?\s+)?"
                       + _YEAR.format("y") + r"(?!\d)", re.I)),
    # March 12, 2024; Mar. 12 2024
    ("mdy", re.compile(r"(?<![\w])(?P<mon>" + _MONTH + r")\b\.?\s+" + _DAY.format("d") + r",?\s+"
                       + _YEAR.format("y") + r"(?!\d)", re.I)),
    # 12.03.2024 (day first wherever dots are written); 12/03/2024 and 03-12-2024 only when one
    # of the two numbers cannot be a month
    ("numeric", re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)")),
]
_PUBLISHED = re.compile(r"\b(" + "|".join(map(re.escape, entries("datelines", "published"))) + r")\b", re.I)
_UPDATED = re.compile(r"\b(" + "|".join(map(re.escape, entries("datelines", "updated"))) + r")\b", re.I)
_WORD = re.compile(r"\w+")
_DATELINE_LISTS = ("published", "updated", "time_words", "relative_days", "ago_words")


def _dateline_words(english: bool) -> frozenset[str]:
    """The words of three letters or more of datelines.toml's published, updated and time lists,
    of English (and of no language: clock and zones), or of every other language (not their
    function words: "de", "le", "o")."""
    return frozenset(word for list_name in _DATELINE_LISTS for lang in lexicon("datelines")[list_name]
                     if (lang in ("en", "any")) == english
                     for phrase in entries("datelines", list_name, lang) for word in _WORD.findall(phrase)
                     if len(word) >= 3)


# The dateline words of the languages that write the day first (all but English), less the words
# English shares: a line holding one reads 12/03/2024 as 12 March ("Atualizado em 12/03/2024").
_DAY_FIRST_WORDS = _dateline_words(english=False) - _dateline_words(english=True)


def stated_dates(text: str) -> list[tuple[int, date]]:
    """Every full date written in `text`, as (position, date), in text order."""
    found: list[tuple[int, int, date]] = []
    day_first = not _DAY_FIRST_WORDS.isdisjoint(_WORD.findall(text.lower()))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            day = _to_date(kind, m, day_first)
            if day is not None and not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), day))
    return [(start, day) for start, _, day in sorted(found)]


def published_date(text: str | None) -> date | None:
    """The date a line says the article was published: the first date after "Published" or
    "Posted" when the line has them, else the first date not introduced by "Updated", else the
    first date; None when it states no full date."""
    if not text:
        return None
    dates = stated_dates(text)
    if not dates:
        return None
    published = _PUBLISHED.search(text)
    if published:
        after = [d for pos, d in dates if pos >= published.end()]
        if after:
            return after[0]
    updated = _UPDATED.search(text)
    if updated:
        before = [d for pos, d in dates if pos < updated.start()]
        if before:
            return before[0]
    return dates[0][1]


def publication_date(lines: list[str]) -> date | None:
    """The publication date of an article from its dateline and byline lines, most telling
    first: a line that says "Published" wins over one that only states a date."""
    for line in lines:
        if _PUBLISHED.search(line) and (day := published_date(line)):
            return day
    return next((day for line in lines if (day := published_date(line))), None)


def _to_date(kind: str, m: re.Match, day_first: bool) -> date | None:
    year = int(m.group("y"))
    if kind == "numeric":
        a, b = int(m.group("a")), int(m.group("b"))
        if m.group("sep") == ".":
            day, month = a, b
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b or day_first:
            day, month = a, b
        else:
            return None                 # 03/04/2024 in English: March or April, we cannot tell
    else:
        day = int(m.group("d"))
        month = int(m.group("m")) if kind == "ymd" else _MONTHS[m.group("mon").lower()]
    try:
        return date(year, month, day)
    except ValueError:
        return None
