"""Tests of transforms.clean: the line classifier that splits page text into title, body and
metadata and explains every line."""
from datetime import date
import gc
import time
from pathlib import Path

import pytest

from transforms.clean import (REPEAT_MAX_WORDS, REPEAT_MIN_ARTICLES, CleanedText, LineDecision, clean_text,
                              counted_lines, key_of_line)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SEED_WEB = RAW / "002_3ba45e97169d3520.txt"     # web page dump with menus, credits, related links
SEED_CLEAN = RAW / "000_292c39b9a97e5f0d.txt"   # clean text: headline, blank line, paragraphs

ROLES = {"title", "body", "byline", "dateline", "credit", "boilerplate", "blank"}


def paragraphs(result: CleanedText) -> list[str]:
    return result.body.split("\n\n") if result.body else []


# ---- the seeds ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def web_seed():
    text = SEED_WEB.read_text(encoding="utf-8")
    return text, clean_text(text)


def test_seed_web_title(web_seed):
    _, r = web_seed
    assert r.title == "Exclusive: Kazakhstan's new president says some protesters detained 'by mistake'"


def test_seed_web_keeps_every_article_paragraph(web_seed):
    text, r = web_seed
    lines = [ln.strip() for ln in text.split("\n")]
    first = next(i for i, ln in enumerate(lines)
                 if ln.startswith("In an exclusive interview with Euronews, Kazakhstan president"))
    last = next(i for i, ln in enumerate(lines) if ln.startswith("As long as authorities restrict"))
    expected = [ln for ln in lines[first:last + 1] if ln]
    assert len(expected) >= 20
    kept = paragraphs(r)
    missing = [p for p in expected if p not in kept]
    assert not missing, missing
    # in page order, each once
    assert [p for p in kept if p in expected] == expected


@pytest.mark.parametrize("junk", [
    "Find Us", "Copyright", "REUTERS/Mukhtar Kholdorbekov", "By Euronews", "Published on Updated",
    "Share this article", "Copy/paste", "Copy to clipboard", "Read more about the election here.",
    "Want more news?", "You might also like", "Middle powers have the power to save multilateralism",
    "Iran's new reformist president Masoud Pezeshkian delivers first speech",
    "Iranians choose between hardliner and reformist in presidential election runoff",
])
def test_seed_web_drops_page_furniture(web_seed, junk):
    _, r = web_seed
    assert junk not in r.body


def test_seed_web_title_not_in_body(web_seed):
    _, r = web_seed
    assert r.title not in r.body


def test_seed_web_metadata(web_seed):
    _, r = web_seed
    assert r.byline == "Euronews"
    assert r.dateline == "Published on Updated"
    assert "Copyright REUTERS/Mukhtar Kholdorbekov" in r.credits
    assert len(r.credits) == 1          # the credit line appears twice, is kept once
    roles = {" ".join(d.text.split()): d.role for d in r.decisions if d.text.strip()}
    assert roles["By Euronews"] == "byline"
    assert roles["Published on Updated"] == "dateline"


def test_seed_web_related_list_reason(web_seed):
    _, r = web_seed
    d = next(d for d in r.decisions if d.text.startswith("Middle powers have the power"))
    assert d.role == "boilerplate"
    assert "You might also like" in d.reason


def test_seed_clean_keeps_every_paragraph():
    text = SEED_CLEAN.read_text(encoding="utf-8")
    r = clean_text(text)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert r.title == lines[0]
    assert paragraphs(r) == lines[1:]


# ---- clean (BBC-style) text ---------------------------------------------------------------------

BBC_STYLE = """Ad sales boost Time Warner profit

Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December, from $639m year-earlier.

The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed internet connections and higher advert sales.

Share prices rose.

"Our financial performance was strong," chairman Richard Parsons said.

Fixtures:
Arsenal v Stoke
Man Utd v Exeter
Plymouth v Everton
Home favourite Lleyton Hewitt came through a dramatic five-set battle.

Matches to be played on weekend of 8/9 January."""


def test_bbc_style_text_keeps_all_paragraphs():
    r = clean_text(BBC_STYLE)
    lines = [ln for ln in BBC_STYLE.split("\n") if ln.strip()]
    assert r.title == "Ad sales boost Time Warner profit"
    assert paragraphs(r) == lines[1:]


def test_bbc_style_text_no_headline_line_in_body():
    r = clean_text(BBC_STYLE)
    assert "Ad sales boost Time Warner profit" not in r.body


# ---- articles as written: wire copy, tables, lists ---------------------------------------------
# No page furniture (no link/button/notice phrasing, no "Related" tail, no menu at the top): the
# text is kept whole, however many short lines, table rows or capitals it has.

