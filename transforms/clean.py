"""Page text to title, body and metadata, with the reason for every line it drops.

`clean_text` is a pure line classifier: it reads the (already decoded, NFC, stripped) text,
describes every line by features that need no site knowledge (length, terminal punctuation,
stopword density, capitalisation, link/button phrasing, repetition), finds the main article
block (the best-scoring run of lines after the headline, never crossing a "You might also
like"-style marker), then decides line by line inside and around that block. Every line gets a
`LineDecision` whose reason says why, for `newspipe clean FILE --explain`.

Standard library only, no I/O, linear in the size of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


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
    decisions: tuple[LineDecision, ...] = field(default=(), repr=False)


# --------------------------------------------------------------------------------------------
# Word lists. Small function-word sets of the frequent languages; a line of running text in any
# of them has a high share of these words, a menu or a headline list has few.
# --------------------------------------------------------------------------------------------
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would
you your yours yourself said says s t ve ll re d m don didn doesn isn wasn won can't it's
de la le les des du un une et est en que qui dans pour pas sur au aux avec ce cette ces il elle
ils elles nous vous son sa ses leur leurs mais ou plus par se ne été était sont être fait
el los las del lo y es por con para una su sus al como más pero sin sobre este esta entre cuando
muy también ya fue ha han hay era desde hasta donde porque
o os da das do dos em no na nos nas um uma é ao aos pelo pela com não mais foi são seu sua
der die das und ist den dem des ein eine einer eines nicht mit sich auf für von zu im dass es
auch wie an bei nach aus wird werden wurde hat haben sind war oder aber wenn noch nur so
il lo gli di che è per non con si una sono alla della nel anche come ma più del dei delle
het een en van de dat niet op te zijn voor met als ook maar bij dit om er nog wel
yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada bisa karena oleh
mereka kami kita saya atau sudah telah bahwa seperti jika adalah
и в не на что с по как это он она они но из к у за от же так для бы все его был была
было были мы вы я то о а или если только еще уже также при
""".split())

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
_SENT_END = re.compile(r"""[.!?。！？…]['"”’»)\]]*(?:\s*[^\w\s.,;:!?'"”’»)\]\-–—])*$""")
_SOFT_END = re.compile(r"""[:;,]['"”’»)\]]*$""")
_SENT_INNER = re.compile(r"""[.!?。！？][\s'"”’»]+\S""")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.(?:com|org|net|co\.\w\w|html?|php)\S*", re.I)

