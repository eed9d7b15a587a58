from datetime import datetime, timezone

import polars as pl

from transforms.duplicates import duplicate_map
from transforms.ingest import MAX_FIELD_CHARS, apply_duplicates, ingest_frames

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_every_input_becomes_an_article_or_a_reject():
    items = [("a.txt", b"Headline\n\nA body of text here."), ("empty.txt", b""), ("blank.txt", b"\n \n"),
             ("title-only.txt", b"Just a headline")]
    articles, rejects = ingest_frames(items, NOW)
    assert articles["source_path"].to_list() == ["a.txt"]
    assert dict(zip(rejects["source_path"], rejects["reason"])) == {
        "empty.txt": "empty", "blank.txt": "blank", "title-only.txt": "no_body"}


def test_article_row_has_title_body_and_counts():
    text = ("Council approves new budget\n\nThe city council approved the budget on Monday after a long debate.\n\n"
            "Members said the plan would fund two new schools and repair the main bridge.")
    articles, _ = ingest_frames([("x/y.txt", text.encode())], NOW)
    row = articles.row(0, named=True)
    assert row["title"] == "Council approves new budget"
    assert row["body"] == text.split("\n\n", 1)[1]
    assert row["word_count"] == 26
    assert row["lang"] == "en"
    assert row["article_id"] and row["content_hash"] and row["duplicate_of"] is None


def test_duplicates_point_at_the_copy_with_the_smallest_source_path():
    body = b"Headline\n\nThe same body in three files, word for word, long enough to count."
    articles, _ = ingest_frames([("c.txt", body), ("a.txt", body), ("b.txt", b"Other\n\nA different body.")], NOW)
    marked = apply_duplicates(articles, duplicate_map(articles))
    by_path = {p: (d, k) for p, d, k in marked.select("source_path", "duplicate_of", "duplicate_kind").iter_rows()}
    first = marked.filter(pl.col("source_path") == "a.txt")["article_id"][0]
    assert by_path == {"c.txt": (first, "exact"), "a.txt": (None, None), "b.txt": (None, None)}


def test_decoding_and_cleaning_are_two_steps_that_give_the_same_rows():
    from transforms.ingest import clean_frames, decode_frames

    items = [("a.txt", b"Headline\n\nA body of text here."), ("empty.txt", b""), ("b.txt", b"Only a headline")]
    texts, read_rejects = decode_frames(items)
    articles, clean_rejects = clean_frames(texts, NOW)
    together, rejects = ingest_frames(items, NOW)
    assert articles.equals(together)
    assert sorted(read_rejects["reason"].to_list() + clean_rejects["reason"].to_list()) == \
        sorted(rejects["reason"].to_list()) == ["empty", "no_body"]


def test_a_file_that_is_not_txt_is_rejected_whatever_it_holds():
    articles, rejects = ingest_frames([("notes.md", b"Headline\n\nA body of text here."),
                                       ("LOUD.TXT", b"Headline\n\nA body of text here.")], NOW)
    assert articles["source_path"].to_list() == ["LOUD.TXT"]
    assert rejects.row(0, named=True)["reason"] == "not_txt"


def test_a_body_longer_than_the_parser_takes_is_rejected_as_too_large():
    text = "Headline\n\n" + "word " * (MAX_FIELD_CHARS // 5 + 1)
    articles, rejects = ingest_frames([("huge.txt", text.encode())], NOW)
    assert articles.height == 0
    assert rejects.row(0, named=True)["reason"] == "too_large"
    assert "split the file" in rejects.row(0, named=True)["detail"]