WIRE_STANDINGS = """BASEBALL - MAJOR LEAGUE STANDINGS AFTER THURSDAY'S GAMES.

NEW YORK 1996-08-30

Major League Baseball

standings after games played on Thursday (tabulate under won,

lost, winning percentage and games behind):

AMERICAN LEAGUE

EASTERN DIVISION

W L PCT GB

NEW YORK 74 59 .556 -

BALTIMORE 70 63 .526 4

BOSTON 69 65 .515 5 1/2

CENTRAL DIVISION

CLEVELAND 80 53 .602 -

KANSAS CITY 61 74 .452 20

FRIDAY, AUGUST 30 SCHEDULE

KANSAS CITY AT DETROIT

CHICAGO AT TORONTO

NATIONAL LEAGUE

EASTERN DIVISION

W L PCT GB

ATLANTA 83 49 .629 -

MONTREAL 71 61 .538 12"""

WIRE_SCORES = """GOLF - LEADING SCORES AT LAKESIDE OPEN.

LAKESIDE, Wisconsin 1996-08-29

Leading scores in

the $ 1.2 million Lakeside Open at the par-71,

6,739-yard Brown Deer Park course after the first round

on Thursday (players U.S. unless stated):

62 Nolan Hart

64 Bob Esterly

65 Billy Andrews, Duffy Walden, Jesper Parr (Sweden)

66 Neal Lang, Dave Barrow (Canada), Mike Sullivan, Willie

Wood, Loren Robbins, Steve Stride, Brian Clare, Russ Cochrane

Somerset 83 and 174 (P. Simmons 4-38), Leicestershire 296."""


@pytest.mark.parametrize("text", [WIRE_STANDINGS, WIRE_SCORES], ids=["standings", "scores"])
def test_wire_results_article_kept_whole(text):
    r = clean_text(text)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    assert r.title == lines[0]                  # the ALL-CAPS headline, not a table heading
    assert r.dateline == lines[1]
    assert r.publisher is None                  # a wire dateline starts with a place
    # every table row, heading and schedule line; the wire dateline stays too (its place is an entity)
    assert paragraphs(r) == lines[1:]


@pytest.mark.parametrize("dateline, in_body", [
    ("LONDON 1996-08-30", True),
    ("MILWAUKEE, Wisconsin Aug 29", True),
    ("Associated Press November 19, 2019, 9:02 AM", False),
    ("Published 12 May 2020", False),
])
def test_plain_text_keeps_a_wire_dateline_in_the_body(dateline, in_body):
    text = f"Markets close higher.\n\n{dateline}\n\nShares rose on Friday as investors bought banks, traders said."
    r = clean_text(text)
    assert r.dateline == dateline
    assert (paragraphs(r)[0] == dateline) is in_body
    assert paragraphs(r)[-1].startswith("Shares rose")


NUMBERED_LIST = """10 Things to Know for Today.

Your daily look at late-breaking news, upcoming events and the stories that will be talked about today:

1. WHAT THE MAYOR'S BUDGET PLAN MEANS FOR SCHOOLS.

The city would spend more on teachers and less on new buildings, according to a draft seen by reporters on Monday.

2. STRONG AFTERSHOCK RATTLES THE QUAKE ZONE.

The civil protection agency raises the death toll from the disaster to 267 as rescuers search the rubble.

3. WHY THE SENATE VOTE WAS DELAYED AGAIN.

Leaders say they need another week to count votes on a bill that has split both parties.

4. POLICE SEEK WITNESSES AFTER BRIDGE CRASH.

Two people were hurt when a truck hit the railing of the old bridge late on Sunday night.

5. APPLE BOOSTS IPHONE SECURITY.

The move follows a botched attempt to break into the phone of an activist using spyware.

6. SWIMMER IN HOT WATER IN BRAZIL.

Police charge the American swimmer with filing a false robbery report over an incident during the Games."""


def test_numbered_list_article_kept_whole():
    r = clean_text(NUMBERED_LIST)
    lines = [ln for ln in NUMBERED_LIST.split("\n") if ln.strip()]
    assert r.title == "10 Things to Know for Today."
    assert paragraphs(r) == lines[1:]           # item headings in capitals and their paragraphs
    d = next(d for d in r.decisions if d.text.startswith("6. SWIMMER"))
    assert d.role == "body" and "without page furniture" in d.reason


