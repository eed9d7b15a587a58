"""Why lines were dropped, grouped: the cleaner's detailed reasons (counts, quoted phrases, the
line model's probability) come down to a few families that can be counted over a corpus."""
from types import SimpleNamespace

from tests.conftest import EURONEWS_SEED
from transforms.clean import clean_text
from transforms.dropped_lines import dropped_by_reason, reason_group


def test_a_reason_comes_down_to_its_family():
    cases = {
        "line model: p(article)=0.03; features -rule_keep (rules dropped: share button ('Share this'))": "share button",
        "line model: p(article)=0.00 (rules dropped: menu: 2 words, no sentence punctuation)": "menu",
        "line model: p(article)=0.29 (rules dropped: 1 word, no sentence punctuation, in a run of 4 short lines)":
            "short line without sentence punctuation",
        "line model: p(article)=0.48 (rules kept: prose: 36 words, 25% stopwords)": "line model, against the rules",
        "after 'You might also like': heading-like: 10 words": "after an end-of-article heading",
        "a short line seen in 41 articles of the corpus (was: menu: 1 word)":
            "a short line seen in N articles of the corpus",
        "all-capitals line of 12 words": "all-capitals line of N words",
        "repeats the headline": "repeats the headline",
    }
    assert {reason: reason_group("boilerplate", reason) for reason in cases} == cases
    assert reason_group("byline", "'By ...' line") == "moved to byline"


def test_the_counts_add_up_to_the_lines_dropped_most_first():
    decisions = clean_text(EURONEWS_SEED.read_text(encoding="utf-8")).decisions
    dropped = dropped_by_reason(decisions)
    assert sum(d["lines"] for d in dropped) == sum(d.role not in ("body", "blank") for d in decisions) > 10
    assert dropped[0] == {"reason": "share button", "lines": 4}
    assert [d["lines"] for d in dropped] == sorted((d["lines"] for d in dropped), reverse=True)
    assert dropped_by_reason([SimpleNamespace(role="body", reason="prose")]) == []