# Phrasing of links, buttons, forms and notices (matched on short lines only). Each entry:
# (pattern, label used in the reason). Anchored patterns are tried at the line start only.
_BOILER_START = [
    (r"(share|tweet|pin|email|print|e-mail)( this( article| story| post| entry| page)?)?\b", "share button"),
    (r"(follow|like) us\b|follow (@|on )|connect with us|find us\b", "follow/contact link"),
    (r"read (more|next|the full|full)\b|(continue|keep) reading\b|click here\b|see (all|more)\b|view (all|more|comments|gallery)\b|show (more|all)\b|load more\b|more (stories|news|videos|photos)\b", "read-more link"),
    (r"(advertisement|advertising|advert|sponsored( content| links)?|ad choices|adchoices|promoted( content)?|paid content)\b", "advertisement label"),
    (r"(related|read more|read also|also read|see also|more|watch|listen|recommended|related articles?|related stories)\s*:", "inline related link"),
    (r"(image|media|video|photo|picture) (caption|copyright)\b|caption$|gallery$", "caption label"),
    (r"\[\w+ [^\]]*=", "template/markup residue"),
    (r"©|\(c\)\s|copyright\s*©|copyright \d{4}", "copyright notice"),
    (r"(skip to|jump to|back to top|return to top|scroll to top|toggle navigation|menu\b|search\b|close\b|home\b)", "navigation control"),
    (r"(comments?|\d+ comments?|leave a (comment|reply)|post a comment|add (a )?comment|write a comment|reply|cancel reply|report( abuse)?|flag)\b", "comment control"),
    (r"(tags?|topics?|filed under|categories|category|related topics)\s*:", "tag list"),
    (r"(image|photo|video|picture|gallery)s?\s*\d+\s*(of|/)\s*\d+|\d+\s*/\s*\d+$|\d+ of \d+\b", "gallery counter"),
    (r"(download|get) (the|our) app\b|(watch|listen) (now|live)\b|play now\b|(buy|shop|order) now\b", "call to action"),
    (r"got a (news )?tip\b|contact us\b|about us\b|send us\b|want to (join|read)", "site prompt"),
    (r"(javascript|please enable javascript|your browser)", "browser notice"),

    (r"\W*$", "template/markup residue"),
    (r"read later\b|save (for later|article|story)\b|bookmark\b", "save button"),
    (r"[^.!?]{1,40}\s(says|said|wrote|writes)\s*:$", "comment author line"),
    (r"(rating|votes?|likes?|points?)\s*:?\s*\d+", "comment rating"),
]
_BOILER_ANYWHERE = [
    (r"share (on|via|by|to) |copy (the )?link|copy to clipboard|link copied|url copied", "share button"),
    (r"\b(sign in|sign up|log ?in|log ?out|sign out|register|create (an )?account|my account)\b", "account link"),
    (r"\bsubscri(be|ption|ber)s?\b|\bnewsletters?\b|\bunsubscribe\b", "subscription prompt"),
    (r"\bcookies?\b|\bprivacy (policy|notice|settings)\b|\bterms (of|and) (use|service)\b|\bgdpr\b", "cookie/legal notice"),
    (r"\ball rights reserved\b|©\s*\d{4}", "copyright notice"),
    (r"want more news\?", "site prompt"),
    (r"requires javascript|enable javascript|unsupported on your (device|browser)|your browser (does not|doesn't)", "browser notice"),
    (r"\{\*|\*\}|\{\{|\}\}|%[0-9a-f]{2}%", "template/markup residue"),
]
_BOILER = ([(re.compile(p, re.I), lab) for p, lab in _BOILER_START]
           + [(re.compile(p, re.I), lab) for p, lab in _BOILER_ANYWHERE])
_BOILER_START_RX = re.compile("|".join(f"(?:{p})" for p, _ in _BOILER_START), re.I)
_BOILER_ANY_RX = re.compile("|".join(f"(?:{p})" for p, _ in _BOILER_ANYWHERE), re.I)
# Words one of which must occur for a floating pattern to match (a cheap gate before the regex).
_BOILER_TRIGGERS = frozenset("""share copy link url sign log login logout register account subscribe
subscription subscriptions subscriber subscribers newsletter newsletters unsubscribe cookie cookies
privacy terms gdpr rights want javascript unsupported browser""".split())

# Headings that open the trailing part of a page (related links, comments, most read...).
_END_MARKER_PHRASES = (
    r"you (might|may) (also )?(like|enjoy|be interested in)",
    r"(we )?recommended( for you| stories| articles| reading)?",
    r"related( articles?| stories| posts| news| coverage| content| links| videos| reading| topics)?",
    r"more (from|in|on|about|stories|news|articles|coverage|to explore|like this|top stories)\b.*",
    r"more( [\w'’&.-]+){1,3}",
    r"(most|top) (popular|read|viewed|shared|watched|emailed|commented|stories|news|rated comments|comments)\b.*",
    r"popular( (now|posts|stories|articles|on .*|in .*))?", r"trending( now| stories| topics)?",
    r"(latest|recent|other|top|editor'?s'?) (news|stories|articles|posts|headlines|picks)", r"recent", r"latest",
    r"more", r"on our radar", r"trending on .*", r"what'?s hot", r"top picks",
    r"(also|further|suggested|what to|recommended) read(ing)?( next)?", r"read (next|also)", r"see also",
    r"also on .*",
    r"comments?", r"discussion", r"join the (conversation|discussion)", r"leave a (reply|comment)",
    r"\d+ (comments?|responses?|replies)( to .*)?", r"responses?( to .*)?",
    r"share your thoughts", r"like this:?",
    r"around the web", r"from (around )?the web", r"elsewhere on .*", r"promoted stories", r"sponsored stories",
    r"don'?t miss", r"must read", r"in case you missed it", r"up next", r"watch next", r"next (article|story|post)",
    r"leia (também|mais)", r"veja (também|mais)", r"notícias relacionadas", r"artigos relacionados",
    r"baca juga", r"artikel terkait", r"berita terkait", r"lihat juga",
    r"lire aussi", r"à lire aussi", r"sur le même sujet", r"lesen sie auch", r"mehr zum thema",
    r"das könnte sie auch interessieren",
    r"leer más", r"lee también", r"noticias relacionadas", r"también te puede interesar",
    r"читайте также", r"похожие (статьи|новости|материалы)", r"по теме",
    r"관련\s*기사", r"많이 본.*", r"인기\s*기사", r"関連記事", r"人気記事.*", r"おすすめ記事", r"相关(文章|新闻|阅读)",
    r"推荐阅读", r"热门文章",
)
_END_MARKER = re.compile(r"^[\W_]*(" + "|".join(_END_MARKER_PHRASES) + r")[\W_]*$", re.I)

