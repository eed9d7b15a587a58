"""The publication date a dateline or byline line states: "Published 12 March 2024",
"Updated: Mar. 3, 2024, 9:02 AM", "By Jane Doe | 2024-03-12T10:00:00Z", "LONDON 1996-08-30".

Only a full date (day, month and year) is a date: "March 12" or "3 hours ago" say nothing about
the year, and "03/04/2024" could be March or April, so they give None rather than a guess.
Standard library only; the month names are data (transforms/lexicons/calendar.toml).
"""
from __future__ import annotations

from datetime import date
import re

from transforms.lexicons import numbered

# Month names and abbreviations of the frequent languages of news pages (lexicons/calendar.toml),
# lower case, accents as the pages write them.
_MONTHS = numbered("calendar", "months")
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
_PATTERNS = [
    # 2024-03-12, 2024/03/12, 2024.03.12, 2024-03-12T10:00:00Z
    ("ymd", re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?!\d)")),
    # 12 March 2024, 12th of March, 2024, 12 de marzo de 2024, 12. März 2024
    ("dmy", re.compile(r"(?<!\d)" + _DAY.format("d") + r"\s*(?:of\s+|de\s+)?(?P<mon>" + _MONTH + r")\b\.?,?\s*(?:de\s+)?"
                       + _YEAR.format("y") + r"(?!\d)", re.I)),
    # March 12, 2024; Mar. 12 2024
    ("mdy", re.compile(r"(?<![\w])(?P<mon>" + _MONTH + r")\b\.?\s+" + _DAY.format("d") + r",?\s+"
                       + _YEAR.format("y") + r"(?!\d)", re.I)),
    # 12.03.2024 (day first wherever dots are written); 12/03/2024 and 03-12-2024 only when one
    # of the two numbers cannot be a month
    ("numeric", re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)")),
]
_PUBLISHED = re.compile(r"\b(published|posted|first published|publié|publicado|veröffentlicht|pubblicato)\b", re.I)
_UPDATED = re.compile(r"\b(updated|last updated|modified|mis à jour|actualizado|atualizado|aktualisiert|aggiornato)\b",
                      re.I)


def stated_dates(text: str) -> list[tuple[int, date]]:
    """Every full date written in `text`, as (position, date), in text order."""
    found: list[tuple[int, int, date]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            day = _to_date(kind, m)
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


def _to_date(kind: str, m: re.Match) -> date | None:
    year = int(m.group("y"))
    if kind == "numeric":
        a, b = int(m.group("a")), int(m.group("b"))
        if m.group("sep") == ".":
            day, month = a, b
        elif a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        elif a == b:
            day = month = a
        else:
            return None                 # 03/04/2024: March or April, we cannot tell
    else:
        day = int(m.group("d"))
        month = int(m.group("m")) if kind == "ymd" else _MONTHS[m.group("mon").lower()]
    try:
        return date(year, month, day)
    except ValueError:
        return None
