"""Page text to title, body and metadata, with the reason for every line it drops.

`clean_text(text)` is a pure line classifier for text that is already decoded, NFC, one line per
paragraph, each line stripped. It needs no knowledge of any site:

1. Every line is described by features of its own: word count, terminal punctuation, share of
   function words (small sets for en/fr/es/pt/de/it/nl/id/ru), capitalisation (Title Case
   headline, ALL CAPS promo), digits, and phrasing of links, buttons, forms and notices
   ("Share this article", "Sign In", "Subscribe", cookie and copyright notices, "Read more",
   gallery counters, template residue). Bylines ("By Jane Doe"), datelines ("Published ...",
   "Associated Press November 19, 2019, 9:02 AM") and photo credits ("Copyright REUTERS/...",
   "(Manu Fernandez/AP)", "Photo: ...", captions ending in an agency) are metadata.
   Headings that open a page's tail ("You might also like", "Related", "Comments", "Most read",
   in the frequent languages) are end markers.
2. Context: runs of adjacent short lines (menus), lines repeated on the page, dated or numbered
   runs (tables, tour dates), a short paragraph between headline/author lines (teasers), and,
   when the caller gives the corpus-wide counts, short lines seen in many articles of the corpus
   (a site's furniture; never a sentence, a quote, a table row or a line of an article as written).
3. Page or article: a text with no page furniture at all (no link, button or notice phrasing,
   no end-of-article heading, no copyright line, no page title repeated as the headline, no menu
   at the top) is an article as written (BBC, wire copy, a numbered list). Its first line is the
   headline and everything else is kept, tables, capitals and short lines included, but for a
   byline and a dateline just below the headline. Only a page goes through steps 5 and 6.
4. The headline: the first line, or the line that repeats it (a page title "Headline - Site"
   is reduced to the headline when the page repeats it), or a headline-like line repeated at the
   top when the first line is not one ("Find Us"). It opens the article.
5. The article block: lines get scores (paragraphs positive, furniture negative, end markers a
   barrier); the block is the first strong maximum-sum run after the headline (not the
   biggest: comments can outweigh a short article). An end marker followed by a short link list
   and then more paragraphs is an inline widget, not the end. A standfirst/byline zone at the
   top is trimmed, lead paragraphs cut off by a photo line are merged back, a trailing teaser
   list is cut.
6. Inside the block, short lines between paragraphs (quotes, subheadings, list items) are kept;
   labels, captions before a credit, repeats and a trailing run of short lines are dropped.
7. On a page, the learned line model (`line_model.py`) has the last word on which lines are the
   body: the verdicts above are among its evidence. Title and metadata stay the rules'.

Every line gets a `LineDecision` whose reason says why, for `newspipe clean FILE --explain`.
No I/O but the shipped model's file, read once; time linear in the size of the text.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
import hashlib
import re

from transforms import line_model
from transforms.lexicons import alternatives, entries, labelled, numbered, records, words
from transforms.dates import publication_date


@dataclass(frozen=True)
class LineDecision:
    line_no: int
    text: str
    role: str      # title | body | byline | dateline | credit | boilerplate | blank
    reason: str


@dataclass(frozen=True)
class CleanedText:
    title: str | None
    body: str
    byline: str | None = None
    publisher: str | None = None
    dateline: str | None = None
    credits: tuple[str, ...] = ()
    published: date | None = None
    decisions: tuple[LineDecision, ...] = field(default=(), repr=False)


# --------------------------------------------------------------------------------------------
# Word lists, phrases and the patterns made of them are data: transforms/lexicons/*.toml. Small
# function-word sets of the frequent languages; a line of running text in any of them has a high
# share of these words, a menu or a headline list has few.
# --------------------------------------------------------------------------------------------
_STOP = words("function_words", "function_words")

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_SENT_END = re.compile(r"""[.!?。！？…]['"”’»)\]]*(?:\s*[^\w\s.,;:!?'"”’»)\]\-–—])*$""")
_SENT_INNER = re.compile(r"""[.!?。！？][\s'"”’»]+\S""")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|co\.\w\w|html?|php)\S*", re.I)

# Phrasing of links, buttons, forms and notices (matched on short lines only). Each entry:
# (pattern, label used in the reason). Anchored patterns are tried at the line start only.
_BOILER_START = [("|".join(entry["pattern"]), entry["label"]) for entry in records("page_furniture", "line_start")]
# Phrases that mark a line as a link, button or notice wherever they stand (matched on the
# line's words, so "design in" is not "sign in"), as (phrase, label).
_BOILER_PHRASES = list(labelled("page_furniture", "phrases"))
_BOILER_WORDS = dict(labelled("page_furniture", "words"))
_BOILER_WORD_SET = frozenset(_BOILER_WORDS)
# Words of sign-up and consent prompts; in a sentence that also speaks to the reader (you, our)
# they mark a newsletter or cookie box even when the sentence is long.
_PROMO_WORDS = words("page_furniture", "promo_words")
_READER_WORDS = words("page_furniture", "reader_words")
_BOILER_FIRSTWORDS = frozenset(p.split()[0] for p, _ in _BOILER_PHRASES)
_BOILER_RAW = list(labelled("page_furniture", "substrings"))
_COPY_YEAR = re.compile(r"©\s*\d{4}")
_PCT_ESC = re.compile(r"%[0-9a-fA-F]{2}%")
_INTRO_PRONOUNS = words("page_furniture", "quote_pronouns")
_COMMENT_VERBS = words("page_furniture", "comment_verbs")
_COMMENT_AUTHOR = re.compile(r"[^.!?]{1,40}\s(" + alternatives("page_furniture", "comment_verbs") + r")\s*:$", re.I)


def _boiler_anywhere(text: str, low: str, toks: list[str], tokset: set) -> tuple[str, str] | None:
    """(label, phrase) when the line holds link/button/notice phrasing anywhere."""
    hit = _BOILER_WORD_SET.intersection(tokset)
    if hit:
        w = next(t for t in toks if t in hit)
        return _BOILER_WORDS[w], w
    if not _BOILER_FIRSTWORDS.isdisjoint(tokset):
        joined = " " + " ".join(toks) + " "
        for phrase, lab in _BOILER_PHRASES:
            if " " + phrase + " " in joined:
                return lab, phrase
    for phrase, lab in _BOILER_RAW:
        if phrase in low:
            return lab, phrase
    if "©" in text and _COPY_YEAR.search(text):
        return "copyright notice", "©"
    if "%" in text and _PCT_ESC.search(text):
        return "template/markup residue", "%xx%"
    if toks and toks[-1] in _COMMENT_VERBS and text.endswith(":") \
            and toks[0] not in _INTRO_PRONOUNS and _COMMENT_AUTHOR.match(text):   # "He said:" introduces a quote
        return "comment author line", toks[-1] + ":"
    return None


