"""Hostile inputs through the whole flow: the run succeeds, every visible file ends in `articles`
or in `rejects` with a reason, hidden files are skipped, and a second run into the same OUT gives
the same tables without duplicates."""
import os
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import EURONEWS_SEED, KAZAKH_SEED

pytestmark = pytest.mark.slow

MAX_FILE_MB = 1.5
ARTICLE = "article"
SENTENCE = "The council said the new bridge would open in May after years of delays. "
GERMAN = "Der Stadtrat hat am Montag beschlossen, dass die neue Brücke im Mai eröffnet wird. "
FRENCH = ("Le conseil municipal vote le budget\n\nLe conseil municipal a adopté lundi soir le budget de "
          "l'année prochaine après un long débat. « Nous avons fait des choix difficiles », a déclaré le "
          "maire, Jean Dupont, devant les élus. Les habitants pourront consulter le document en mairie.")
PAGE = (b"<!DOCTYPE html><html><head><title>Storm hits coast</title><style>p {color: red}</style>"
        b"<script>var tracking = 1;</script></head><body><nav>Home | World | Sport</nav>"
        b"<h1>Storm hits coast</h1><p>A storm hit the coast on Sunday, cutting power to 20,000 homes, "
        b"the utility company said.</p><p>&ldquo;We expect most homes to have power again by Tuesday,&rdquo; "
        b"a spokeswoman for the company said.</p></body></html>")


