"""Whether a line is written in Title Case, the way a headline is and a sentence is not.

The cleaner asks it of a line to call it a heading (`clean/features.py`), the entity extraction
of a title before it trusts the model's names there (`entities.py`); each passes its own
settings, so the two keep the behaviour they were tuned with.
"""
from __future__ import annotations


def title_case(text: str, *, share: float, min_words: int, openers: str = "",
               digits: bool = True, all_caps: bool = True) -> bool:
    """At least `share` of the words of four characters or more start with a capital, and there
    are at least `min_words` of them (a word counts when its first character, after any of
    `openers` such as quotation marks, is a letter). With `digits=False` a word starting with a
    digit (dates, scores, numbered lists) makes the line not Title Case; with `all_caps=False`
    neither does a line in capitals throughout."""
    tokens = text.split()
    if not digits and any(w[0].isdigit() for w in tokens):
        return False
    initials = [c for c in (w.lstrip(openers)[:1] for w in tokens if len(w) >= 4) if c.isalpha()]
    if len(initials) < min_words:
        return False
    upper = sum(map(str.isupper, initials))
    return upper >= share * len(initials) and (all_caps or not text.isupper())
