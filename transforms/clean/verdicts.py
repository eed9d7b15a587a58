"""Each line's verdict: body or not, its role (title | body | byline | dateline | credit |
boilerplate) and the reason a person can read.

A short ordered list of line rules decides, the first that applies wins: the headline and its
copies, end-of-article headings, every line of an article as written (but its byline and
dateline), metadata, furniture, what lies outside the article block, link lists, repeats, and
the article's own lines (paragraphs; short lines between paragraphs: quotes, subheadings, list
items). Then, on a web page, captions before a credit and a trailing run of short lines are
dropped, and a body model, when given, has the last word on which lines are the body.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from transforms.clean.blocks import Block, menu_runs
from transforms.clean.headline import Headline
from transforms.clean.lines import HEAD, JUNK, MENU, META, PROSE, WEAK, WORD, Line, PageLines, norm
from transforms.clean.metadata import is_wire_dateline

_CREDIT_OPENERS = ("photo", "credit", "foto", "image credit", "picture", "pic")


@dataclass
class Verdicts:
    """The verdict on every line, as the steps make it."""
    keep: list[bool]                            # per line: part of the body
    roles: dict[int, tuple[str, str]]           # line number in the text -> (role, reason)
    meta_found: list[tuple[int, str, Line]]     # (index, byline | dateline | credit, line)


@dataclass
class _Pass:
    """One pass of the line rules over a page: what they read, and what they note on the way."""
    lines: list[Line]
    headline: Headline
    block: Block
    plain: bool                 # an article as written (no page furniture)
    furniture: str | None       # the first sign of a web page
    menu_run: list[str]
    verdicts: Verdicts
    seen: set[str] = field(default_factory=set)     # the article lines met so far
    end_marker_text: str | None = None              # the heading that ended the article
    list_start: int = 0                             # the run of short lines being judged
    list_end: int = 0

    def decide(self, ln: Line, role: str, reason: str) -> bool:
        self.verdicts.roles[ln.no] = (role, reason)
        return True

    def keep(self, i: int, ln: Line, reason: str) -> bool:
        self.verdicts.keep[i] = True
        return self.decide(ln, "body", reason)


def decide_lines(lines: list[Line], headline: Headline, block: Block, plain: bool,
                 furniture: str | None) -> Verdicts:
    """Every line's verdict by the line rules, the first that applies winning."""
    verdicts = Verdicts([False] * len(lines), {}, [])
    page = _Pass(lines, headline, block, plain, furniture, menu_runs(lines), verdicts)
    for i, ln in enumerate(lines):
        for rule in _LINE_RULES:
            if rule(page, i, ln):
                break
    return verdicts


def _headline_line(page: _Pass, i: int, ln: Line) -> bool:
    """The headline, the page title above it, and the headline's copies."""
    headline = page.headline
    if not headline.is_title[i]:
        return False
    if i == 0 and headline.line is not page.lines[0]:
        if norm(ln.text) == headline.norm:
            why = "page title, repeated below as the headline"
        elif headline.norm and headline.norm in norm(ln.text):
            why = "page title: the headline plus the site name"
        else:
            why = f"first line is not the headline ({ln.why})"
        return page.decide(ln, "boilerplate", why)
    if ln is headline.line:
        how = headline.how if page.plain else f"{headline.how}; a web page ({page.furniture})"
        return page.decide(ln, "title", how)
    return page.decide(ln, "boilerplate", "repeats the headline")


def _end_heading(page: _Pass, i: int, ln: Line) -> bool:
    """A "Related" or "Comments" heading: the end of the article, or an inline link list's."""
    if not (ln.end_marker and i > page.block.start):
        return False
    if page.end_marker_text is None and i >= page.block.end:
        page.end_marker_text = ln.text
    return page.decide(ln, "boilerplate", ln.why if ln.barrier or i >= page.block.end
                       else f"inline link-list heading '{ln.text[:40]}', article text resumes after it")


def _plain_text_line(page: _Pass, i: int, ln: Line) -> bool:
    """A line of an article as written, but for its byline and dateline: kept."""
    if not (page.plain and i not in page.block.header_lines and (ln.kind != JUNK or WORD.search(ln.text))):
        return False
    why = ln.why.split(": ", 1)[-1] if ln.kind == META else ln.why
    return page.keep(i, ln, f"plain text without page furniture, kept ({why})")


def _wire_dateline(page: _Pass, i: int, ln: Line) -> bool:
    """A wire dateline ("LONDON 1996-08-30"): its place is where the story was filed, a mention
    the entities need, so it is kept as the first paragraph and copied to `dateline`."""
    if not (page.plain and is_wire_dateline(ln)):
        return False
    page.verdicts.meta_found.append((i, "dateline", ln))
    return page.keep(i, ln, "wire dateline (place in capitals, then the date): kept, also the dateline")


def _metadata_line(page: _Pass, i: int, ln: Line) -> bool:
    """A byline, dateline or credit: to its field when it is near the article."""
    if ln.kind != META:
        return False
    role = ln.meta or "boilerplate"
    if role == "caption":
        role = "credit"
    page.decide(ln, role, ln.why.split(": ", 1)[-1])
    if i <= page.block.end + 3:
        page.verdicts.meta_found.append((i, role, ln))
    return True