_BYLINE = re.compile(r"^(by|from|por|par|von|di|oleh|от|автор:?|written by|words by|reporting by)\s+(.{2,80})$", re.I)
_MONTH = (r"(jan(uary|\.)?|feb(ruary|\.)?|mar(ch|\.)?|apr(il|\.)?|may|june?|july?|aug(ust|\.)?|"
          r"sep(t|tember|\.)?\.?|oct(ober|\.)?|nov(ember|\.)?|dec(ember|\.)?)")
_DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|"
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b|\b\d{{1,2}}:\d{{2}}\b|"
    r"\b\d+\s+(min(ute)?s?|hours?|hrs?|days?|weeks?)\s+ago\b|\b(yesterday|today)\b|"
    r"\d{4}年|\d{4}년|\b(published|updated|posted|last modified)\b", re.I)
_DATE_TOKENS = frozenset("""
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
september october november december monday tuesday wednesday thursday friday saturday sunday mon tue
tues wed thu thur thurs fri sat sun am pm a m p utc gmt est edt pst pdt cst cdt bst cet cest et pt ct
ist hst akst at on of the published updated posted last modified min mins minute minutes hour hours
hr hrs day days week weeks ago read reading time today yesterday th st nd rd de le um
""".split())
_DATE_WORDS = re.compile(
    rf"^(\W|\d|{_MONTH}|(mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|"
    r"am|pm|a\.m\.|p\.m\.|[ap]m|utc|gmt|est|edt|pst|pdt|cst|cdt|bst|cet|et|pt|ct|ist|at|on|"
    r"published|updated|posted|last|modified|min|mins|minutes?|hours?|days?|ago|read|reading|time|"
    r"today|yesterday|th|st|nd|rd|de|le|am|um|\s)+$", re.I)
_CREDIT_START = re.compile(
    r"(copyright|©|\(c\)|photo(graph)?s?( credit)?|image( credit)?s?|picture|credit|foto|source|"
    r"illustration|file photo|caption)\s*[:©/|-]?\s*\S")
_AGENCY_WORDS = ("ap afp reuters getty epa ansa dpa pa xinhua shutterstock istock istockphoto pool "
                 "press photo images")
_AGENCY = frozenset(_AGENCY_WORDS.split())
_CREDIT_END = re.compile(
    r"/\s*(ap|afp|reuters|getty( images)?|epa|ansa|dpa|pa|xinhua|associated press|shutterstock|"
    r"istock|file|pool)\)?$|"
    r"\b(getty images|shutterstock|istockphoto|associated press|ap photo|afp photo|reuters)\s*\)?$")
_EXPAND = re.compile(r"(?:\w \bless|\.\.\. ?more)$")
_TRUNCATED = re.compile(r"\w\.\.$")
_GALLERY = re.compile(r"(image|photo|picture|slide)?\s*\d+\s+(of|/)\s+\d+\s+\S", re.I)
_INLINE_CREDIT = re.compile(
    r"[(\[]?\b(?:image|photo|picture|pic|photograph|credit|source|foto)s?\s*(?:credit)?\s*:\s*"
    r"([^()\[\]:]{2,60}?)\s*[)\]]?\s*$", re.I)