def write(raw: Path, source_path: str | bytes, data: bytes) -> None:
    path = Path(os.fsdecode(os.path.join(os.fsencode(raw), os.fsencode(source_path))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build_corpus(raw: Path) -> dict[str, str]:
    """Write the hostile files; return what each visible one must become: article or reject reason."""
    expected = {}

    def add(source_path, data: bytes, outcome: str):
        write(raw, source_path, data)
        expected[source_path] = outcome

    add("empty.txt", b"", "empty")
    add("blank.txt", b" \n\t\r\n \n", "blank")
    add("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "binary")
    add("gzip.txt", b"\x1f\x8b\x08\x00" + bytes(range(256))[::-1] * 40, "binary")
    add("title only.txt", b"Just a headline", "no_body")
    add("cp1252 quotes.txt", "Pound falls\n\nThe pound fell to \u00a31.20, and \u201cthe worst is over\u201d, "
        "the central bank governor, Ann Smith, said on Friday.".encode("cp1252"), ARTICLE)
    add("latin1.txt", "Caf\u00e9 owners protest\n\nCaf\u00e9 owners in Z\u00fcrich protested on Monday against "
        "the new tax, which they said would close many small businesses.".encode("latin-1"), ARTICLE)
    add("bom crlf.txt", "\ufeffMarkets rally\r\n\r\nShares rose on Monday as investors welcomed the "
        "figures.\r\n\r\nThe index closed 2% higher.\r\n".encode("utf-8"), ARTICLE)
    add("utf16.txt", "Ferry service resumes\r\n\r\nThe ferry service resumed on Tuesday after a week of "
        "strikes, the operator said.".encode("utf-16"), ARTICLE)
    add("page.txt", PAGE, ARTICLE)
    add("fr/budget.txt", FRENCH.encode(), ARTICLE)
    add("unbalanced.txt", ("Minister under pressure\n\n\"We will not resign, the minister said on Monday.\n\n"
                           "Critics said \"the plan is dead and called for a vote.\n\n"
                           "The vote is expected next week.\"").encode(), ARTICLE)
    add("long line de.txt", (GERMAN * 6200).encode(), ARTICLE)            # one line of 500 KB
    add("long title.txt", ("A" * (1_100_000) + "\n\nA body.").encode(), "too_large")   # over the parser's limit
    add("too large.txt", (SENTENCE * 22_000).encode(), "too_large")        # 1.6 MB > MAX_FILE_MB
    add("a/b/c/deep nested.txt", KAZAKH_SEED.read_bytes(), ARTICLE)
    add("Zürich Nachrichten é.txt", EURONEWS_SEED.read_bytes(), ARTICLE)
    add("日本 記事.txt", "Tokyo\n\nTokyo officials said on Monday the city would expand its metro.".encode(), ARTICLE)
    add("notes.md", b"# Notes\n\nNot an article.", "not_txt")
    add("sub/data.csv", b"a,b\n1,2\n", "not_txt")
    add("SHOUTING.TXT", ("Loud headline\n\n" + SENTENCE * 3).encode(), ARTICLE)
    write(raw, b"caf\xe9 latin1 name.txt", b"Headline\n\nA body under a name that is not UTF-8.")
    expected["caf\\xe9 latin1 name.txt"] = "unreadable"
    os.symlink(raw / "missing-target.txt", raw / "broken link.txt")
    expected["broken link.txt"] = "unreadable"
    os.mkfifo(raw / "pipe.txt")                                            # skipped: reading would block
    write(raw, ".hidden.txt", b"Hidden\n\nA hidden file is skipped.")
    write(raw, ".git/config.txt", b"Hidden\n\nA file in a hidden folder is skipped.")
    return expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    raw = tmp_path_factory.mktemp("hostile")
    return raw, build_corpus(raw)


@pytest.fixture(scope="module")
def out(corpus, tmp_path_factory, prefect_harness):
    from flows.pipeline import newspipe_run

    out = tmp_path_factory.mktemp("out")
    newspipe_run(raw_dir=str(corpus[0]), out_dir=str(out), batch_size=5, max_file_mb=MAX_FILE_MB)
    return out


def tables(out: Path) -> dict[str, pl.DataFrame]:
    return {name: pl.read_parquet(out / name) for name in ("articles", "entities", "quotes", "rejects")}


def article(out: Path, source_path: str) -> dict:
    return tables(out)["articles"].filter(pl.col("source_path") == source_path).row(0, named=True)


def test_every_visible_file_is_an_article_or_a_reject_with_a_reason(corpus, out):
    t = tables(out)
    outcome = {p: ARTICLE for p in t["articles"]["source_path"]} | dict(zip(t["rejects"]["source_path"], t["rejects"]["reason"]))
    assert outcome == corpus[1]
    assert t["articles"].height + t["rejects"].height == len(corpus[1])     # none twice
    assert t["rejects"]["detail"].str.len_chars().min() > 10


def test_encodings_bom_crlf_and_html_are_read_as_text(out):
    assert article(out, "cp1252 quotes.txt")["encoding"] == "cp1252"
    assert "\u201cthe worst is over\u201d" in article(out, "cp1252 quotes.txt")["body"]
    assert "Z\u00fcrich" in article(out, "latin1.txt")["body"]
    bom = article(out, "bom crlf.txt")
    assert (bom["encoding"], bom["title"]) == ("utf-8-sig", "Markets rally")
    assert bom["body"] == "Shares rose on Monday as investors welcomed the figures.\n\nThe index closed 2% higher."
    assert article(out, "utf16.txt")["title"] == "Ferry service resumes"
    page = article(out, "page.txt")
    assert page["encoding"].endswith("+html") and page["title"] == "Storm hits coast"
    assert "<" not in page["body"] and "tracking" not in page["body"] and "20,000 homes" in page["body"]


def test_non_english_articles_are_kept_without_entities_or_quotes(out):
    t = tables(out)
    for source_path, lang in [("fr/budget.txt", "fr"), ("long line de.txt", "de")]:
        row = article(out, source_path)
        assert row["lang"] == lang
        assert row["article_id"] not in t["entities"]["article_id"].to_list()
        assert row["article_id"] not in t["quotes"]["article_id"].to_list()
    assert article(out, "long line de.txt")["word_count"] > 80_000


def test_names_keep_their_folders_spaces_and_letters(out):
    paths = set(tables(out)["articles"]["source_path"])
    assert {"a/b/c/deep nested.txt", "Zürich Nachrichten é.txt", "日本 記事.txt", "SHOUTING.TXT"} <= paths
    assert tables(out)["quotes"].join(tables(out)["articles"], on="article_id").filter(
        pl.col("source_path") == "Zürich Nachrichten é.txt").height > 0


def test_unbalanced_quotation_marks_still_give_an_article_and_valid_quotes(out):
    row = article(out, "unbalanced.txt")
    quotes = tables(out)["quotes"].filter(pl.col("article_id") == row["article_id"])
    assert quotes.height >= 1
    for q in quotes.iter_rows(named=True):
        text = row[q["field"]]
        assert 0 <= q["start"] < q["end"] <= len(text)
        assert " ".join(text[s["start"]:s["end"]] for s in q["spans"]) == q["text"]


def test_a_second_run_into_the_same_out_gives_the_same_tables(corpus, out):
    from flows.pipeline import newspipe_run

    first = tables(out)
    newspipe_run(raw_dir=str(corpus[0]), out_dir=str(out), batch_size=5, max_file_mb=MAX_FILE_MB)
    second = tables(out)
    keys = {"articles": "article_id", "entities": "entity_id", "quotes": "quote_id", "rejects": "source_path"}
    for name, key in keys.items():
        assert second[name][key].is_unique().all(), name
        a, b = (t[name].drop("ingested_at", strict=False).sort(key) for t in (first, second))
        assert a.equals(b), name