def test_related_tail_makes_a_text_a_page():
    # a "You might also like" list is page furniture: the text is a page, cut before its tail
    tail = "\n\nYou might also like\n\nMayor unveils new budget plan\nSchool board picks new superintendent"
    r = clean_text(WIRE_SCORES + tail)
    assert "Somerset 83 and 174 (P. Simmons 4-38), Leicestershire 296." in paragraphs(r)
    for line in tail.split("\n"):
        assert not line or line not in r.body


# ---- web pages -----------------------------------------------------------------------------------

MENU = "\n".join(["Home", "News", "Sport", "Business", "Politics", "Weather", "Video", "Search"])

WEB_PAGE = f"""Council votes to close the old bridge - The Daily Example
Skip to content
{MENU}
Sign In
Subscribe

Council votes to close the old bridge

By Jane Doe
Associated Press November 19, 2019, 9:02 AM
Share this article
(Manu Fernandez/AP)
Photo: Jane Roe

The city council voted on Tuesday to close the old bridge over the river for at least two years while engineers decide whether it can be repaired.

"We will win," she said.

The vote was seven to two, with both dissenting members arguing that the closure would hurt shops on the east bank.

It passed.

Engineers found cracks in three of the supporting piers last spring, and a weight limit has applied to the bridge since June.

Advertisement

Residents will be able to use a temporary footbridge, which the council expects to open in March.

You might also like

Mayor unveils new budget plan
School board picks new superintendent
Storm knocks out power across the county

© 2019 The Daily Example. All rights reserved.
Privacy Policy
Terms of Use"""


@pytest.fixture(scope="module")
def web():
    return clean_text(WEB_PAGE)


def test_page_title_reduced_to_headline(web):
    assert web.title == "Council votes to close the old bridge"
    assert web.publisher == "The Daily Example"


def test_short_quote_between_paragraphs_is_kept(web):
    kept = paragraphs(web)
    assert '"We will win," she said.' in kept
    assert "It passed." in kept
    # in order, between its neighbours
    i = kept.index('"We will win," she said.')
    assert kept[i - 1].startswith("The city council voted")
    assert kept[i + 1].startswith("The vote was seven to two")


def test_article_paragraphs_kept_and_ad_label_dropped(web):
    kept = paragraphs(web)
    assert kept[0].startswith("The city council voted")
    assert kept[-1].startswith("Residents will be able to use a temporary footbridge")
    assert "Advertisement" not in kept


def test_trailing_related_links_dropped(web):
    for headline in ("Mayor unveils new budget plan", "School board picks new superintendent",
                     "Storm knocks out power across the county", "You might also like"):
        assert headline not in web.body
    d = next(d for d in web.decisions if d.text == "School board picks new superintendent")
    assert d.role == "boilerplate" and "You might also like" in d.reason


def test_menus_and_buttons_dropped_with_reasons(web):
    for junk in ("Home", "Sign In", "Subscribe", "Skip to content", "Privacy Policy", "Share this article"):
        assert junk not in paragraphs(web)
    d = next(d for d in web.decisions if d.text == "Weather")
    assert d.role == "boilerplate" and "run of" in d.reason


def test_metadata_lines_land_in_their_fields(web):
    assert web.byline == "Jane Doe"
    assert web.dateline == "Associated Press November 19, 2019, 9:02 AM"
    assert "(Manu Fernandez/AP)" in web.credits
    assert "Photo: Jane Roe" in web.credits
    for meta in ("By Jane Doe", "Associated Press November 19", "Manu Fernandez", "Jane Roe"):
        assert meta not in web.body
    roles = {d.text: d.role for d in web.decisions}
    assert roles["By Jane Doe"] == "byline"
    assert roles["Associated Press November 19, 2019, 9:02 AM"] == "dateline"
    assert roles["(Manu Fernandez/AP)"] == "credit"


def test_repeated_headline_appears_once_as_title(web):
    assert "Council votes to close the old bridge" not in web.body
    titles = [d for d in web.decisions if d.role == "title"]
    assert len(titles) == 1


COMMENTS_PAGE = """Storm closes schools across the region
Storm closes schools across the region
Schools across the region were closed on Monday after a storm brought down trees and power lines in several towns.
Officials said most schools would reopen on Wednesday once roads had been cleared and power restored.
The weather service expects calmer conditions for the rest of the week, with light winds and some sun.
Comments
jdoe says:
This is the third time this year that the schools have closed and nobody seems to care about it at all.
Reply
asmith says:
My street still has no power and the utility company has not said when it will be back on for us.
Reply"""


def test_comment_section_after_article_dropped():
    r = clean_text(COMMENTS_PAGE)
    kept = paragraphs(r)
    assert kept[0].startswith("Schools across the region were closed")
    assert kept[-1].startswith("The weather service expects calmer conditions")
    assert not any("third time this year" in p or "still has no power" in p for p in kept)