def _furniture_line(page: _Pass, i: int, ln: Line) -> bool:
    return ln.kind == JUNK and page.decide(ln, "boilerplate", ln.why)


def _outside_the_block(page: _Pass, i: int, ln: Line) -> bool:
    if page.block.start <= i < page.block.end:
        return False
    where = "before the article text" if i < page.block.start else (
        f"after '{page.end_marker_text[:40]}'" if page.end_marker_text else "after the article text")
    if page.menu_run[i]:
        return page.decide(ln, "boilerplate", f"menu: {ln.why}, {page.menu_run[i]} ({where})")
    return page.decide(ln, "boilerplate", f"{where}: {ln.why}")


def _link_list_line(page: _Pass, i: int, ln: Line) -> bool:
    """A line of the link list after an inline "Related" heading."""
    return ln.widget >= 0 and page.decide(
        ln, "boilerplate", f"link list after '{page.lines[ln.widget].text[:40]}': {ln.why}")


def _repeated_line(page: _Pass, i: int, ln: Line) -> bool:
    if ln.rep > 1 and any(page.lines[j].text == ln.text for j in range(max(page.block.start, i - 3), i)):
        return page.decide(ln, "boilerplate", "repeats a line just above")
    if ln.rep > 1 and ln.kind == PROSE and ln.text in page.seen:
        return page.decide(ln, "boilerplate", "repeats an earlier paragraph")
    return False


def _article_line(page: _Pass, i: int, ln: Line) -> bool:
    """A line of the article block: paragraphs and sentences, short lines but in a run of them,
    and a run's items when paragraphs stand on both sides of it (a list)."""
    page.seen.add(ln.text)
    if ln.kind in (PROSE, WEAK):
        return page.keep(i, ln, ln.why)
    if ln.run < 3 or ln.numeric:
        return page.keep(i, ln, f"short line inside the article block ({ln.why})")
    a, b = _short_run(page, i)
    lines, start, end = page.lines, page.block.start, page.block.end
    if a > start and b + 1 < end and lines[a - 1].kind in (PROSE, WEAK) and lines[b + 1].kind in (PROSE, WEAK):
        return page.keep(i, ln, f"list item between article paragraphs ({ln.words} words)")
    return page.decide(ln, "boilerplate", f"{ln.why}, in a run of {ln.run} short lines")


def _short_run(page: _Pass, i: int) -> tuple[int, int]:
    """[a, b]: the run of short lines inside the block that line i belongs to (found once a run)."""
    if page.list_end <= i:
        lines, start, end = page.lines, page.block.start, page.block.end
        a = i
        while a > start and lines[a - 1].kind in (HEAD, MENU):
            a -= 1
        b = i
        while b + 1 < end and lines[b + 1].kind in (HEAD, MENU):
            b += 1
        page.list_start, page.list_end = a, b + 1
    return page.list_start, page.list_end - 1


_LINE_RULES = (_headline_line, _end_heading, _plain_text_line, _wire_dateline, _metadata_line, _furniture_line,
               _outside_the_block, _link_list_line, _repeated_line, _article_line)


def trim_block_edges(lines: list[Line], verdicts: Verdicts, block: Block) -> None:
    """On a web page: drop photo captions (a kept line right before a credit line), then the
    short non-sentences at the end of the block (a trailing list of related links)."""
    keep, roles = verdicts.keep, verdicts.roles
    for i in range(block.start, min(block.end, len(lines) - 1)):
        nxt = lines[i + 1]
        if keep[i] and nxt.meta == "credit" and lines[i].words <= 60 and (
                nxt.text[0] == "(" or "/" in nxt.text or nxt.text.lower().startswith(_CREDIT_OPENERS)):
            keep[i] = False
            roles[lines[i].no] = ("boilerplate", "photo caption (followed by a credit line)")
    j = block.end - 1
    while j >= block.start and (not keep[j] or lines[j].kind in (HEAD, MENU) and not lines[j].numeric):
        if keep[j]:
            keep[j] = False
            roles[lines[j].no] = ("boilerplate", "short line at the end of the article block")
        j -= 1


def apply_body_model(body_model, lines: list[Line], verdicts: Verdicts, headline: Headline, block: Block) -> None:
    """Let a body model (PageLines -> [(keep, reason) or None per line]) decide which of the lines
    it may judge (not the headline, not metadata, not a line the corpus counts made furniture:
    the model is trained page by page and never sees those counts) are the body; the rules'
    verdicts are among its evidence and stay in the reason."""
    keep, roles = verdicts.keep, verdicts.roles
    candidates = [not headline.is_title[i] and not ln.shared and roles.get(ln.no, ("",))[0] in ("body", "boilerplate")
                  for i, ln in enumerate(lines)]
    decided = body_model(PageLines(lines, list(keep), headline.is_title, candidates, block.start, block.end,
                                   headline.anchor))
    for i, verdict in enumerate(decided):
        if verdict is not None and candidates[i]:
            no, rules = lines[i].no, "kept" if keep[i] else "dropped"
            keep[i], why = verdict
            roles[no] = ("body" if keep[i] else "boilerplate", f"{why} (rules {rules}: {roles[no][1]})")