_BYLINE_WORDS = frozenset("by from por par von di oleh от автор written words reporting".split())
_DIGIT = re.compile(r"\d")
_DATE_TRIGGERS = frozenset("published updated posted modified today yesterday".split())
_TITLE_SEP = re.compile(r"\s+(?:[-|–—:·»•]|::)\s+")
_QUOTE_NORM = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'", "´": "'"})

# Feature classes of a line.
JUNK, META, MENU, SHORT, HEAD, WEAK, PROSE = range(7)
_BARRIER = -12.0
_GAP = 12.0
_MIN_BLOCK = 2.5        # smallest score of a block that can be the article
_FIRST_FRACTION = 0.3   # the first block after the headline wins if it has this share of the best
_HEAD_SCORE = -0.1
_ISOLATED_SCORE = 0.2
_TEASER_UNITS = 5      # this many "short lines + one paragraph" units end the block: teasers
_TEASER_WORDS = 60
_INLINE_MARKER = -3.0   # a "Related" heading whose link list is followed by more article text
_WIDGET_LINES = 16      # longest link list after such a heading
_CLOSED_BLOCK = 8.0     # a block this strong that ends at a "Comments"/"Related" heading is the article
_HEADER_LINES = 14      # how far into the block a standfirst/byline zone may reach
_HEADER_SHARE = 0.25    # ... holding at most this share of the block's score
_MENU_SCORE = -0.3
_REP_PENALTY = 0.3


@dataclass
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


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.translate(_QUOTE_NORM).casefold()))


def _features(text: str) -> tuple:
    """Context-free description of one line: (kind, reason, words, stopword share, meta, end)."""
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
    sample = toks[:400]
    stop = len([t for t in sample if t in _STOP]) / len(sample) if sample else 0.0
    sent_end = bool(_SENT_END.search(text[-8:]))
    if n < 160 and _END_MARKER.match(text):
        return JUNK, f"end-of-article heading '{text[:40]}'", nw, stop, None, True
    if _GALLERY.match(text):
        return JUNK, "gallery caption ('N of M')", nw, stop, None, False
    if _EXPAND.search(text[-8:]):
        return JUNK, "gallery caption (ends with a 'more'/'less' toggle)", nw, stop, None, False
    if n < 700 and ("(" in text[-90:] or ":" in text[-90:]) and _INLINE_CREDIT.search(text[-90:]):
        return META, "caption: photo caption ending in a credit", nw, stop, "caption", False
    if not _LETTER.search(text[:400]):
        return JUNK, "no letters", nw, stop, None, False
    if n < 220:
        meta = _meta_kind(text, low, toks, nw, sent_end)
        if meta:
            return META, meta, nw, stop, meta.split(":")[0], False
        m = _BOILER_START_RX.match(text)
        if m is None and (not _BOILER_TRIGGERS.isdisjoint(toks) or "{" in text or "©" in text or "%" in text):
            m = _BOILER_ANY_RX.search(text)
        if m and (nw <= 12 or not sent_end or m.start() == 0):
            label = next((lab for rx, lab in _BOILER if rx.match(text) or rx.search(text)), "boilerplate")
            return JUNK, f"{label} ('{m.group(0).strip()[:30]}')", nw, stop, None, False
        if nw <= 25 and ("." in text or "/" in text) and _URL.fullmatch(text):
            return JUNK, "bare URL", nw, stop, None, False
    if nw >= 7 and text.isupper() and not cjk:
        return JUNK, f"all-capitals line of {nw} words (a link or promo)", nw, stop, None, False
    if nw <= 24 and _TRUNCATED.search(text[-4:]):
        return HEAD, f"truncated headline ({nw} words, ends with '..')", nw, stop, None, False
    if 4 <= nw <= 24 and not cjk and _title_case(text):
        return HEAD, f"headline-like: {nw} words in Title Case", nw, stop, None, False
    if nw >= 15 and (stop >= 0.12 or cjk or sent_end or len(_SENT_INNER.findall(text[:2000])) >= 2):
        if nw < 25 and not sent_end and not cjk and not _SENT_INNER.search(text):
            return WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", nw, stop, None, False
        return PROSE, f"prose: {nw} words, {stop:.0%} stopwords", nw, stop, None, False
    if nw >= 8 and sent_end and (stop >= 0.1 or cjk):
        return PROSE, f"sentence: {nw} words, ends with punctuation", nw, stop, None, False
    if sent_end and nw >= 3 and (stop > 0 or nw >= 5 or text[0] in "\"“'‘«—–-"):
        return WEAK, f"short sentence: {nw} words, ends with punctuation", nw, stop, None, False
    if nw >= 8 and stop >= 0.2:
        return WEAK, f"text without end punctuation: {nw} words, {stop:.0%} stopwords", nw, stop, None, False
    if nw <= 3:
        return MENU, f"{nw} word{'s' if nw != 1 else ''}, no sentence punctuation", nw, stop, None, False
    return HEAD, f"heading-like: {nw} words, no sentence punctuation", nw, stop, None, False