def test_a_pronoun_said_colon_line_introduces_a_quote_and_stays():
    text = ("Mayor speaks on the flood\n\nThe mayor answered questions about the flood defences on Monday.\n\n"
            "He said:\n\n\"We will rebuild the walls before the winter storms arrive in the valley.\"\n")
    assert "He said:" in paragraphs(clean_text(text))


# ---- every line explained -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [WEB_PAGE, BBC_STYLE, COMMENTS_PAGE, "", "one\n\ntwo\n"])
def test_decisions_cover_every_line_with_a_reason(text):
    r = clean_text(text)
    raw = text.split("\n")
    assert len(r.decisions) == len(raw)
    for no, (d, line) in enumerate(zip(r.decisions, raw)):
        assert isinstance(d, LineDecision)
        assert d.line_no == no
        assert d.text == line
        assert d.role in ROLES
        assert d.reason and d.reason.strip()
        assert (d.role == "blank") == (not line.strip())
    # the body is exactly the lines marked "body", in order
    assert r.body == "\n\n".join(d.text.strip() for d in r.decisions if d.role == "body")


def test_reasons_are_specific():
    r = clean_text(WEB_PAGE)
    reasons = {d.text: d.reason for d in r.decisions}
    assert "You might also like" in reasons["Storm knocks out power across the county"]
    assert "unclassified" not in " ".join(reasons.values())
    assert len(set(reasons.values())) > 8


def test_pure_function_same_result_twice():
    assert clean_text(WEB_PAGE) == clean_text(WEB_PAGE)


# ---- odd inputs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "", "\n", "\n\n\n", "   ", "!!! ??? ... *** ###", ".\n,\n;\n!\n?", "🙂🙂🙂\n😀 😀.",
    "\x00\x01\x02\n\x0b\x0c", "abc \ud800 def\nline two.", "Home", "x" * 10000,
    "漢字かな交じり文。" * 200, "\u200b\n\u200b", "By\nBy\n©\n(\n)",
])
def test_odd_inputs_do_not_crash(text):
    r = clean_text(text)
    assert isinstance(r, CleanedText)
    assert isinstance(r.body, str)
    assert len(r.decisions) == len(text.split("\n"))


def test_empty_and_symbol_only_inputs_have_no_title_or_body():
    for text in ("", "\n\n", "!!! ??? ... *** ###", "--- | ---"):
        r = clean_text(text)
        assert r.title is None
        assert r.body == ""


def test_one_huge_line_is_fast_and_kept():
    line = ("The committee said the new rules would apply from next year, and that it expected "
            "most members to comply without difficulty. ") * 4000   # ~500 KB, no newline
    line = line.strip()
    assert len(line) > 400_000
    t0 = time.process_time()
    r = clean_text(line)
    assert time.process_time() - t0 < 2.0
    assert r.title is None
    assert r.body == line


def test_many_short_lines_are_linear():
    """20x the lines must not cost 400x the time. The sizes are timed in turn, three rounds,
    with the garbage collector off, and each size's best time kept: a full collection, the
    first growth of the heap or a busy neighbour (on this VM CPU time stretches under load)
    falling into one timing made a single pair fail now and then."""
    small = "\n".join(["Home", "News", "Sport"] * 1000 + [WEB_PAGE])
    big = "\n".join(["Home", "News", "Sport"] * 20000 + [WEB_PAGE])
    clean_text(small)   # the line model and the word lists load once
    rounds = [(_cpu_timed(clean_text, small), _cpu_timed(clean_text, big)) for _ in range(3)]
    t_small = min(small_run[0] for small_run, _ in rounds)
    t_big = min(big_run[0] for _, big_run in rounds)
    assert t_big < 100 * t_small + 0.5     # linear: about 20x (10-12x per 10x measured)
    assert '"We will win," she said.' in paragraphs(rounds[0][1][1])


def _cpu_timed(f, *args):
    gc.disable()
    try:
        t0 = time.process_time()
        out = f(*args)
        return time.process_time() - t0, out
    finally:
        gc.enable()


# ---- lines shared across the corpus --------------------------------------------------------------
# A short line many articles of the corpus hold is a site's furniture; the counts come from the
# whole corpus (transforms/corpus_lines.py), the cleaner only reads them.

SITE_LINE = "Daily Example Morning Briefing"
PAGE_WITH_SITE_LINE = WEB_PAGE.replace("It passed.", f"It passed.\n\n{SITE_LINE}")


def counts_for(*lines: str, n: int = REPEAT_MIN_ARTICLES) -> dict[int, int]:
    return {key_of_line(line): n for line in lines}


