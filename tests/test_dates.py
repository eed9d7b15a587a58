"""Tests of transforms.dates: the publication date a dateline or byline line states."""
from datetime import date

import pytest

from transforms.dates import publication_date, published_date


@pytest.mark.parametrize("line, expected", [
    ("Published 12 March 2024", date(2024, 3, 12)),
    ("Updated: Mar. 3, 2024, 9:02 AM", date(2024, 3, 3)),
    ("By Jane Doe | 2024-03-12T10:00:00Z", date(2024, 3, 12)),
    ("LONDON 1996-08-30", date(1996, 8, 30)),
    ("Associated Press November 19, 2019, 9:02 AM", date(2019, 11, 19)),
    ("Posted on 1st of May, 2019", date(2019, 5, 1)),
    ("12.03.2024 18:00", date(2024, 3, 12)),
    ("13/04/2024", date(2024, 4, 13)),           # 13 cannot be a month: day first
    ("04/13/2024", date(2024, 4, 13)),           # ... nor here: month first
    ("Publicado el 12 de marzo de 2024", date(2024, 3, 12)),
    ("Veröffentlicht am 12. März 2024", date(2024, 3, 12)),
])
def test_a_stated_full_date_is_read(line, expected):
    assert published_date(line) == expected


@pytest.mark.parametrize("line", [
    "Published on Updated",       # no date at all
    "March 12",                   # no year
    "3 hours ago",                # relative: the capture date is unknown
    "03/04/2024",                 # March or April: not guessed
    "2024-13-45",                 # not a date
    "Season 2023/24 tickets",
])
def test_no_full_date_gives_none(line):
    assert published_date(line) is None


def test_the_published_date_wins_over_the_updated_one_in_either_order():
    assert published_date("Published 12 March 2024, updated 13 March 2024") == date(2024, 3, 12)
    assert published_date("Updated 13 March 2024 | Published 12 March 2024") == date(2024, 3, 12)
    assert published_date("March 3, 2024, updated March 4, 2024") == date(2024, 3, 3)


def test_a_line_that_says_published_wins_over_an_earlier_line_with_a_date():
    assert publication_date(["Updated 14 March 2024", "Published 12 March 2024"]) == date(2024, 3, 12)
    assert publication_date(["By Jane Doe", "Updated 14 March 2024"]) == date(2024, 3, 14)
    assert publication_date(["By Jane Doe"]) is None