def _title_case(text: str) -> bool:
    """Most words of four letters or more start with a capital (a headline, not a sentence)."""
    words = text.split()
    long = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    if len(long) < 4 or sum(1 for w in words if w[0].isdigit()) > 1:
        return False
    caps = sum(1 for w in long if w[0].isupper())
    return caps >= 0.85 * len(long) and not text.isupper()


def _meta_kind(text: str, low: str, toks: list[str], nw: int, sent_end: bool) -> str | None:
    if nw > 22:
        return None
    if nw <= 16 and (_CREDIT_START.match(low) or (text[0] == "(" and text[-1] == ")" and len(text) < 64)
                     or (("/" in text or ")" in text[-2:] or not _AGENCY.isdisjoint(toks))
                         and _CREDIT_END.search(low[-48:]))):
        if nw <= 12 or low.startswith(("copyright", "photo", "image", "credit", "(")):
            return "credit: photo credit or copyright line"
    dated = bool((_DIGIT.search(text) or not _DATE_TRIGGERS.isdisjoint(toks)) and _DATE.search(text))
    if toks and toks[0] in _BYLINE_WORDS:
        m = _BYLINE.match(text)
        if m and (nw <= 10 and not sent_end or dated):
            who = _byline_name(m.group(2)).split()
            caps = sum(1 for w in who if w[:1].isupper() or w[:1] == "@")
            if who and len(who) <= 8 and caps >= max(1, len(who) // 2):
                return "byline: 'By ...' line"
    if dated and text[0] not in "—–-":
        rest = [t for t in _WORD.findall(_DATE.sub(" ", low)) if not t.isdigit() and t not in _DATE_TOKENS]
        if len(rest) <= 4 and nw <= 16:
            return "dateline: date/time line"
    return None


def _byline_name(s: str) -> str:
    """'Jane Doe | May 3, 2019' -> 'Jane Doe'."""
    s = re.split(r"\s+(?:[|•·,–—-]|on|at|and)\s+|\s+\d", s, maxsplit=1)[0]
    return s.strip(" ,|-")


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


def clean_text(text: str) -> CleanedText:
    """Split page text into title, article body and metadata; explain every line."""
    if not isinstance(text, str):
        text = str(text or "")
    raw_lines = text.split("\n")
    lines: list[_Line] = []
    cache: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for no, raw in enumerate(raw_lines):
        s = raw.strip()
        if not s:
            continue
        f = cache.get(s)
        if f is None:
            f = cache[s] = _features(s)
        kind, why, nw, stop, meta, end = f
        ln = _Line(no, s, nw, len(s), stop, kind, why, end, meta=meta)
        if kind in (HEAD, MENU) and _DIGIT.search(s):
            toks = s.split()
            nnum = sum(1 for t in toks if _DIGIT.search(t))
            ln.numeric = nnum >= 2 and nnum >= 0.3 * len(toks)
        lines.append(ln)
        counts[s] = counts.get(s, 0) + 1
    i = 0
    while i < len(lines):
        ln = lines[i]
        ln.rep = counts[ln.text]
        if ln.kind in (HEAD, MENU, JUNK, META):
            j = i + 1
            while (j < len(lines) and lines[j].no == lines[j - 1].no + 1
                   and lines[j].kind in (HEAD, MENU, JUNK, META)):
                j += 1
            for k in range(i, j):
                lines[k].run = j - i
            i = j
        else:
            i += 1
    for ln in lines:
        ln.rep = counts[ln.text]

    roles: dict[int, tuple[str, str]] = {}
    title = publisher = byline = dateline = None
    credits: list[str] = []
    if not lines:
        return CleanedText(None, "", decisions=_decisions(raw_lines, roles))

    # ---- title ------------------------------------------------------------------------------
    first = lines[0]
    title_idx: list[int] = []     # indices (into `lines`) of headline occurrences
    cands = [first.text] + _title_candidates(first.text)
    normc = {_norm(c): c for c in cands if _norm(c)}
    first_norm = _norm(first.text)
    look = lines[1:400]
    lo = min(len(c) for c in cands) * 0.5 - 4
    hi = len(first.text) + 8
    for i, ln in enumerate(look, 1):
        if ln.words < 2 or not lo <= ln.chars <= hi:
            continue
        nl = _norm(ln.text)
        if nl in normc or (ln.words >= 4 and first_norm.startswith(nl) and len(nl) > 0.5 * len(first_norm)):
            title_idx.append(i)
    title_line = first
    if title_idx:
        title_line = lines[title_idx[0]]
        title = title_line.text
        publisher = _site_part(first.text, title) if _norm(title) != first_norm else None
    else:
        # A headline-like line repeated near the top when the first line is not one ("Find Us").
        rep_head = None
        if first.kind in (MENU, JUNK, META) or first.words <= 3:
            for i, ln in enumerate(lines[1:60], 1):
                if ln.rep >= 2 and 4 <= ln.words <= 30 and ln.kind in (HEAD, WEAK, PROSE) \
                        and not _SENT_END.search(ln.text[-3:]) or (ln.rep >= 2 and ln.words >= 4 and ln.text.endswith("?")):
                    rep_head = i
                    break
        if rep_head is not None:
            title_line = lines[rep_head]
            title = title_line.text
            title_idx = [i for i, ln in enumerate(lines) if ln.text == title]
        elif first.kind == PROSE and first.words > 40:
            title = None       # no headline: the text starts with running prose
        else:
            title = first.text
    tnorm = _norm(title) if title else None
    is_title = [False] * len(lines)
    if title is not None:
        if title_line is first or first.kind != PROSE or first.words <= 40:
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

    # ---- scores and the main block ------------------------------------------------------------
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
            if _ISOLATED_SCORE is not None and ln.words <= 45 and (i == 0 or lines[i - 1].kind != PROSE) \
                    and (i + 1 == n or lines[i + 1].kind != PROSE):
                s = _ISOLATED_SCORE      # one paragraph between short lines: a teaser?
        elif k == WEAK:
            s = 0.6
        elif k in (HEAD, MENU):
            if ln.numeric:
                s = 0.0
            elif ln.run >= 3:
                s = -1.0
            else:
                s = _HEAD_SCORE if k == HEAD else _MENU_SCORE
            if ln.rep > 1:
                s -= _REP_PENALTY
        elif k == META:
            s = -0.5
        else:
            s = -2.0
        if i < anchor:
            s = min(s, -1.0)
        ln.score = s
    start, end = _best_block(lines, anchor)
    end, teaser_from = _trim_teasers(lines, start, end)

    # ---- decisions ----------------------------------------------------------------------------
    keep = [False] * n
    reason = [""] * n
    seen: set[str] = set()
    end_marker_text = None
    menu_run = _runs(lines)
    for i, ln in enumerate(lines):
        k = ln.kind
        if is_title[i]:
            if i == 0 and title_line is not first and title_idx:
                reason[i] = "page title (site title with headline)"
                roles[ln.no] = ("boilerplate", reason[i]) if _norm(ln.text) != tnorm else ("title", "headline (page title)")
            elif ln is title_line:
                roles[ln.no] = ("title", "headline" + (" (first line)" if i == 0 else " (matches the page title)"))
            else:
                roles[ln.no] = ("boilerplate", "repeats the headline")
            continue
        if ln.end_marker and i > start:
            if end_marker_text is None and i >= end:
                end_marker_text = ln.text
            roles[ln.no] = ("boilerplate", ln.why if ln.barrier or i >= end
                            else f"inline link-list heading '{ln.text[:40]}', article text resumes after it")
            continue
        if k == META:
            role = ln.meta or "boilerplate"
            if role == "caption":
                role = "credit"
            roles[ln.no] = (role, ln.why.split(": ", 1)[-1])
            if i <= end + 3:
                if role == "credit":
                    m = _INLINE_CREDIT.search(ln.text[-90:]) if ln.meta == "caption" else None
                    cr = m.group(1).strip() if m else ln.text
                    if cr not in credits:
                        credits.append(cr)
                elif role == "byline" and byline is None:
                    m = _BYLINE.match(ln.text)
                    byline = _byline_name(m.group(2)) if m else ln.text
                elif role == "dateline" and dateline is None:
                    dateline = ln.text
            continue
        if k == JUNK:
            roles[ln.no] = ("boilerplate", ln.why)
            continue
        inside = start <= i < end
        if not inside:
            where = "before the article text" if i < start else (
                f"after '{end_marker_text[:40]}'" if end_marker_text else "after the article text")
            extra = f", {menu_run[i]}" if menu_run[i] else ""
            roles[ln.no] = ("boilerplate", f"{where}: {ln.why}{extra}")
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
            a, b = i, i
            while a > start and lines[a - 1].kind in (HEAD, MENU):
                a -= 1
            while b + 1 < end and lines[b + 1].kind in (HEAD, MENU):
                b += 1
            if a > start and b + 1 < end and lines[a - 1].kind in (PROSE, WEAK) \
                    and lines[b + 1].kind in (PROSE, WEAK):
                keep[i] = True
                reason[i] = f"list item between article paragraphs ({ln.words} words)"
            else:
                roles[ln.no] = ("boilerplate", f"{ln.why}, in a run of {ln.run} short lines")
                continue
        roles[ln.no] = ("body", reason[i])

    # Photo captions: a kept line right before a credit line.
    for i in range(start, min(end, n - 1)):
        nxt = lines[i + 1]
        if keep[i] and nxt.meta == "credit" and lines[i].words <= 60 and (
                nxt.text[0] == "(" or "/" in nxt.text or nxt.text.lower().startswith(("photo", "credit", "foto"))):
            keep[i] = False
            roles[lines[i].no] = ("boilerplate", "photo caption (followed by a credit line)")
    # Trailing related-link list inside the block: drop short non-sentences at its end.
    j = end - 1
    while j >= start and (not keep[j] or lines[j].kind in (HEAD, MENU)):
        if keep[j]:
            keep[j] = False
            roles[lines[j].no] = ("boilerplate", "short line at the end of the article block")
        j -= 1

    if publisher is None and dateline:
        m = _DATE.search(dateline)
        lead = dateline[:m.start()].strip(" ,-|") if m else ""
        if lead and 1 <= len(lead.split()) <= 4 and lead[0].isupper():
            publisher = lead
    body = "\n\n".join(lines[i].text for i in range(n) if keep[i])
    return CleanedText(title=title, body=body, byline=byline, publisher=publisher, dateline=dateline,
                       credits=tuple(credits), decisions=_decisions(raw_lines, roles))


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
    for sc, st, en, closed in segs:
        if st < anchor:
            continue
        if sc >= max(_MIN_BLOCK, _FIRST_FRACTION * best) or (closed and sc >= _CLOSED_BLOCK):
            return _trim_header(lines, st, en, sc), en
    sc, st, en, _ = max(segs)
    return _trim_header(lines, st, en, sc), en


def _trim_teasers(lines: list[_Line], start: int, end: int) -> tuple[int, int]:
    """Cut a trailing list of teasers (kicker/headline/author lines, then one short paragraph,
    again and again) off the end of the article block. Returns (new end, start of the list)."""
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
    if units >= _TEASER_UNITS:
        return cut, cut
    return end, end


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
    for i in range(st, min(en, st + _HEADER_LINES)):
        ln = lines[i]
        if ln.kind in (META, JUNK):
            if pos <= _HEADER_SHARE * total and nprose <= 2:
                last = i
        elif ln.score > 0:
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
    out = []
    for no, raw in enumerate(raw_lines):
        if not raw.strip():
            out.append(LineDecision(no, raw, "blank", "blank"))
        else:
            role, why = roles.get(no, ("boilerplate", "unclassified"))
            out.append(LineDecision(no, raw, role, why))
    return tuple(out)