# First words with which an anchored pattern can start (a cheap gate before the regex).
_BOILER_FIRST = words("page_furniture", "line_start_first_words")
_END_FIRST = words("end_of_article", "first_words")
_OPENERS = "\"'“‘«(¿¡[-–—"
_CREDIT_WORDS = words("credits", "credit_words")
_GALLERY_FIRST = words("credits", "gallery_words")
_CREDIT_FIRST = words("credits", "credit_first_words")
_BOILER_START_RX = re.compile("|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_BOILER_START)), re.I)
_BOILER_LABEL = {f"s{i}": lab for i, (_, lab) in enumerate(_BOILER_START)}
# Headings that open the trailing part of a page (related links, comments, most read...).
_END_MARKER = re.compile(r"^[\W_]*(" + alternatives("end_of_article", "headings") + r")[\W_]*$", re.I)

_BYLINE = re.compile(r"^(" + alternatives("bylines", "openers") + r")\s+(.{2,80})$", re.I)
_MONTH = "(" + alternatives("calendar", "month_in_dateline") + ")"
_DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|"
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b|\b\d{{1,2}}:\d{{2}}\b|"
    r"\b\d+\s+(min(ute)?s?|hours?|hrs?|days?|weeks?)\s+ago\b|\b(yesterday|today)\b|"
    r"\d{4}年|\d{4}년|\b(published|updated|posted|last modified)\b", re.I)
_MONTH_NAMES = frozenset(numbered("calendar", "months", "en"))
_DATE_KEYWORDS = words("datelines", "keywords")
# (digit-led patterns: the regex engine then skips quickly to the digits)
_NUMDATE = re.compile(r"[0-9](?:[0-9]{0,3}[./-][0-9]{1,2}[./-][0-9]{2,4}\b|[0-9]?:[0-9]{2}"
                      r"|[0-9]{3}\s*[年년]|[0-9]?\s*[月월일日])")
_DATE_TOKENS = (_MONTH_NAMES | frozenset(numbered("calendar", "weekdays", "en")) | _DATE_KEYWORDS
                | words("datelines", "time_words") | words("datelines", "other_words"))
_CREDIT_START = re.compile(alternatives("credits", "credit_line_start"))
_AGENCY = words("credits", "agencies") | words("credits", "agency_suffixes")
# A wire dateline opens with the place in capitals: "LONDON 1996-08-30", "NICE, France Aug 30".
_WIRE_PLACE = re.compile(r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,3}(?:,| \d| [A-Z][a-z]{2})")
_CREDIT_END = re.compile(r"(?:/\s*(?:" + alternatives("credits", "credit_line_end_after_slash") + ")|"
                         + alternatives("credits", "credit_line_end") + r")\s*\)?$")
_EXPAND = re.compile(r"(?:\S\s+less|\.\.\.\s?more)$")
_TRUNCATED = re.compile(r"\w\.\.$")
_GALLERY = re.compile(r"(" + alternatives("credits", "gallery_words") + r")?\s*\d+\s+(of|/)\s+\d+\s+\S", re.I)
_CAPTION_CREDIT = re.compile(
    r"(?:/\s*(?:" + alternatives("credits", "caption_end_after_slash") + r")(?: file| photo| images)?\)?\.?"
    r"|\([^(),]{0,50}/[^(),]{0,50}\)"
    r"|[.!?]\s+(?:" + alternatives("credits", "caption_end_after_sentence") + "))$", re.I)
# An inline credit: a credit word (its singular, then an optional "s"), a colon, the credit.
_CREDIT_SINGULARS = [w for w in entries("credits", "credit_words") if not (w.endswith("s") and w[:-1] in _CREDIT_WORDS)]
_INLINE_CREDIT = re.compile(
    r"[(\[]?\b(?:" + "|".join(_CREDIT_SINGULARS) + r")s?\s*(?:credit)?\s*:\s*"
    r"([^()\[\]:]{2,60}?)\s*[)\]]?\s*$", re.I)
# A line can only be a byline, dateline or credit if it starts with one of these words, holds a
# digit, a slash, a parenthesis or one of the agency/date words (a cheap gate).
_BYLINE_WORDS = frozenset(re.match(r"\w+", opener).group(0) for opener in entries("bylines", "openers"))
_META_FIRST = _BYLINE_WORDS | _CREDIT_FIRST
_META_WORDS = words("credits", "agencies") | _DATE_KEYWORDS
_BY_IN_LINE = re.compile(r"\b[Bb]y\s+([A-Z][^|•·]{2,60})")
_BYLINE_NAME_ENDS = words("bylines", "name_ends")
_DIGIT = re.compile(r"\d")
_TITLE_SEP = re.compile(r"\s+(?:[-|–—:·»•]|::)\s+")
_QUOTE_NORM = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'", "´": "'"})

# Feature classes of a line, from page furniture to running text.
JUNK, META, MENU, SHORT, HEAD, WEAK, PROSE = range(7)

# Line scores for finding the article block (a maximum-sum run of lines). A paragraph scores
# 1 + words/20 (at most 5); the rest is below.
_BARRIER = -12.0        # "You might also like", "Comments": the article does not go on past it
_INLINE_MARKER = -3.0   # a "Related" heading whose short link list is followed by more article
_LONE_JUNK_SCORE = -1.2  # one button/label line between paragraphs ("Advertisement")
# (a run of such lines scores -2 each, a menu run of short lines -1 each)
_HEAD_SCORE = -0.1      # a lone heading-like line
_MENU_SCORE = -0.3      # a lone 1-3 word line
_REP_PENALTY = 0.3      # ... less when the same line recurs on the page
_NUMERIC_SCORE = 0.1    # a table row or a dated list line
_ISOLATED_SCORE = 0.2   # a short paragraph between headline/author lines: a teaser, maybe
# Block selection.
_GAP = 12.0             # a stretch this far below the running peak ends the article block
_MIN_BLOCK = 2.5        # smallest score of a block that can be the article
_FIRST_FRACTION = 0.3   # the first block after the headline wins if it has this share of the best
_CLOSED_BLOCK = 8.0     # ... or this score and ends at a "Comments"/"Related" heading
_MERGE_GAP = 6.0        # lead paragraphs this little above the block (a photo, a link) join it
_HEADER_LINES = 14      # how far into the block a standfirst/byline zone may reach
_HEADER_SHARE = 0.25    # ... holding at most this share of the block's score
_WIDGET_LINES = 16      # longest link list after an inline "Related" heading
_TEASER_UNITS = 5       # this many "short lines + one paragraph" units end the block: teasers
_TEASER_WORDS = 60      # ... of paragraphs this short
_PLAIN_HEADER = 4       # lines below the headline of a plain text that may hold its byline/dateline
_FULL_TOP = 60          # lines always examined in full (the page top, where a headline may sit)


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    words: int = 0
    chars: int = 0
    stop: float = 0.0
    kind: int = SHORT
    why: str = ""
    end_marker: bool = False
    barrier: bool = False        # an end-of-article heading that closes the article block
    widget: int = -1             # index of the inline "Related" heading this link line follows
    meta: str | None = None      # byline | dateline | credit
    score: float = 0.0
    rep: int = 1                 # how often the exact line occurs in the page
    run: int = 1                 # size of the run of adjacent short lines (no blank between)
    numeric: bool = False        # a table row: many tokens are numbers
    sent: bool = False           # ends like a sentence (. ! ? …)
    shared: bool = False         # boilerplate because many articles of the corpus hold it


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.translate(_QUOTE_NORM).casefold()))


