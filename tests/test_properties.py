"""Property-based: any bytes or Unicode text through decode, clean, ingest and extraction.

Decode, clean and ingest never crash (a bad input is a `Rejected` with a known reason), what
they produce can be written as Parquet, and every mention and quote span the extraction reports
lies inside its field with the stored text at those offsets. In CI (CI set) the examples are
derandomised so a run is repeatable; locally each run explores new ones, and
NEWSPIPE_PROPERTY_SCALE=20 tries twenty times as many examples.
"""
import io
import os

from hypothesis import HealthCheck, given, settings, strategies as st
import pyarrow.parquet as pq
import pytest

from transforms import schemas
from transforms.clean import clean_text
from transforms.decode import Rejected, decode_bytes
from transforms.extract import extract_frame
from transforms.frames import to_frame
from transforms.ingest import ingest_frames, ingest_one
from transforms.quote_filter import load_model
from tests.test_ingest import NOW

# Threads of other session fixtures (the Prefect harness) may use the global `random` while an
# example is generated; Hypothesis then warns about code that is not the strategies'.
pytestmark = pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
CI = bool(os.environ.get("CI"))
SCALE = int(os.environ.get("NEWSPIPE_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=200 * SCALE, deadline=None, derandomize=CI)
SLOW = settings(max_examples=40 * SCALE, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.too_slow])

# Every code point, lone surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
# What breaks text handling: quotation marks of every kind, line and paragraph separators,
# controls, BOM, zero-width and bidi marks, combining accents, wide characters.
HOSTILE_CHARS = st.sampled_from(list(
    "\"'\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb\u2039\u203a\u300c\u300d\u2014\u2013-\u2026:;,.!?()[]"
    "\n\n\n\r\t \u00a0\u2028\u2029\u0085\u000b\u000c\ufeff\u200b\u200d\u202e\x00\x07\x1b\x7f\u0301\u65e5\U0001f600"))
WORDS = st.sampled_from([
    "The", "the", "said", "says", "told", "reporters", "according", "to", "was", "quoted", "as", "saying",
    "Mr", "Ms.", "Dr", "President", "Kassym-Jomart", "Tokayev", "Tokayev's", "Smith", "O'Brien", "Human",
    "Rights", "Watch", "Organization", "for", "Security", "and", "Co-operation", "in", "Europe", "(OSCE)",
    "OSCE", "Kazakhstan", "Almaty", "she", "he", "they", "we", "will", "not", "resign", "protesters",
    "on", "Monday", "minister", "Kazakh", "police", "government", "message", "got", "A", "new", "law",
    "Reuters", "BBC", "-", "\u2014", "\u00e9t\u00e9", "\u65e5\u672c",
]).map(lambda w: w + " ")
PHRASE = st.lists(WORDS, min_size=1, max_size=12).map(lambda words: "".join(words).strip())
MARKS = st.sampled_from([('"', '"'), ("\u201c", "\u201d"), ("\u201e", "\u201c"), ("\u00ab", "\u00bb"),
                         ("\u2018", "\u2019"), ('"', ""), ("", "\u201d"), ("\u201c", '"')])   # the last three unbalanced
SPEAKERS = st.sampled_from(["Kassym-Jomart Tokayev", "Tokayev", "President Tokayev", "she", "the Kazakh president",
                            "Human Rights Watch", "Ms. Smith", "Mr O'Brien", "a police spokesman", "they"])
CUES = st.sampled_from(["said", "told reporters", "said on Monday", "added", "was quoted as saying", "warned"])
QUOTE_SENTENCE = st.one_of(
    st.builds(lambda m, q, s, c: f"{m[0]}{q},{m[1]} {s} {c}.", MARKS, PHRASE, SPEAKERS, CUES),
    st.builds(lambda m, q, s, c: f"{s} {c}: {m[0]}{q}.{m[1]}", MARKS, PHRASE, SPEAKERS, CUES),
    st.builds(lambda m, q, s, c, r: f"{m[0]}{q},{m[1]} {s} {c}, {m[0]}{r}.{m[1]}", MARKS, PHRASE, SPEAKERS, CUES, PHRASE),
    st.builds(lambda m, q, s: f"According to {s}, the law was {m[0]}{q}{m[1]}.", MARKS, PHRASE, SPEAKERS),
    st.builds(lambda s, c, q: f"{s} {c} the {q}.", SPEAKERS, CUES, PHRASE),                # reported speech
)
SEPARATORS = st.sampled_from([" ", " ", " ", "\n\n", "\n", "\r\n\r\n", "\u2029"])
# Text shaped like an article (sentences, quotes, paragraphs) with hostile characters mixed in.
ARTICLE_TEXT = st.lists(
    st.tuples(st.one_of(QUOTE_SENTENCE, QUOTE_SENTENCE, PHRASE.map(lambda p: p + "."), HOSTILE_CHARS,
                        st.text(ANY_CHAR, max_size=3)), SEPARATORS),
    max_size=25).map(lambda parts: "".join(part + sep for part, sep in parts))
ANY_TEXT = st.one_of(st.text(ANY_CHAR), ARTICLE_TEXT)
HTML_BITS = st.sampled_from(["<p>", "</p>", "<br>", "<div class='x'>", "</div>", "<nav>", "<script>", "</script>",
                             "<!--", "-->", "<![CDATA[", "&amp;", "&nbsp;", "&ldquo;", "&#x201d;", "&#xD800;", "&#0;",
                             "&#1114112;", "&#x110000;", "<title>", "</title>", "<", ">", "&"])
HTML_PAGE = st.lists(st.one_of(HTML_BITS, HTML_BITS, ARTICLE_TEXT), max_size=30).map(
    lambda parts: "<!DOCTYPE html><html><body>" + "".join(parts))
# The bytes a raw file may hold: anything; such text in the encodings found on disk.
RAW_BYTES = st.one_of(
    st.binary(max_size=2000),
    ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    ANY_TEXT.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
    ANY_TEXT.map(lambda t: t.encode("utf-16", "surrogatepass")),
    ANY_TEXT.map(lambda t: t.encode("cp1252", "replace")),
    HTML_PAGE.map(lambda t: t.encode("utf-8", "surrogatepass")),
)
SOURCE_PATH = st.text(ANY_CHAR.filter(lambda c: c not in "/\x00" and not 0xD800 <= ord(c) <= 0xDFFF),
                      min_size=1, max_size=20).map(lambda name: f"d/{name}.txt")


def _parquet_roundtrip(rows: list[dict], schema) -> None:
    """As store.write_part writes it: the declared schema, then Parquet (which needs valid UTF-8)."""
    pq.write_table(to_frame(rows, schema).to_arrow().select(schema.names).cast(schema), io.BytesIO())


@FAST
@given(RAW_BYTES)
def test_decode_gives_normalised_valid_text_or_a_reject(raw):
    try:
        decoded = decode_bytes(raw)
    except Rejected as rejected:
        assert rejected.reason in schemas.REJECT_REASONS and rejected.detail
        return
    assert decoded.text.strip()
    decoded.text.encode("utf-8")                      # no lone surrogates
    assert "\r" not in decoded.text and "\t" not in decoded.text and "\ufeff" not in decoded.text


@FAST
@given(ANY_TEXT)
def test_clean_explains_every_line_and_keeps_only_input_lines_in_the_body(text):
    cleaned = clean_text(text)
    lines = text.split("\n")
    assert [d.line_no for d in cleaned.decisions] == list(range(len(lines)))
    assert all(d.role in {"title", "body", "byline", "dateline", "credit", "boilerplate", "blank"} and d.reason
               for d in cleaned.decisions)
    assert cleaned.title is None or "\n" not in cleaned.title
    assert set(cleaned.body.split("\n")) - {""} <= {line.strip() for line in lines}


@FAST
@given(SOURCE_PATH, RAW_BYTES)
def test_ingest_gives_exactly_one_writable_row(source_path, raw):
    article, reject = ingest_one(source_path, raw, NOW)
    assert (article is None) != (reject is None)
    if reject:
        assert reject["reason"] in schemas.REJECT_REASONS
        _parquet_roundtrip([reject], schemas.REJECTS)
    else:
        assert article["body"].strip() and article["source_path"] == source_path
        _parquet_roundtrip([article], schemas.ARTICLES)


@SLOW
@given(st.lists(st.tuples(st.one_of(PHRASE, QUOTE_SENTENCE), ARTICLE_TEXT), min_size=1, max_size=3))
def test_extracted_offsets_point_at_the_stored_text(nlp, texts):
    items = [(f"p{i}.txt", f"{title}\n\n{body}".encode("utf-8", "surrogatepass")) for i, (title, body) in enumerate(texts)]
    articles, _ = ingest_frames(items, NOW)
    entities, quotes = extract_frame(articles, nlp, load_model())
    fields = {row["article_id"]: row for row in articles.iter_rows(named=True)}
    for row in entities.iter_rows(named=True):
        for m in row["mentions"]:
            text = fields[row["article_id"]][m["field"]]
            assert 0 <= m["start"] < m["end"] <= len(text) and text[m["start"]:m["end"]] == m["text"]
    for q in quotes.iter_rows(named=True):
        text = fields[q["article_id"]][q["field"]]
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert all(q["start"] <= s["start"] < s["end"] <= q["end"] for s in q["spans"])
        assert " ".join(text[s["start"]:s["end"]] for s in q["spans"]) == q["text"]
    _parquet_roundtrip(entities.to_dicts(), schemas.ENTITIES)
    _parquet_roundtrip(quotes.to_dicts(), schemas.QUOTES)