def test_a_short_line_seen_in_many_articles_is_dropped_with_its_count():
    alone = clean_text(PAGE_WITH_SITE_LINE)
    assert SITE_LINE in paragraphs(alone)            # without counts: a short line inside the article
    r = clean_text(PAGE_WITH_SITE_LINE, counts_for(SITE_LINE, n=40))
    assert SITE_LINE not in paragraphs(r)
    d = next(d for d in r.decisions if d.text == SITE_LINE)
    assert d.role == "boilerplate" and "seen in 40 articles" in d.reason
    assert [p for p in paragraphs(alone) if p != SITE_LINE] == paragraphs(r)   # nothing else moves


def test_a_line_seen_in_fewer_articles_than_the_threshold_stays():
    r = clean_text(PAGE_WITH_SITE_LINE, counts_for(SITE_LINE, n=REPEAT_MIN_ARTICLES - 1))
    assert SITE_LINE in paragraphs(r)


def test_sentences_and_quotes_are_not_dropped_for_repetition_alone():
    r = clean_text(WEB_PAGE, counts_for('"We will win," she said.', "It passed.", n=500))
    assert '"We will win," she said.' in paragraphs(r) and "It passed." in paragraphs(r)
    d = next(d for d in r.decisions if d.text == "It passed.")
    assert "seen in 500 articles" in d.reason and "kept" in d.reason


def test_a_long_line_is_never_judged_by_its_count():
    long_line = "The city council voted on Tuesday to close the old bridge over the river"
    assert len(long_line.split()) > REPEAT_MAX_WORDS
    story, short = counted_lines(f"Headline\n\n{long_line}\n\nHome")
    assert key_of_line(long_line) not in short and key_of_line("Home") in short


def test_a_text_without_page_furniture_keeps_its_repeated_lines():
    # wire tables repeat their headings across stories ("AMERICAN LEAGUE", "W L PCT GB")
    r = clean_text(WIRE_STANDINGS, counts_for("AMERICAN LEAGUE", "W L PCT GB", n=50))
    assert paragraphs(r) == [ln for ln in WIRE_STANDINGS.split("\n") if ln.strip()][1:]
    d = next(d for d in r.decisions if d.text == "W L PCT GB")
    assert d.role == "body" and "seen in 50 articles" in d.reason


def test_copies_of_one_story_share_a_story_key_whatever_their_menus():
    story_a, lines_a = counted_lines(WEB_PAGE)
    story_b, lines_b = counted_lines(WEB_PAGE.replace("Weather", "Traffic").replace("Sign In", "Log In"))
    story_c, _ = counted_lines(WEB_PAGE.replace("seven to two", "six to three"))
    assert story_a == story_b and lines_a != lines_b
    assert story_c != story_a


# ---- the publication date ------------------------------------------------------------------------

def test_published_date_from_the_dateline_kept_out_of_the_body(web):
    assert web.published == date(2019, 11, 19)
    assert "November 19, 2019" not in web.body


def test_published_date_from_a_byline_with_an_iso_date():
    page = WEB_PAGE.replace("By Jane Doe\nAssociated Press November 19, 2019, 9:02 AM",
                            "By Jane Doe | 2024-03-12T10:00:00Z")
    r = clean_text(page)
    assert r.published == date(2024, 3, 12) and r.byline == "Jane Doe"
    assert "2024-03-12" not in r.body


def test_published_line_below_a_plain_headline():
    text = "Council approves new budget\n\nPublished 12 March 2024\n\nThe city council approved the budget " \
           "on Monday after a long debate that ran late into the night."
    r = clean_text(text)
    assert r.published == date(2024, 3, 12) and r.dateline == "Published 12 March 2024"
    assert "Published" not in r.body


def test_no_stated_date_gives_no_published_date():
    assert clean_text(BBC_STYLE).published is None
    assert clean_text(WEB_PAGE.replace("Associated Press November 19, 2019, 9:02 AM", "3 hours ago")).published is None


# ---- the package --------------------------------------------------------------------------------

def test_the_cleaner_is_made_of_small_parts():
    """No function over 60 lines and no class over 150 in transforms/clean and the lexicon loader:
    each step of the cleaner reads on one screen."""
    import ast

    root = Path(__file__).resolve().parents[1] / "transforms"
    for path in [*sorted((root / "clean").glob("*.py")), root / "lexicons" / "__init__.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                limit = 150 if isinstance(node, ast.ClassDef) else 60
                assert node.end_lineno - node.lineno + 1 <= limit, f"{path.name}: {node.name}"