# ---- lines shared across the corpus ----------------------------------------------------------
# A line of at most REPEAT_MAX_WORDS words is counted across the corpus (transforms/corpus_lines.py
# keeps the counts); on a page, such a line seen in REPEAT_MIN_ARTICLES distinct articles or more
# is boilerplate: a site's menus, labels and prompts recur on every page, an article's own short
# lines do not. Sentences and quotes are never dropped for repetition alone (syndicated copies of
# a story share them), nor is any line of a text without page furniture.
REPEAT_MAX_WORDS = 12
REPEAT_MIN_ARTICLES = 5
_QUOTE_OPENERS = "\"'“‘«„‹"


def line_key(norm: str) -> int:
    """64-bit key of a normalised line (or of a story's lines): the same on every machine."""
    digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def key_of_line(line: str) -> int:
    """The key under which the corpus counts a line of text."""
    return line_key(_norm(line))


def counted_lines(text: str) -> tuple[int, dict[int, str]]:
    """(story key, {line key: normalised line}) of a decoded text: the short lines the corpus
    counts, and a key of its longer lines, so copies of one story (the same page saved twice,
    with another menu or another "most read" list) count as one article."""
    short: dict[int, str] = {}
    longer: set[str] = set()
    for raw in text.split("\n"):
        norm = _norm(raw) if raw and not raw.isspace() else ""
        if not norm:
            continue
        if norm.count(" ") < REPEAT_MAX_WORDS:
            short[line_key(norm)] = norm
        else:
            longer.add(norm)
    basis = sorted(longer) if longer else sorted(short.values())
    return line_key("\n".join(basis)), short


def _repeated_lines(lines: list[_Line], seen_in: Mapping[int, int], skip: set[int], plain: bool) -> int:
    """Mark the short lines seen in many articles of the corpus; returns how many became
    boilerplate (on a text without page furniture they are only noted: it is kept whole)."""
    marked = 0
    for i, ln in enumerate(lines):
        if i in skip or ln.words > REPEAT_MAX_WORDS or ln.kind in (PROSE, META, JUNK):
            continue
        n = seen_in.get(key_of_line(ln.text), 0)
        if n < REPEAT_MIN_ARTICLES:
            continue
        if plain:
            ln.why += f"; seen in {n} articles of the corpus"
        elif ln.sent or ln.numeric or ln.text[0] in _QUOTE_OPENERS:
            ln.why += f"; seen in {n} articles of the corpus, kept: a sentence, quote or table row"
        else:
            ln.kind, ln.shared = JUNK, True
            ln.why = f"a short line seen in {n} articles of the corpus (was: {ln.why})"
            marked += 1
    return marked


def _features(text: str) -> tuple:
    """Context-free description of one line:
    (kind, reason, words, stopword share, meta kind, end-of-article heading, ends like a sentence)."""
    n = len(text)
    low = text.lower() if n < 20000 else text[:20000].lower()
    toks = _WORD.findall(low)
    nw = len(toks)
    cjk = 0
    if not text.isascii():
        head = text[:2000]
        cjk = len(_CJK.findall(head))
        if cjk > 0.3 * len(head):
            nw = max(nw, int(n / 2.5))      # scripts written without spaces: ~2.5 chars a word
    tokset = set(toks) if nw < 80 else set(toks[:80])
    sample = toks[:400]
    stop = sum(map(_STOP.__contains__, sample)) / len(sample) if sample else 0.0
    sent_end = bool(_SENT_END.search(text[-8:]))
    first = toks[0] if toks else ""
    if n < 160 and nw <= 12 and not (text.endswith(".") and not text.endswith("..")) \
            and (first in _END_FIRST or first.isdigit() or not first.isascii()) and _END_MARKER.match(text):
        return JUNK, f"end-of-article heading '{text[:40]}'", nw, stop, None, True, sent_end
    if (first.isdigit() or first in _GALLERY_FIRST) and _GALLERY.match(text):
        return JUNK, "gallery caption ('N of M')", nw, stop, None, False, sent_end
    if text.endswith(("less", "more")) and _EXPAND.search(text[-8:]):
        return JUNK, "gallery caption (ends with a 'more'/'less' toggle)", nw, stop, None, False, sent_end
    if n < 700 and ":" in text[-90:] and not _CREDIT_WORDS.isdisjoint(toks[-16:]):
        m = _INLINE_CREDIT.search(text[-90:])
        if m and (n > 90 or m.start() > 0):
            return META, "caption: photo caption ending in a credit", nw, stop, "caption", False, sent_end
    if 6 <= nw <= 80 and ("/" in text[-60:] or not _AGENCY.isdisjoint(toks[-4:])) \
            and _CAPTION_CREDIT.search(text[-70:]):
        return (META, "caption: photo caption ending in a photographer/agency credit", nw, stop, "caption",
                False, sent_end)
    if (not toks or first.isdigit() or first[0] == "_") and not _LETTER.search(text[:400]):
        return JUNK, "no letters", nw, stop, None, False, sent_end
    if n < 220:
        if (first in _META_FIRST or text[0] in "©(" or text[-1] == ")" or "/" in text
                or _DIGIT.search(text) or not _META_WORDS.isdisjoint(tokset)):
            meta = _meta_kind(text, low, toks, tokset, nw, sent_end)
            if meta:
                return META, meta, nw, stop, meta.split(":")[0], False, sent_end
        if first in _BOILER_FIRST or not text[0].isalnum() or first.isdigit():
            m = _BOILER_START_RX.match(text)
            if m and (nw <= 8 or not sent_end):
                label = _BOILER_LABEL.get(m.lastgroup, "boilerplate")
                return JUNK, f"{label} ('{m.group(0).strip()[:30]}')", nw, stop, None, False, sent_end
        if nw <= 12 or not sent_end:
            hit = _boiler_anywhere(text, low, toks, tokset)
            if hit:
                return JUNK, f"{hit[0]} ('{hit[1]}')", nw, stop, None, False, sent_end
        elif not _PROMO_WORDS.isdisjoint(tokset) and not _READER_WORDS.isdisjoint(tokset):
            w = next(t for t in toks if t in _PROMO_WORDS)
            return JUNK, f"sign-up prompt addressed to the reader ('{w}')", nw, stop, None, False, sent_end
        if nw <= 25 and ("." in text or "/" in text) and _URL.fullmatch(text):
            return JUNK, "bare URL", nw, stop, None, False, sent_end
        if not sent_end and (text.count(" | ") + text.count(" / ") + text.count(" · ")
                             + text.count(" • ")) >= 3:
            return JUNK, "menu line: items separated by | or /", nw, stop, None, False, sent_end
    if nw >= 7 and text.isupper() and not cjk:
        return JUNK, f"all-capitals line of {nw} words (a link or promo)", nw, stop, None, False, sent_end
    if nw <= 24 and text.endswith("..") and _TRUNCATED.search(text[-4:]):
        return HEAD, f"truncated headline ({nw} words, ends with '..')", nw, stop, None, False, sent_end
    if 4 <= nw <= 24 and not cjk and _title_case(text):
        return HEAD, f"headline-like: {nw} words in Title Case", nw, stop, None, False, sent_end
    if nw >= 15 and (stop >= 0.12 or cjk or sent_end or len(_SENT_INNER.findall(text[:2000])) >= 2):
        if nw < 25 and not sent_end and not cjk and not _SENT_INNER.search(text):
            return (WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", nw, stop, None,
                    False, sent_end)
        return PROSE, f"prose: {nw} words, {stop:.0%} stopwords", nw, stop, None, False, sent_end
    if nw >= 8 and sent_end and (stop >= 0.1 or cjk):
        return PROSE, f"sentence: {nw} words, ends with punctuation", nw, stop, None, False, sent_end
    if sent_end and (nw >= 3 or nw == 2 and stop > 0) \
            and (stop > 0 or nw >= 5 or text[0] in "\"“'‘«—–-"):
        return WEAK, f"short sentence: {nw} words, ends with punctuation", nw, stop, None, False, sent_end
    if nw >= 8 and stop >= 0.2:
        return (WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", nw, stop, None,
                False, sent_end)
    if nw <= 3:
        return (MENU, f"{nw} word{'s' if nw != 1 else ''}, no sentence punctuation", nw, stop, None, False,
                sent_end)
    return HEAD, f"heading-like: {nw} words, no sentence punctuation", nw, stop, None, False, sent_end


