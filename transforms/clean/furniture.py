"""Page furniture: the phrasing by which a line is known as a link, button, label or notice of the
page around an article, or as a heading that opens the page's tail ("Related", "Comments"); and
whether a text shows any furniture at all (a web page) or none (an article as written).

The phrases, words and patterns are data: transforms/lexicons/page_furniture.toml and
end_of_article.toml.
"""
from __future__ import annotations

from collections.abc import Collection
import re

from transforms.clean.lines import JUNK, Line
from transforms.lexicons import alternatives, labelled, records, words

# Patterns tried at the start of a short line, each with its label: the first that matches names it.
_LINE_START = [("|".join(entry["pattern"]), entry["label"]) for entry in records("page_furniture", "line_start")]
_LINE_START_RX = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_LINE_START)), re.I)
_LINE_START_LABEL = {f"s{i}": label for i, (_, label) in enumerate(_LINE_START)}
LINE_START_FIRST = words("page_furniture", "line_start_first_words")
# Phrases and words that mark a line wherever they stand (matched on the line's words, so
# "design in" is not "sign in"), and pieces of text that do so even inside a word.
_PHRASES = labelled("page_furniture", "phrases")
_PHRASE_FIRST = frozenset(phrase.split()[0] for phrase, _ in _PHRASES)
_WORD_LABEL = dict(labelled("page_furniture", "words"))
_WORD_SET = frozenset(_WORD_LABEL)
_SUBSTRINGS = labelled("page_furniture", "substrings")
_COPY_YEAR = re.compile(r"©\s*\d{4}")
_PCT_ESC = re.compile(r"%[0-9a-fA-F]{2}%")
# Sign-up and consent prompts: in a sentence that also speaks to the reader (you, our) these
# words mark a newsletter or cookie box even when the sentence is long.
PROMO_WORDS = words("page_furniture", "promo_words")
READER_WORDS = words("page_furniture", "reader_words")
# "Jane Doe says:" signs a reader's comment; "He said:" introduces a quote.
_COMMENT_VERBS = words("page_furniture", "comment_verbs")
_QUOTE_PRONOUNS = words("page_furniture", "quote_pronouns")
_COMMENT_AUTHOR = re.compile(r"[^.!?]{1,40}\s(" + alternatives("page_furniture", "comment_verbs") + r")\s*:$", re.I)
# Headings that open the trailing part of a page (related links, comments, most read...).
END_FIRST = words("end_of_article", "first_words")
_END_HEADING = re.compile(r"^[\W_]*(" + alternatives("end_of_article", "headings") + r")[\W_]*$", re.I)
# Gallery captions: "Photo 3 of 12 ...", or a caption ending in a "more"/"less" toggle.
_GALLERY_FIRST = words("credits", "gallery_words")
_GALLERY = re.compile(r"(" + alternatives("credits", "gallery_words") + r")?\s*\d+\s+(of|/)\s+\d+\s+\S", re.I)
_EXPAND = re.compile(r"(?:\S\s+less|\.\.\.\s?more)$")
# Line kinds that text as written has too: separators and numbers, headings in capitals, data rows.
_NOT_FURNITURE = ("no letters", "all-capitals line", "menu line")


def furniture_start(text: str) -> tuple[str, str] | None:
    """(label, the words that matched) when the line starts like a link, button or notice."""
    m = _LINE_START_RX.match(text)
    return (_LINE_START_LABEL.get(m.lastgroup, "boilerplate"), m.group(0)) if m else None


def furniture_anywhere(text: str, low: str, toks: list[str], head: Collection[str]) -> tuple[str, str] | None:
    """(label, phrase) when the line holds link/button/notice phrasing anywhere (`head`: its
    first 80 words)."""
    hit = _WORD_SET.intersection(head)
    if hit:
        w = next(t for t in toks if t in hit)
        return _WORD_LABEL[w], w
    if not _PHRASE_FIRST.isdisjoint(head):
        joined = " " + " ".join(toks) + " "
        for phrase, label in _PHRASES:
            if " " + phrase + " " in joined:
                return label, phrase
    for piece, label in _SUBSTRINGS:
        if piece in low:
            return label, piece
    if "©" in text and _COPY_YEAR.search(text):
        return "copyright notice", "©"
    if "%" in text and _PCT_ESC.search(text):
        return "template/markup residue", "%xx%"
    if toks and toks[-1] in _COMMENT_VERBS and text.endswith(":") \
            and toks[0] not in _QUOTE_PRONOUNS and _COMMENT_AUTHOR.match(text):
        return "comment author line", toks[-1] + ":"
    return None


def is_end_heading(text: str) -> bool:
    """The line is a heading that opens a page's tail ("You might also like", "Comments")."""
    return _END_HEADING.match(text) is not None


def gallery_caption(text: str, first: str) -> str | None:
    """Why the line is a gallery caption (a counter "3 of 12", a more/less toggle), or None."""
    if (first.isdigit() or first in _GALLERY_FIRST) and _GALLERY.match(text):
        return "gallery caption ('N of M')"
    if text.endswith(("less", "more")) and _EXPAND.search(text[-8:]):
        return "gallery caption (ends with a 'more'/'less' toggle)"
    return None


def furniture_sign(lines: list[Line], title_repeats: list[int]) -> str | None:
    """The first sign that the text is a dump of a web page rather than an article as written, or
    None. Signs are what only a page carries: link/button/notice phrasing, an end-of-article
    heading, a copyright line, the page title repeated as the headline, a menu at the top. Runs of
    short lines, table rows, lines split by | or / and lines in capitals are not signs: wire copy,
    results and lists have them."""
    if title_repeats:
        return "the page title is repeated as the headline"
    if lines[0].run >= 4:
        return f"the text opens with a run of {lines[0].run} short lines (a menu)"
    for ln in lines:
        if ln.end_marker or ln.kind == JUNK and not ln.shared and not ln.why.startswith(_NOT_FURNITURE):
            return f"'{ln.text[:40]}': {ln.why}"
        if ln.meta == "credit" and ("©" in ln.text or ln.text.lower().startswith("copyright")):
            return f"'{ln.text[:40]}': copyright line"
    return None
