"""Bytes of a raw file to normalised text, or a reject with a reason a person can act on."""
from dataclasses import dataclass
from html.parser import HTMLParser
import re
import unicodedata

import ftfy

BOMS = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))
# C0 controls other than tab, newline, carriage return and form feed: a text file has few.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_HTML_HINT = re.compile(r"<(?:html|body|div|p|script|style|head|!doctype)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# What ftfy can change in ASCII text: an HTML entity ("&amp;"), a line break other than \n,
# a terminal escape (ESC) or another control character it removes. Any other ASCII text it
# returns as it is (mojibake, ligatures, widths and NFC all need other characters), so that
# text skips it: ftfy was three quarters of decoding's CPU on bbc/politics, and 1,497 of BBC's
# 2,225 texts are such ASCII.
_FTFY_CHANGES_ASCII = re.compile(r"[&\x00-\x08\x0b-\x1f\x7f]")
_FTFY_OPTIONS = {"normalization": "NFC", "uncurl_quotes": False, "fix_line_breaks": True, "unescape_html": "auto",
                 "remove_control_chars": True}


class Rejected(Exception):
    """An input that cannot become an article; `reason` is one of schemas.REJECT_REASONS."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(raw: bytes) -> Decoded:
    """UTF-8 (BOM-aware) first, then cp1252, then Latin-1; mojibake repaired; NFC; LF line ends."""
    if not raw:
        raise Rejected("empty", "the file has 0 bytes")
    encoding, payload = "utf-8", raw
    for name, bom in BOMS:
        if raw.startswith(bom):
            encoding, payload = name, raw if name == "utf-16" else raw[len(bom):]
            break
    if encoding == "utf-8" and _looks_binary(payload):
        raise Rejected("binary", f"{len(_CONTROL.findall(payload[:65536]))} control bytes in the first 64 KiB")
    text, used = _decode(payload, encoding)
    if looks_like_html(text):
        text, used = html_to_text(text), f"{used}+html"
    text = normalise_text(text)
    if not text.strip():
        raise Rejected("blank", "the file holds only whitespace or markup")
    return Decoded(text=text, encoding=used)


def _looks_binary(raw: bytes) -> bool:
    head = raw[:65536]
    return b"\x00" in head or len(_CONTROL.findall(head)) > max(8, len(head) // 200)


def _decode(payload: bytes, encoding: str) -> tuple[str, str]:
    """The text and the codec that read it; Latin-1 reads any byte, so this never fails."""
    for name in (encoding, "cp1252", "latin-1"):
        try:
            return payload.decode(name), name
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def normalise_text(text: str) -> str:
    """Repair mojibake, NFC, unify line ends and spaces; keep paragraph breaks."""
    text = _repair(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    text = _ZERO_WIDTH.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", "\n".join(lines))


def _repair(text: str) -> str:
    """ftfy's repairs; ASCII text they cannot change skips them."""
    if text.isascii() and not _FTFY_CHANGES_ASCII.search(text):
        return text
    return ftfy.fix_text(text, **_FTFY_OPTIONS)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text[:4096]))


class _TextExtractor(HTMLParser):
    """Keeps the text of a page, one line per block element, without scripts, styles, menus,
    sidebars and forms: the markup says they are not the article, which the cleaner cannot see."""

    SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "aside", "form", "iframe",
            "button", "select"}
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
             "section", "article", "header", "footer", "blockquote", "title",
             "figcaption", "figure", "pre", "hr", "table", "dd", "dt", "main"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n" if tag in {"p", "title", "h1", "h2", "h3"} else "\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n" if tag in {"p", "title", "h1", "h2", "h3"} else "\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """Markup saved as .txt reduced to its visible text, blocks as paragraphs."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts))