def _title_case(text: str) -> bool:
    """Most words of four letters or more start with a capital (a headline, not a sentence)."""
    words = text.split()
    if any(w[0].isdigit() for w in words):
        return False                # dates, scores, numbered lists
    initials = [c for c in (w.lstrip(_OPENERS)[:1] for w in words if len(w) >= 4) if c.isalpha()]
    if len(initials) < 4:
        return False
    upper = sum(map(str.isupper, initials))
    return upper >= 0.85 * len(initials) and not text.isupper()


def _meta_kind(text: str, low: str, toks: list[str], tokset: set, nw: int, sent_end: bool) -> str | None:
    if nw > 22:
        return None
    if (nw <= 16 or text[0] == "(") and (
            (toks and toks[0] in _CREDIT_FIRST or text[0] in "©(") and _CREDIT_START.match(low)
            or (text[0] == "(" and text[-1] == ")" and len(text) < 64)
            or (("/" in text or ")" in text[-2:] or not _AGENCY.isdisjoint(tokset))
                and _CREDIT_END.search(low[-48:]))):
        if nw <= 12 or low.startswith(("copyright", "photo", "image", "credit", "(")) and nw <= 40:
            return "credit: photo credit or copyright line"
    dated = _is_dated(text, tokset)
    if toks and toks[0] in _BYLINE_WORDS:
        m = _BYLINE.match(text)
        if m and (nw <= 10 and not sent_end or dated):
            who = _byline_name(m.group(2)).split()
            caps = sum(1 for w in who if w[:1].isupper() or w[:1] == "@")
            if who and len(who) <= 8 and caps >= max(1, len(who) // 2):
                return "byline: 'By ...' line"
    if dated and text[0] not in "—–-":
        rest = [t for t in toks if not t.isdigit() and t not in _DATE_TOKENS and not _DIGIT.match(t)]
        if (len(rest) <= 3 or len(rest) == 4 and not sent_end) and nw <= 16:
            return "dateline: date/time line"
    return None


def _is_dated(text: str, tokset: set) -> bool:
    """The line holds a date or time (month name and number, 19/11/2019, 9:02, '3 hours ago')."""
    if not tokset.isdisjoint(_DATE_KEYWORDS):
        return True
    if not _DIGIT.search(text):
        return False
    return (not tokset.isdisjoint(_MONTH_NAMES) or "ago" in tokset or "today" in tokset
            or "yesterday" in tokset or _NUMDATE.search(text) is not None)


def _credit_text(ln: _Line) -> str:
    """The credit of a credit line, or the credit at the end of a photo caption."""
    text = ln.text
    if ln.meta != "caption":
        return text
    tail = text[-90:]
    m = _INLINE_CREDIT.search(tail)
    if m:
        return m.group(1).strip()
    m = _CAPTION_CREDIT.search(text[-70:])
    if m:
        found = m.group(0).strip(" .")
        if found.startswith("("):
            return found.strip("()")
        if found[0] in ".!?":
            return found[1:].strip()
        cut = text.rfind(". ", 0, len(text) - len(m.group(0)))
        return text[cut + 2:].strip() if cut >= 0 else found
    return text


def _byline_name(s: str) -> str:
    """'Jane Doe | May 3, 2019' -> 'Jane Doe'; 'Jo Roe jo@x.com (509)' -> 'Jo Roe'."""
    out = []
    for tok in s.split():
        bare = tok.strip(",;")
        low = bare.lower()
        if (not bare or "@" in bare or any(c.isdigit() for c in bare) or bare[0] in "(|•·–—-[/"
                or low in _MONTH_NAMES or low in _BYLINE_NAME_ENDS):
            break
        out.append(tok)
    return " ".join(out).strip(" ,;|-")


def _find_headline(nonblank: list[tuple[int, str]]) -> list[int]:
    """Indices (into the non-blank lines) of lines that repeat the page title (the first line),
    whole or without its site name, among the first 400 lines."""
    if not nonblank:
        return []
    first = nonblank[0][1]
    cands = [first] + _title_candidates(first)
    normc = {x for x in map(_norm, cands) if x}
    if not normc:
        return []
    first_norm = _norm(first)
    lo = min(len(c) for c in cands) * 0.5 - 4
    hi = len(first) + 8
    cand_words = {len(c.split()) for c in normc}
    initial = first[:1]
    found = []
    wlo, whi = min(cand_words) - 3, max(cand_words) + 4
    for i in range(1, min(len(nonblank), 400)):
        s = nonblank[i][1]
        if not lo <= len(s) <= hi:
            continue
        sw = s.count(" ") + 1
        if not wlo <= sw <= whi and not (sw >= 3 and s[:1] == initial):
            continue            # cheap test first: a match has about as many words, or is a prefix
        nl = _norm(s)
        words = nl.count(" ") + 1 if nl else 0
        if words < 2 or (words not in cand_words and not (words >= 4 and s[:1] == initial)):
            continue
        if nl in normc or (words >= 4 and first_norm.startswith(nl) and len(nl) > 0.5 * len(first_norm)):
            found.append(i)
    return found


def _cheap_features(text: str) -> tuple:
    """A quick look for lines above the headline (menus, link lists): word count and
    punctuation only, no phrase or metadata tests."""
    nw = len(text.split())
    sent_end = _SENT_END.search(text[-8:]) is not None
    if sent_end and nw >= 15:
        kind, what = PROSE, "text"
    elif sent_end and nw >= 3:
        kind, what = WEAK, "short sentence"
    elif nw <= 3:
        kind, what = MENU, "no sentence punctuation"
    else:
        kind, what = HEAD, "no sentence punctuation"
    why = f"above the headline: {nw} word{'s' if nw != 1 else ''}, {what}"
    return kind, why, nw, 0.0, None, False, sent_end


def _title_candidates(first: str) -> list[str]:
    parts = _TITLE_SEP.split(first)
    out = []
    if len(parts) > 1:
        # Headline is the longest part; the site name is usually a short trailing (or leading) part.
        out.append(max(parts, key=len))
        out.append(_TITLE_SEP.split(first, maxsplit=1)[0])
        out.append(first.rsplit(" - ", 1)[0] if " - " in first else first.rsplit(" | ", 1)[0])
    return [c for c in dict.fromkeys(out) if len(c.split()) >= 2]


def _site_part(first: str, head: str) -> str | None:
    rest = first.replace(head, "", 1).strip(" -|–—:·»•")
    if rest and len(rest.split()) <= 5 and rest != first:
        return rest
    return None


@dataclass(frozen=True)
class PageLines:
    """What the rules know about a page's non-blank lines, for a body model to decide on."""
    lines: list            # _Line, in page order
    rule_keep: list[bool]  # the rules' body verdict
    is_title: list[bool]
    candidates: list[bool]  # lines a body model may keep or drop (not the title, not metadata)
    start: int             # the rules' article block [start, end)
    end: int
    anchor: int            # the headline occurrence that opens the article


SHIPPED = "shipped"     # clean_text's default body model: transforms/line_model.json


def clean_text(text: str, seen_in: Mapping[int, int] | None = None, body_model=SHIPPED) -> CleanedText:
    """Split page text into title, article body and metadata; explain every line.

    `seen_in` maps line keys (`line_key`) to the number of distinct articles of the corpus that
    hold the line; without it no line is judged by its repetition across articles. On a web page
    `body_model` (a callable PageLines -> [(keep, reason) or None per line]) decides which lines
    are the body; the rules' verdicts are among its evidence. None: the rules decide; the
    default is the model that ships with the code (transforms/line_model.py)."""
    if not isinstance(text, str):
        text = str(text or "")
    raw_lines = text.split("\n")
    nonblank = [(no, s) for no, s in enumerate(map(str.strip, raw_lines)) if s]
    # Where the headline repeats the page title: the menus above it get only a cheap look.
    title_idx = _find_headline(nonblank)
    full_from = title_idx[0] if title_idx and title_idx[0] > _FULL_TOP else 0
    lines: list[_Line] = []
    cache: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for idx, (no, s) in enumerate(nonblank):
        f = cache.get(s)
        if f is None:
            f = cache[s] = _features(s) if idx < _FULL_TOP or idx >= full_from else _cheap_features(s)
        kind, why, nw, stop, meta, end, sent = f
        ln = _Line(no, s, nw, len(s), stop, kind, why, end, False, -1, meta, 0.0, 1, 1, False, sent)
        if kind in (HEAD, MENU) and _DIGIT.search(s):
            toks = s.split()
            nnum = sum(1 for t in toks if _DIGIT.search(t))
            ln.numeric = nnum >= 2 and nnum >= 0.3 * len(toks)
        lines.append(ln)
        counts[s] = counts.get(s, 0) + 1
    _mark_runs(lines)
    for ln in lines:
        ln.rep = counts[ln.text]

    roles: dict[int, tuple[str, str]] = {}
    title = publisher = byline = dateline = None
    credits: list[str] = []
    if not lines:
        return CleanedText(None, "", decisions=_decisions(raw_lines, roles))

    furniture = _furniture(lines, title_idx)
    plain = furniture is None
    if seen_in and _repeated_lines(lines, seen_in, {0, *title_idx}, plain):
        _mark_runs(lines)

    # ---- title ------------------------------------------------------------------------------
    first = lines[0]
    first_norm = _norm(first.text)
    title_line = first
    title_how = "headline (first line)"
    if title_idx:
        title_line = lines[title_idx[0]]
        title_how = ("headline (the page title repeated in the page)" if _norm(title_line.text) == first_norm
                     else "headline (the page title without the site name)")
        title = title_line.text
        publisher = _site_part(first.text, title) if _norm(title) != first_norm else None
    else:
        # A headline-like line repeated near the top when the first line is not one ("Find Us").
        rep_head = None
        if not plain and (first.kind in (MENU, JUNK, META) or first.words <= 3):
            for i, ln in enumerate(lines[1:60], 1):
                if ln.rep >= 2 and 4 <= ln.words <= 30 and ln.kind in (HEAD, WEAK, PROSE) \
                        and (not _SENT_END.search(ln.text[-3:]) or ln.text.endswith("?")):
                    rep_head = i
                    break
        if rep_head is not None:
            title_line = lines[rep_head]
            title = title_line.text
            title_idx = [i for i, ln in enumerate(lines) if ln.text == title]
            title_how = "headline (a headline-like line repeated near the top)"
        elif (first.kind == PROSE and first.words > 40) or first.chars > 300 or \
                (first.kind == JUNK and (first.words <= 3 or first.why == "no letters")):
            title = None       # no headline: running prose, a giant line, or no words at all
        else:
            title = first.text
    tnorm = _norm(title) if title else None
    is_title = [False] * len(lines)
    if title is not None:
        is_title[0] = True
        for i in title_idx:
            is_title[i] = True
        for i, ln in enumerate(lines):
            if not is_title[i] and abs(ln.chars - len(title)) < 6 and _norm(ln.text) == tnorm:
                is_title[i] = True
    anchor = max((i for i in title_idx if i < len(lines) * 0.8), default=0) if title_idx else 0
    # The headline occurrence that opens the article: the last one before the first long prose.
    first_prose = next((i for i, ln in enumerate(lines) if ln.kind == PROSE and not is_title[i]
                        and i > (title_idx[0] if title_idx else 0)), None)
    if title_idx and first_prose is not None:
        before = [i for i in title_idx if i < first_prose]
        anchor = before[-1] if before else title_idx[0]

    # ---- the article block ------------------------------------------------------------------
    n = len(lines)
    first_body = next((i for i in range(n) if not is_title[i]), n)
    header_lines: set[int] = set()
    if plain:
        # An article as written: every line is text but the first byline and dateline among the
        # few short lines right below the headline, which go to their fields (a date, a name or a
        # credit further down is text: a table row, a quote).
        start, end = first_body, n
        header: dict[str, int] = {}
        for i in range(first_body, min(n, first_body + _PLAIN_HEADER)):
            if lines[i].kind in (PROSE, WEAK):
                break
            if lines[i].meta in ("byline", "dateline"):
                header.setdefault(lines[i].meta, i)
        header_lines.update(header.values())
    else:
        _score_lines(lines, is_title, anchor)
        start, end = _best_block(lines, anchor)
        end = _trim_teasers(lines, start, end)
    # ---- decisions ----------------------------------------------------------------------------
    keep = [False] * n
    reason = [""] * n
    seen: set[str] = set()
    end_marker_text = None
    menu_run = _runs(lines)
    meta_found: list[tuple[int, str, _Line]] = []
    list_start = list_end = 0
    for i, ln in enumerate(lines):
        k = ln.kind
        if is_title[i]:
            if i == 0 and title_line is not first:
                if _norm(ln.text) == tnorm:
                    why = "page title, repeated below as the headline"
                elif tnorm and tnorm in _norm(ln.text):
                    why = "page title: the headline plus the site name"
                else:
                    why = f"first line is not the headline ({ln.why})"
                roles[ln.no] = ("boilerplate", why)
            elif ln is title_line:
                roles[ln.no] = ("title", title_how if plain else f"{title_how}; a web page ({furniture})")
            else:
                roles[ln.no] = ("boilerplate", "repeats the headline")
            continue
        if ln.end_marker and i > start:
            if end_marker_text is None and i >= end:
                end_marker_text = ln.text
            roles[ln.no] = ("boilerplate", ln.why if ln.barrier or i >= end
                            else f"inline link-list heading '{ln.text[:40]}', article text resumes after it")
            continue
        if plain and i not in header_lines and (k != JUNK or _WORD.search(ln.text)):
            keep[i] = True
            why = ln.why.split(": ", 1)[-1] if k == META else ln.why
            roles[ln.no] = ("body", f"plain text without page furniture, kept ({why})")
            continue
        if plain and ln.meta == "dateline" and _WIRE_PLACE.match(ln.text) \
                and ln.text.split()[0].lower().strip(",") not in _AGENCY | _DATE_KEYWORDS:
            # Its place is where the story was filed, a mention the entities need: kept as the
            # first paragraph and copied to `dateline`.
            keep[i] = True
            roles[ln.no] = ("body", "wire dateline (place in capitals, then the date): kept, also the dateline")
            meta_found.append((i, "dateline", ln))
            continue
        if k == META:
            role = ln.meta or "boilerplate"
            if role == "caption":
                role = "credit"
            roles[ln.no] = (role, ln.why.split(": ", 1)[-1])
            if i <= end + 3:
                meta_found.append((i, role, ln))
            continue
        inside = start <= i < end
        if k == JUNK:
            roles[ln.no] = ("boilerplate", ln.why)
            continue
        if not inside:
            where = "before the article text" if i < start else (
                f"after '{end_marker_text[:40]}'" if end_marker_text else "after the article text")
            if menu_run[i]:
                roles[ln.no] = ("boilerplate", f"menu: {ln.why}, {menu_run[i]} ({where})")
            else:
                roles[ln.no] = ("boilerplate", f"{where}: {ln.why}")
            continue
        if ln.widget >= 0:
            roles[ln.no] = ("boilerplate", f"link list after '{lines[ln.widget].text[:40]}': {ln.why}")
            continue
        if ln.rep > 1 and any(lines[j].text == ln.text for j in range(max(start, i - 3), i)):
            roles[ln.no] = ("boilerplate", "repeats a line just above")
            continue
        if ln.rep > 1 and k == PROSE and ln.text in seen:
            roles[ln.no] = ("boilerplate", "repeats an earlier paragraph")
            continue
        seen.add(ln.text)
        if k in (PROSE, WEAK):
            keep[i] = True
            reason[i] = ln.why
        elif ln.run < 3 or ln.numeric:
            keep[i] = True
            reason[i] = f"short line inside the article block ({ln.why})"
        else:
            if list_end <= i:           # the list of short lines this one belongs to: [a, b]
                a = i
                while a > start and lines[a - 1].kind in (HEAD, MENU):
                    a -= 1
                b = i
                while b + 1 < end and lines[b + 1].kind in (HEAD, MENU):
                    b += 1
                list_start, list_end = a, b + 1
            a, b = list_start, list_end - 1
            if a > start and b + 1 < end and lines[a - 1].kind in (PROSE, WEAK) \
                    and lines[b + 1].kind in (PROSE, WEAK):
                keep[i] = True
                reason[i] = f"list item between article paragraphs ({ln.words} words)"
            else:
                roles[ln.no] = ("boilerplate", f"{ln.why}, in a run of {ln.run} short lines")
                continue
        roles[ln.no] = ("body", reason[i])

    if not plain:
        # Photo captions: a kept line right before a credit line.
        for i in range(start, min(end, n - 1)):
            nxt = lines[i + 1]
            if keep[i] and nxt.meta == "credit" and lines[i].words <= 60 and (
                    nxt.text[0] == "(" or "/" in nxt.text or
                    nxt.text.lower().startswith(("photo", "credit", "foto", "image credit", "picture", "pic"))):
                keep[i] = False
                roles[lines[i].no] = ("boilerplate", "photo caption (followed by a credit line)")
        # Trailing related-link list inside the block: drop short non-sentences at its end.
        j = end - 1
        while j >= start and (not keep[j] or lines[j].kind in (HEAD, MENU) and not lines[j].numeric):
            if keep[j]:
                keep[j] = False
                roles[lines[j].no] = ("boilerplate", "short line at the end of the article block")
            j -= 1

    if not plain and body_model is not None:
        if body_model is SHIPPED:      # loaded on the first web page: a corpus of plain texts never needs it
            body_model = line_model.shipped()
        candidates = [not is_title[i] and roles.get(ln.no, ("",))[0] in ("body", "boilerplate")
                      for i, ln in enumerate(lines)]
        verdicts = body_model(PageLines(lines, list(keep), is_title, candidates, start, end, anchor))
        for i, verdict in enumerate(verdicts):
            if verdict is not None and candidates[i]:
                rules = f"rules {'kept' if keep[i] else 'dropped'}: {roles[lines[i].no][1]}"
                keep[i], why = verdict
                roles[lines[i].no] = ("body" if keep[i] else "boilerplate", f"{why} ({rules})")

    # Metadata: the byline and dateline nearest below the headline (else the last above it), the
    # credits of the headline zone and of the article block.
    dated_lines = []
    for want in ("dateline", "byline"):
        below = [x for x in meta_found if x[1] == want and x[0] >= anchor]
        above = [x for x in meta_found if x[1] == want and x[0] < anchor]
        pick = below[0] if below else (above[-1] if above else None)
        if pick is None:
            continue
        dated_lines.append(pick[2].text)
        if want == "byline":
            m = _BYLINE.match(pick[2].text)
            byline = _byline_name(m.group(2)) if m else pick[2].text
        else:
            dateline = pick[2].text
            m = _BY_IN_LINE.search(dateline)
            if byline is None and m:
                byline = _byline_name(m.group(1)) or None
    for i, role, ln in meta_found:
        if role == "credit" and i >= anchor - 3:
            credits.append(_credit_text(ln))
        elif role in ("byline", "dateline") and anchor - 3 <= i <= anchor + _HEADER_LINES:
            dated_lines.append(ln.text)
    published = publication_date(dated_lines)
    if publisher is None and dateline and not plain:
        # "Associated Press November 19, 2019, 9:02 AM": the words before the date (in an article
        # as written they are a wire dateline's place: "NEW YORK 1996-08-30")
        m = _DATE.search(dateline)
        lead = dateline[:m.start()].strip(" ,-|•·") if m else ""
        if lead and 1 <= len(lead.split()) <= 4 and lead[0].isupper() \
                and not any(w.lower().strip(":,") in _DATE_TOKENS for w in lead.split()):
            publisher = lead
    if dateline:
        dateline = dateline.strip(" |•·-–—")
    credits = [" ".join(c.split()) for c in credits]
    credits = list(dict.fromkeys(c for c in credits if c))
    byline, dateline, publisher = (" ".join(v.split()) or None if v else None
                                   for v in (byline, dateline, publisher))
    body = "\n\n".join(lines[i].text for i in range(n) if keep[i])
    return CleanedText(title=title, body=body, byline=byline, publisher=publisher, dateline=dateline,
                       credits=tuple(credits), published=published, decisions=_decisions(raw_lines, roles))


def _mark_runs(lines: list[_Line]) -> None:
    """Size of each run of adjacent short or furniture lines (no blank line between); a run of
    dated or numbered lines is data (a table, tour dates), not a menu and not a dateline."""
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.kind in (HEAD, MENU, JUNK, META):
            j = i + 1
            while (j < len(lines) and lines[j].no == lines[j - 1].no + 1
                   and lines[j].kind in (HEAD, MENU, JUNK, META)):
                j += 1
            for k in range(i, j):
                lines[k].run = j - i
            if j - i >= 4 and sum(1 for k in range(i, j) if _DIGIT.search(lines[k].text)) >= 0.8 * (j - i):
                for k in range(i, j):
                    x = lines[k]
                    if x.kind in (HEAD, MENU) or x.meta == "dateline":
                        x.numeric = True
                        if x.kind == META:
                            x.kind, x.meta = HEAD, None
                            x.why = f"list line with a date or number, in a run of {j - i} such lines"
            i = j
        else:
            i += 1


def _score_lines(lines: list[_Line], is_title: list[bool], anchor: int) -> None:
    """Score every line for the block search: paragraphs positive, furniture negative, an
    end-of-article heading a barrier (or a small cost when article text resumes after its links)."""
    n = len(lines)
    for i, ln in enumerate(lines):
        if is_title[i]:
            ln.score = -1.0
            continue
        k = ln.kind
        if ln.end_marker:
            resume = _inline_widget(lines, i) if i > anchor else None
            if resume is None:
                s = _BARRIER
                ln.barrier = True
            else:
                s = _INLINE_MARKER
                for j in range(i + 1, resume):
                    lines[j].widget = i
        elif k == PROSE:
            s = 1.0 + min(ln.words, 80) / 20.0
            if _ISOLATED_SCORE is not None and ln.words <= 45 and 0 < i < n - 1 \
                    and _teaser_side(lines[i - 1]) and _teaser_side(lines[i + 1]):
                s = _ISOLATED_SCORE      # one paragraph between short lines: a teaser?
        elif k == WEAK:
            s = 0.6
        elif k in (HEAD, MENU):
            if ln.numeric:
                s = _NUMERIC_SCORE
            elif ln.run >= 3:
                s = -1.0
            else:
                s = _HEAD_SCORE if k == HEAD else _MENU_SCORE
            if ln.rep > 1:
                s -= _REP_PENALTY
        elif k == META:
            s = -0.5
        else:
            s = -2.0 if ln.run > 1 else _LONE_JUNK_SCORE
        if i < anchor:
            s = min(s, -1.0)
        ln.score = s


# Line kinds that text as written has too: separators and numbers, headings in capitals, data rows.
_NOT_FURNITURE = ("no letters", "all-capitals line", "menu line")


def _furniture(lines: list[_Line], title_idx: list[int]) -> str | None:
    """The first sign that the text is a dump of a web page rather than an article as written, or
    None. Signs are what only a page carries: link/button/notice phrasing, an end-of-article
    heading, a copyright line, the page title repeated as the headline, a menu at the top. Runs of
    short lines, table rows, lines split by | or / and lines in capitals are not signs: wire copy,
    results and lists have them."""
    if title_idx:
        return "the page title is repeated as the headline"
    if lines[0].run >= 4:
        return f"the text opens with a run of {lines[0].run} short lines (a menu)"
    for ln in lines:
        if ln.end_marker or ln.kind == JUNK and not ln.shared and not ln.why.startswith(_NOT_FURNITURE):
            return f"'{ln.text[:40]}': {ln.why}"
        if ln.meta == "credit" and ("©" in ln.text or ln.text.lower().startswith("copyright")):
            return f"'{ln.text[:40]}': copyright line"
    return None


def _segments(lines: list[_Line], gap: float) -> list[tuple[float, int, int, bool]]:
    """Runs of lines whose running score stays positive (Kadane), as (score, start, end, closed
    by an end-of-article heading).

    A run is closed at its peak when the running score falls `gap` below that peak (a long
    stretch of boilerplate) or at an end-of-article heading."""
    segs = []
    start = None
    cur = peak = 0.0
    peak_end = 0
    for i, ln in enumerate(lines):
        sc = ln.score
        if start is None:
            if sc > 0:
                start, cur, peak, peak_end = i, sc, sc, i + 1
            elif ln.barrier and segs and segs[-1][3] is False and i - segs[-1][2] < 12:
                segs[-1] = segs[-1][:3] + (True,)
            continue
        if ln.barrier:
            segs.append((peak, start, peak_end, True))
            start = None
            continue
        cur += sc
        if cur > peak:
            peak, peak_end = cur, i + 1
        elif cur <= 0 or cur < peak - gap:
            segs.append((peak, start, peak_end, False))
            start = None
    if start is not None:
        segs.append((peak, start, peak_end, False))
    return segs


def _best_block(lines: list[_Line], anchor: int) -> tuple[int, int]:
    """The article block as [start, end): the first strong run after the headline."""
    segs = _segments(lines, _GAP)
    if not segs:
        return 0, 0
    best = max(s[0] for s in segs)
    pick = None
    for k, (sc, st, _end, closed) in enumerate(segs):
        if st < anchor:
            continue
        if sc >= max(_MIN_BLOCK, _FIRST_FRACTION * best) or (closed and sc >= _CLOSED_BLOCK):
            pick = k
            break
    if pick is None:
        pick = max(range(len(segs)), key=lambda k: segs[k][0])
    sc, st, en, _ = segs[pick]
    # Lead paragraphs cut off by a photo or a "Read more" line just below them join the block.
    k = pick - 1
    while k >= 0:
        psc, pst, pen, pclosed = segs[k]
        gap = sum(ln.score for ln in lines[pen:st])
        if pclosed or pst < anchor or st - pen > _HEADER_LINES or gap < -_MERGE_GAP \
                or any(ln.barrier for ln in lines[pen:st]):
            break
        st = pst
        k -= 1
    return _trim_header(lines, st, en, sc), en


def _teaser_side(ln: _Line) -> bool:
    """A headline, kicker or author line (what stands around a teaser paragraph)."""
    return ln.kind in (HEAD, MENU) or ln.shared or (ln.kind == WEAK and not ln.sent)


def _trim_teasers(lines: list[_Line], start: int, end: int) -> int:
    """Cut a trailing list of teasers (kicker/headline/author lines, then one short paragraph,
    again and again) off the end of the article block; returns the new end."""
    units = 0
    j = end - 1
    while j >= start and lines[j].kind != PROSE:       # short lines after the last paragraph
        j -= 1
    cut = end
    while j > start:
        if lines[j].kind != PROSE or lines[j].words > _TEASER_WORDS or _numeric_share(lines[j].text) > 0.12:
            break
        k = j - 1
        while k >= start and lines[k].kind != PROSE and j - k <= 3:
            k -= 1
        if k < start or lines[k].kind != PROSE and j - k > 3 or k == j - 1:
            break
        units += 1
        cut = k + 1
        j = k
    return cut if units >= _TEASER_UNITS else end


def _numeric_share(text: str) -> float:
    toks = text.split()
    return sum(1 for t in toks if _DIGIT.search(t)) / len(toks) if toks else 0.0


def _inline_widget(lines: list[_Line], i: int) -> int | None:
    """For a "Related"/"Don't miss" heading at i inside the article: the index where article prose
    resumes after its short list of links, or None when the heading ends the article (nothing but
    links, comments or teasers follow)."""
    n = len(lines)
    j = i + 1
    while j < n and j - i <= _WIDGET_LINES and lines[j].kind != PROSE:
        if _comment_signal(lines[j]):
            return None
        j += 1
    if j >= n - 2 or j - i > _WIDGET_LINES or j == i + 1:
        return None
    # Article text resumes: three paragraphs in a row (teasers alternate with short lines).
    follow = lines[j:j + 3]
    if all(x.kind in (PROSE, WEAK) and not x.end_marker and not _comment_signal(x) for x in follow) \
            and sum(x.kind == PROSE for x in follow) >= 2:
        return j
    return None


def _comment_signal(ln: _Line) -> bool:
    return ((ln.kind == JUNK and "comment" in ln.why) or
            (ln.meta == "dateline" and " ago" in ln.text.lower()))


def _trim_header(lines: list[_Line], st: int, en: int, total: float) -> int:
    """Move the block start past a standfirst/caption/byline zone at its top: the last
    metadata or button line among the first lines, when little prose stands before it."""
    last = None
    pos = 0.0
    nprose = 0
    dated = False
    for i in range(st, min(en, st + _HEADER_LINES)):
        ln = lines[i]
        dated = dated or ln.meta in ("byline", "dateline")
        if ln.kind in (META, JUNK):
            if pos <= _HEADER_SHARE * total and nprose <= 2 and (dated or nprose == 0):
                last = i
        elif ln.score > 0:
            if dated and ln.kind == PROSE:
                break               # past the byline/date: the article text has begun
            pos += ln.score
            nprose += ln.kind == PROSE
    if last is None:
        return st
    j = last + 1
    while j < en and lines[j].kind not in (PROSE, WEAK):
        j += 1
    return j if j < en else st


def _runs(lines: list[_Line]) -> list[str]:
    """For each line in a run of >= 4 menu-like lines, a note like 'in a run of 6 such lines'."""
    out = [""] * len(lines)
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].kind in (MENU, HEAD) and lines[i].words <= 4:
            j = i
            while j < n and lines[j].kind in (MENU, HEAD, JUNK) and lines[j].words <= 4:
                j += 1
            if j - i >= 4:
                for k in range(i, j):
                    out[k] = f"in a run of {j - i} such lines"
            i = j
        else:
            i += 1
    return out


def _decisions(raw_lines: list[str], roles: dict[int, tuple[str, str]]) -> tuple[LineDecision, ...]:
    # LineDecision is a frozen dataclass; filling __dict__ directly builds the same objects
    # several times faster than its __init__, which matters on pages of thousands of lines.
    new = object.__new__
    out = []
    append = out.append
    get = roles.get
    for no, raw in enumerate(raw_lines):
        d = new(LineDecision)
        if not raw or raw.isspace():
            d.__dict__.update(line_no=no, text=raw, role="blank", reason="blank")
        else:
            role, why = get(no) or ("boilerplate", "unclassified")
            d.__dict__.update(line_no=no, text=raw, role=role, reason=why)
        append(d)
    return tuple(out)
