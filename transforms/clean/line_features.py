"""What a body model knows about each line of a web page, as numbers.

The rules (`lines.py`, `blocks.py`, `verdicts.py`) describe every line: its kind, metadata,
end-of-article headings, menus, the block they would keep. Here those descriptions, the line's
own shape (stop-word share for the page's language from `stopwordsiso`, punctuation, capitals,
digits, URL shapes), its place on the page, the same facts about its neighbours and what its
words say (the model's table of word odds, `word_odds.py`) become one row of FEATURES per line;
`stack_features` adds what a first model thought of the line's surroundings.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter
import math
import re
from typing import NamedTuple

import numpy as np

from transforms.clean.blocks import comment_signal
from transforms.clean.lines import PROSE, WEAK
from transforms.clean import word_odds
from transforms.clean.word_odds import WORD_ODDS, line_words, looked_up, odds_columns

KINDS = PROSE + 1
STOPWORD_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "nl")
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
WINDOWS = (1, 3, 6)

# The Line attributes OWN reads as numbers.
_LINE_FACTS = ("words", "chars", "stop", "end_marker", "barrier", "numeric", "sent", "rep", "run", "shared", "widget",
               "score")
HEAD_CHARS = 2000               # characters of a line its shape is measured on
_WORD = re.compile(r"\w+")
# A year, a clock time or a numeric date: the shape of a time stamp in any language.
_STAMP = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}:\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
STAMP_MAX_WORDS = 10
# A URL, an address or a handle; split in two so that a line without '@', '.' or '://' (most
# lines of a page) costs no regex at all.
_URLISH_AT = re.compile(r"@\w|\S@\S")
_URLISH_DOT = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b", re.I)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset]:
    """Stop-word lists of the languages the pages come in (stopwordsiso's, maintained upstream)."""
    import stopwordsiso
    return {lang: frozenset(stopwordsiso.stopwords(lang)) for lang in STOPWORD_LANGUAGES}


@lru_cache(maxsize=1)
def _stop_languages() -> dict[str, int]:
    """Per stop word, the languages whose list holds it: bit k for STOPWORD_LANGUAGES[k]."""
    languages: dict[str, int] = {}
    for k, lang in enumerate(STOPWORD_LANGUAGES):
        for word in stopwords()[lang]:
            languages[word] = languages.get(word, 0) | 1 << k
    return languages


class _PageWords(NamedTuple):
    """The words of a page's lines as numbers: each distinct word once (`vocabulary`, in the
    order first seen), then every word of every line as its index there and its line. Counting
    them takes array arithmetic instead of a set or a sum per line."""
    vocabulary: list[str]
    index: dict[str, int]   # each word's place in the vocabulary
    lengths: np.ndarray     # characters of each word of the vocabulary
    ids: np.ndarray
    line_of: np.ndarray
    sizes: np.ndarray       # words per line


def _page_words(toks: list[Sequence[str]]) -> _PageWords:
    """_PageWords of the lines' words (`toks`: per line, its words)."""
    flat = list(chain.from_iterable(toks))
    index = dict.fromkeys(flat)
    for k, word in enumerate(index):
        index[word] = k
    sizes = np.fromiter(map(len, toks), dtype=np.intp, count=len(toks))
    return _PageWords(list(index), index, np.fromiter(map(len, index), dtype=np.intp, count=len(index)),
                      np.fromiter(map(index.__getitem__, flat), dtype=np.intp, count=len(flat)),
                      np.repeat(np.arange(len(toks)), sizes), sizes)


def _distinct_pairs(line_of: np.ndarray, ids: np.ndarray, vocabulary_size: int) -> tuple[np.ndarray, np.ndarray]:
    """(line, word) of the distinct pairs among (line_of[k], ids[k]), by line then word."""
    span = max(vocabulary_size, 1)
    return np.divmod(np.unique(line_of * span + ids), span)


OWN = ["log_words", "log_chars", "stop_share", "iso_stop_share", *(f"kind_{k}" for k in range(KINDS)),
       "meta", "end_marker", "barrier", "numeric", "sentence_end", "log_repeats", "log_run", "shared",
       "in_widget", "rule_keep", "in_rule_block", "is_title", "candidate", "ends_colon", "ends_question",
       "digit_share", "upper_share", "capitalised_share", "commas_per_word", "urlish", "separators",
       "starts_with_symbol", "blank_before", "blank_after", "rule_score"]
# Where the line stands against the end-of-article headings and the comments, unclipped
# distances to the rules' block, and how much of its vocabulary it shares with the headline and
# with the page's densest run of prose (a teaser of another story shares little).
BARRIER_CONTEXT = ["barriers_above", "barriers_below", "barriers_from_run", "comments_above", "signed_log_from_start",
                   "signed_log_from_end", "signed_log_from_anchor", "log_words_to_run", "main_run_share"]
TOPIC_CONTEXT = ["title_overlap", "run_overlap"]
# Time stamps and metadata lines around the line: an article has a date or two near its top, a
# comment thread or a list of teasers has one on every record.
STAMP_WINDOWS = (6, 20)
STAMP_CONTEXT = ["timestamp", "stamps_above", "stamps_below",
                 *(f"{side}_{what}_{w}" for w in STAMP_WINDOWS for what in ("stamps", "meta") for side in ("up", "down"))]
# The same against the first sizeable run of running text after the headline: on a page whose
# article is short, the densest run is often its comments or the teasers below it.
ANCHOR_RUN_WORDS = 40
ANCHOR_CONTEXT = ["in_anchor_run", "anchor_run_distance", "barriers_from_anchor_run", "anchor_run_share"]
CONTEXT = ["position", "words_before_share", "after_anchor", "from_anchor", "from_block_start", "to_block_end",
           *(f"{side}_{what}_{w}" for w in WINDOWS for side in ("up", "down")
             for what in ("log_words", "prose", "rule_keep")),
           "up_prose_distance", "down_prose_distance", "in_main_run", "main_run_distance",
           "page_log_lines", "page_log_words", "page_rule_keep_share", "page_english",
           *BARRIER_CONTEXT, *TOPIC_CONTEXT, *STAMP_CONTEXT, *ANCHOR_CONTEXT]
NEIGHBOUR_OWN = ["log_words", "stop_share", "iso_stop_share", "kind_6", "kind_5", "kind_0", "sentence_end",
                 "rule_keep", "end_marker", "candidate", "is_title"]
PAGE_FEATURES = [*OWN, *CONTEXT, *(f"n{d:+d}_{name}" for d in NEIGHBOURS for name in NEIGHBOUR_OWN)]
# ... and what the line's words say, from the model's table of word odds (word_odds.py).
FEATURES = [*PAGE_FEATURES, *WORD_ODDS]
# The second stage also sees what the first one thought of the line's surroundings.
STACK_WINDOWS = (3, 6, 12)
STACKED = [*FEATURES, *(f"p{d:+d}" for d in (0, *NEIGHBOURS)),
           *(f"{side}_p_{w}" for w in STACK_WINDOWS for side in ("up", "down")), "page_p_mean", "page_p_max",
           "p_minus_page_mean"]


def stack_features(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The first stage's features plus its probabilities around each line."""
    n = len(p)
    cols = [p, *_neighbours(p)]
    window = _windows(p)
    for w in STACK_WINDOWS:
        for up in (True, False):
            cols.append(window(w, up) / w)
    mean = p.mean() if n else 0.0
    cols += [np.full(n, mean), np.full(n, p.max() if n else 0.0), p - mean]
    return np.hstack([x, _columns(cols)])


def features(page, odds: dict[str, float]) -> np.ndarray:
    """One row of FEATURES per line of `page` (clean.PageLines), with `odds` the model's word odds."""
    if not page.lines:
        return np.zeros((0, len(FEATURES)))
    words_of = _page_words([_words(ln) for ln in page.lines])
    return np.hstack([_page_features(page, words_of), _odds_features(page.lines, words_of, odds)])


def _odds_features(lines, words_of: _PageWords, odds: dict[str, float]) -> np.ndarray:
    """`word_odds.odds_features` of the lines' `line_words`, from the page's numbered words: a
    line's words are its tokens of letters only, two or more, and the words WORD finds in its
    other tokens ("covid19": "covid"), each once. A line longer than word_odds.HEAD_CHARS gets
    `line_words` of its head."""
    vocabulary, ids, line_of = words_of.vocabulary, words_of.ids, words_of.line_of
    found: dict[str, int] = {}          # words that are no token of the page, numbered after them

    def number(word: str) -> int:
        k = words_of.index.get(word)
        return found.setdefault(word, len(vocabulary) + len(found)) if k is None else k

    as_is = np.fromiter(map(str.isalpha, vocabulary), dtype=bool, count=len(vocabulary)) & (words_of.lengths > 1)
    inside: dict[int, list[int]] = {}   # the words in the other tokens that hold any
    for k in np.flatnonzero(~as_is).tolist():
        words = [number(w) for w in word_odds.WORD.findall(vocabulary[k])]
        if words:
            inside[k] = words
    long = np.array([len(ln.text) > word_odds.HEAD_CHARS for ln in lines])
    short = ~long[line_of]
    plain = as_is[ids] & short
    more_lines, more_words = [], []
    if inside:
        for i in np.flatnonzero(np.isin(ids, list(inside)) & short).tolist():
            more_words += inside[int(ids[i])]
            more_lines += [int(line_of[i])] * len(inside[int(ids[i])])
    for i in np.flatnonzero(long).tolist():
        words = [number(w) for w in line_words(lines[i].text)]
        more_words += words
        more_lines += [i] * len(words)
    # Each line's distinct words: the distinct (line, word) pairs.
    line, word = _distinct_pairs(np.concatenate([line_of[plain], np.array(more_lines, dtype=np.intp)]),
                                np.concatenate([ids[plain], np.array(more_words, dtype=np.intp)]),
                                len(vocabulary) + len(found))
    return odds_columns(looked_up(vocabulary + list(found), odds)[word], line,
                        np.bincount(line, minlength=len(lines)).astype(float))


def page_features(page) -> np.ndarray:
    """One row of PAGE_FEATURES per line of `page` (clean.PageLines): all but the word odds."""
    if not page.lines:
        return np.zeros((0, len(PAGE_FEATURES)))
    return _page_features(page, _page_words([_words(ln) for ln in page.lines]))


def _page_features(page, words_of: _PageWords) -> np.ndarray:
    lines = page.lines
    n = len(lines)
    lang, stop = _page_language(words_of)
    # One pass over the lines for the attributes read as numbers (not one per attribute).
    fact = dict(zip(_LINE_FACTS, np.array(list(map(attrgetter(*_LINE_FACTS), lines)), dtype=float).T))
    stops = np.bincount(words_of.line_of, weights=stop[words_of.ids], minlength=n)
    own = _own_columns(page, fact, np.maximum(words_of.sizes, 1), stops)
    col = {name: k for k, name in enumerate(OWN)}
    words = fact["words"]
    prose = own[:, col["kind_6"]]
    keep = own[:, col["rule_keep"]]
    ctx = np.zeros((n, len(CONTEXT)))
    total = max(words.sum(), 1.0)
    before = _before(words)
    idx = np.arange(n)
    ctx[:, 0] = idx / n
    ctx[:, 1] = before / total
    ctx[:, 2] = idx > page.anchor
    ctx[:, 3] = np.clip((idx - page.anchor) / 50.0, -2, 2)
    ctx[:, 4] = np.clip((idx - page.start) / 50.0, -2, 2)
    ctx[:, 5] = np.clip((page.end - idx) / 50.0, -2, 2)
    k = 6
    window = _windows(np.stack([words, prose, keep], axis=1))
    for w in WINDOWS:
        for up in (True, False):
            summed = window(w, up)
            ctx[:, k] = np.log1p(summed[:, 0])
            ctx[:, k + 1:k + 3] = summed[:, 1:] / w
            k += 3
    ctx[:, k] = np.log1p(_distance(prose > 0, up=True))
    ctx[:, k + 1] = np.log1p(_distance(prose > 0, up=False))
    runs = _prose_runs(lines)
    main_run = _main_run(runs)
    in_run, run_distance = _run_membership(*main_run, n)
    ctx[:, k + 2] = in_run
    ctx[:, k + 3] = np.log1p(run_distance)
    ctx[:, k + 4] = math.log1p(n)
    ctx[:, k + 5] = math.log1p(total)
    ctx[:, k + 6] = keep.mean()
    ctx[:, k + 7] = lang == "en"
    k += 8
    barrier = np.maximum(fact["barrier"], fact["end_marker"])
    ctx[:, k:k + len(BARRIER_CONTEXT)] = _barrier_context(page, words, barrier, *main_run)
    k += len(BARRIER_CONTEXT)
    ctx[:, k:k + len(TOPIC_CONTEXT)] = _topic_context(page, words_of, stop, in_run > 0)
    k += len(TOPIC_CONTEXT)
    ctx[:, k:k + len(STAMP_CONTEXT)] = _stamp_context(page, own[:, col["meta"]],
                                                      (own[:, col["digit_share"]] > 0) | (fact["chars"] > HEAD_CHARS))
    k += len(STAMP_CONTEXT)
    ctx[:, k:] = _anchor_context(words, barrier, *_anchor_run(runs, page.anchor))
    picked = own[:, [col[name] for name in NEIGHBOUR_OWN]]
    return np.hstack([own, ctx, *_neighbours(picked)])


def _words(ln) -> Sequence[str]:
    """The line's words in lower case (of its first 3,000 characters on a line of 400 words or
    more): those the rules found when they found them."""
    if ln.words < 400:
        return _WORD.findall(ln.text.lower()) if ln.toks is None else ln.toks
    return _WORD.findall(ln.text[:3000].lower())


def _barrier_context(page, words: np.ndarray, barrier: np.ndarray, start: int, end: int) -> np.ndarray:
    """BARRIER_CONTEXT per line ([start, end): the densest run of running text)."""
    lines = page.lines
    n = len(lines)
    idx = np.arange(n)
    comment = np.array([comment_signal(ln) for ln in lines], dtype=float)
    above = _before(barrier)
    words_to_run = _between_run(words, start, end)
    run_words = max(float(words[start:end].sum()), 1.0)
    out = [np.log1p(above), np.log1p(barrier.sum() - above - barrier), np.log1p(_between_run(barrier, start, end)),
           np.log1p(_before(comment))]
    out += [np.sign(idx - ref) * np.log1p(np.abs(idx - ref)) for ref in (page.start, page.end, page.anchor)]
    out += [np.log1p(words_to_run / run_words), np.full(n, run_words / max(float(words.sum()), 1.0))]
    return _columns(out)


def _before(values: np.ndarray) -> np.ndarray:
    """Sum of `values` over the lines above each line."""
    return np.concatenate([[0.0], np.cumsum(values)[:-1]])


def _between_run(values: np.ndarray, start: int, end: int) -> np.ndarray:
    """Sum of `values` over the lines between each line and the run [start, end) (0 inside it)."""
    c = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(len(values))
    after = c[np.maximum(idx, end)] - c[end]
    before = c[start] - c[np.minimum(idx + 1, start)]
    return np.where(idx >= end, after, np.where(idx < start, before, 0.0))


def _topic_context(page, words_of: _PageWords, stop: np.ndarray, in_run: np.ndarray) -> np.ndarray:
    """TOPIC_CONTEXT per line: the share of its content words (three letters or more, not stop
    words) found in the headline, and in another line of the densest run of prose; -1 without any.
    (`stop`: per word of the vocabulary, whether it is a stop word of the page's language.)"""
    vocabulary, n = words_of.vocabulary, len(page.lines)
    content = ((words_of.lengths > 2) & ~stop)[words_of.ids]
    ids, line_of = words_of.ids[content], words_of.line_of[content]
    in_title = np.zeros(len(vocabulary), dtype=bool)
    in_title[ids[np.asarray(page.is_title, dtype=bool)[line_of]]] = True
    # How many lines of the run hold each word: its distinct (line, word) pairs, counted by word.
    run = in_run[line_of]
    _, held = _distinct_pairs(line_of[run], ids[run], len(vocabulary))
    lines_holding = np.bincount(held, minlength=len(vocabulary))[ids]
    found_in_run = np.where(run, lines_holding > 1, lines_holding > 0)     # another line's, for a line of the run
    size = np.bincount(line_of, minlength=n).astype(float)
    shares = np.array([np.bincount(line_of, weights=in_title[ids], minlength=n),
                       np.bincount(line_of, weights=found_in_run, minlength=n)]).T / np.maximum(size, 1)[:, None]
    return np.where(size[:, None] > 0, shares, -1.0)


def _stamp_context(page, meta: np.ndarray, maybe: np.ndarray) -> np.ndarray:
    """STAMP_CONTEXT per line (`maybe`: the lines that may hold a time stamp, those whose first
    HEAD_CHARS characters hold a digit and the longer ones; only they are searched)."""
    lines = page.lines
    stamp = np.zeros(len(lines))
    for i in np.flatnonzero(maybe).tolist():
        stamp[i] = lines[i].words <= STAMP_MAX_WORDS and _STAMP.search(lines[i].text) is not None
    above = _before(stamp)
    out = [stamp, np.log1p(above), np.log1p(stamp.sum() - above - stamp)]
    window = _windows(np.stack([stamp, meta], axis=1))
    for w in STAMP_WINDOWS:
        up, down = window(w, True), window(w, False)
        out += [up[:, 0], down[:, 0], up[:, 1], down[:, 1]]
    return _columns(out)


def _anchor_context(words: np.ndarray, barrier: np.ndarray, start: int, end: int) -> np.ndarray:
    """ANCHOR_CONTEXT per line."""
    inside, distance = _run_membership(start, end, len(words))
    share = float(words[start:end].sum()) / max(float(words.sum()), 1.0)
    return _columns([inside, np.log1p(distance), np.log1p(_between_run(barrier, start, end)),
                     np.full(len(words), share)])


def _columns(columns: list) -> np.ndarray:
    """Equally long one-dimensional arrays as the columns of a float matrix (one copy in C;
    np.stack costs more than the copy on a page of a few hundred lines)."""
    return np.array(columns, dtype=float).T


def _neighbours(values: np.ndarray) -> list[np.ndarray]:
    """For each d of NEIGHBOURS, the rows of `values` moved by d: row i holds row i + d (-1 past
    either end of the page); views of one padded copy."""
    n, reach = len(values), max(map(abs, NEIGHBOURS))
    padded = np.full((n + 2 * reach, *values.shape[1:]), -1.0)
    padded[reach:reach + n] = values
    return [padded[reach + d:reach + d + n] for d in NEIGHBOURS]


def _own_columns(page, fact: dict[str, np.ndarray], n_tok: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """OWN, a column at a time (`fact`: the _LINE_FACTS of the lines, as numbers; `n_tok`: words
    per line, at least 1; `stops`: stop words of the page's language per line)."""
    lines = page.lines
    n = len(lines)
    texts = [ln.text for ln in lines]
    kinds = np.zeros((n, KINDS))
    kinds[np.arange(n), [ln.kind for ln in lines]] = 1.0
    c = _character_counts(texts)
    numbers = np.array([ln.no for ln in lines])
    idx = np.arange(n)
    columns = [np.log1p(fact["words"]), np.log1p(fact["chars"]), fact["stop"],
               stops / n_tok, *kinds.T,
               np.array([ln.meta is not None for ln in lines]), fact["end_marker"], fact["barrier"], fact["numeric"],
               fact["sent"], np.log1p(fact["rep"] - 1), np.log1p(fact["run"]), fact["shared"], fact["widget"] >= 0,
               np.array(page.rule_keep), (idx >= page.start) & (idx < page.end), np.array(page.is_title),
               np.array(page.candidates), c["ends_colon"], c["ends_question"], c["digits"] / np.maximum(c["head"], 1),
               c["upper"] / np.maximum(c["letters"], 1), c["capitalised"] / np.maximum(c["words"], 1),
               c["commas"] / n_tok, np.array([_urlish(t[:HEAD_CHARS]) for t in texts]), c["separators"],
               np.array([not t[:1].isalnum() for t in texts]),
               np.concatenate([[True], numbers[:-1] < numbers[1:] - 1]),
               np.concatenate([numbers[1:] > numbers[:-1] + 1, [True]]), fact["score"]]
    return _columns(columns)


def _urlish(text: str) -> bool:
    """`text` holds a URL (http://, www., .com ...), an e-mail address or an @handle."""
    if "@" in text and _URLISH_AT.search(text) is not None:
        return True
    if "." not in text and "://" not in text:
        return False
    # Most lines hold a full stop; the case-insensitive regex is slow to scan them, and only
    # matches where one of these pieces is in the lower-cased text.
    low = text.lower()
    return ("://" in low or "www." in low or ".com" in low or ".org" in low or ".net" in low or ".htm" in low) \
        and _URLISH_DOT.search(text) is not None


@lru_cache(maxsize=1)
def _character_table() -> np.ndarray:
    """Per code point of the Basic Multilingual Plane, and a last entry for any code point past
    it: bits 1 digit, 2 upper case, 4 letter, 8 white space (Python's own str predicates, so
    every script counts; past the BMP, none of them)."""
    flags = [c.isdigit() | c.isupper() << 1 | c.isalpha() << 2 | c.isspace() << 3 for c in map(chr, range(0x10000))]
    return np.array([*flags, 0], dtype=np.uint8)


def _character_counts(texts: list[str]) -> dict[str, np.ndarray]:
    """Per line, over its first HEAD_CHARS characters (`head` of them): digits, upper-case
    letters, letters, words that start with a capital, words; over the whole line: commas,
    separators (| • ·), whether it ends with a colon and with ? or !. One pass of array
    arithmetic over the page instead of a Python loop per character: per-character flags, summed
    line by line (`reduceat` at the starts of the lines that have characters); the few lines
    longer than HEAD_CHARS get their whole-line facts from Python."""
    heads = [t[:HEAD_CHARS] for t in texts]
    code = np.frombuffer("".join(heads).encode("utf-32-le"), dtype=np.uint32)
    bits = _character_table().take(code, mode="clip")
    size = np.array([len(h) for h in heads], dtype=np.intp)
    some = size > 0
    start = (np.cumsum(size) - size)[some]
    space = (bits & 8).astype(bool)
    after_space = np.concatenate([[True], space[:-1]])
    after_space[start] = True
    word_start = after_space & ~space
    upper = (bits & 2).astype(bool)
    flags = {"digits": bits & 1, "upper": upper, "letters": (bits & 4).astype(bool), "capitalised": word_start & upper,
             "words": word_start, "commas": code == ord(","),
             "separators": (code == ord("|")) | (code == ord("•")) | (code == ord("·"))}
    out = {name: np.zeros(len(texts)) for name in flags}
    for name, flag in flags.items():
        out[name][some] = np.add.reduceat(flag, start, dtype=np.int64)
    last = np.zeros(len(texts), dtype=np.uint32)
    last[some] = code[start + size[some] - 1]
    out["ends_colon"], out["ends_question"] = last == ord(":"), (last == ord("?")) | (last == ord("!"))
    for i in np.flatnonzero(size == HEAD_CHARS).tolist():
        t = texts[i]
        out["commas"][i], out["separators"][i] = t.count(","), t.count("|") + t.count("•") + t.count("·")
        out["ends_colon"][i], out["ends_question"][i] = t.endswith(":"), t.endswith(("?", "!"))
    out["head"] = size.astype(float)
    return out


def _page_language(words_of: _PageWords) -> tuple[str, np.ndarray]:
    """The stop-word list that covers most of the page's words (the first 60 of each line, the
    first 3,000 of those): its language, near enough, and per word of the vocabulary whether it
    is on that list."""
    start = np.cumsum(words_of.sizes) - words_of.sizes
    sample = words_of.ids[(np.arange(len(words_of.ids)) - start[words_of.line_of]) < 60][:3000]
    counts = np.bincount(sample, minlength=len(words_of.vocabulary))
    languages = np.fromiter(map(_stop_languages().get, words_of.vocabulary, repeat(0)), dtype=np.int64,
                            count=len(words_of.vocabulary))
    on_list = [((languages >> k) & 1).astype(bool) for k in range(len(STOPWORD_LANGUAGES))]
    hits = [int(counts[on].sum()) for on in on_list]
    best = max(range(len(STOPWORD_LANGUAGES)), key=hits.__getitem__)      # the first of equals, as before
    return STOPWORD_LANGUAGES[best], on_list[best]


def _windows(values: np.ndarray):
    """window(w, up): the sum of `values` over the w lines above (or below) each line, the line
    itself excluded; the running sum is taken once for every w and side (and for every column of
    a two-dimensional `values`)."""
    c = np.concatenate([np.zeros((1, *values.shape[1:])), np.cumsum(values, axis=0)])
    n = len(values)

    def window(w: int, up: bool) -> np.ndarray:
        # Slices, not gathers: above line i, c[i] - c[i - w] (just c[i] near the top, c[0] being
        # 0); below it, c[i + 1 + w] - c[i + 1] (c[n] near the bottom).
        if up:
            out = c[:n].copy()
            if w < n:
                out[w:] -= c[:n - w]
            return out
        out = np.empty_like(c[1:])
        out[:] = c[n]
        if w < n:
            out[:n - w] = c[1 + w:]
        out -= c[1:]
        return out
    return window


def _distance(flags: np.ndarray, up: bool) -> np.ndarray:
    """Lines to the nearest flagged line above (or below); the page length when there is none."""
    n = len(flags)
    idx = np.arange(n)
    if up:
        at_or_above = np.maximum.accumulate(np.where(flags, idx, -1))
        above = np.concatenate([[-1], at_or_above[:-1]])
        return np.where(above >= 0, idx - above, n).astype(float)
    at_or_below = np.minimum.accumulate(np.where(flags, idx, n)[::-1])[::-1]
    below = np.concatenate([at_or_below[1:], [n]])
    return np.where(below < n, below - idx, n).astype(float)


def _prose_runs(lines) -> list[tuple[int, int, float]]:
    """Runs of running text: paragraphs with at most two other lines between them, as (start,
    end, words)."""
    runs = []
    start = last = None
    words = 0.0
    for i, ln in enumerate(lines):
        if ln.kind not in (PROSE, WEAK):
            continue
        if start is None or i - last > 3:
            if start is not None:
                runs.append((start, last + 1, words))
            start, words = i, 0.0
        words += ln.words
        last = i
    if start is not None:
        runs.append((start, last + 1, words))
    return runs


def _main_run(runs: list[tuple[int, int, float]]) -> tuple[int, int]:
    """The page's densest run of running text (the most words): on most pages the article, on a
    page with a short article, its comments or teasers."""
    best = max(runs, key=lambda r: r[2], default=(0, 0, 0.0))    # the first of equals, as before
    return best[0], best[1]


def _anchor_run(runs: list[tuple[int, int, float]], anchor: int) -> tuple[int, int]:
    """The first run of running text of ANCHOR_RUN_WORDS or more that reaches past the headline:
    where the article starts, even when a longer run of comments or teasers follows it."""
    for start, end, words in runs:
        if end > anchor and words >= ANCHOR_RUN_WORDS:
            return start, end
    return 0, 0


def _run_membership(start: int, end: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Which lines are in the run [start, end), and how far each other line is from it."""
    idx = np.arange(n)
    inside = (idx >= start) & (idx < end)
    distance = np.where(idx < start, start - idx, np.where(idx >= end, idx - end + 1, 0))
    return inside.astype(float), distance.astype(float)
