from transforms import ids


def test_article_id_depends_on_the_path_alone():
    assert ids.article_id("bbc/001.txt") == ids.article_id("bbc/001.txt")
    assert ids.article_id("bbc/001.txt") != ids.article_id("bbc/002.txt")
    assert len(ids.article_id("x.txt")) == 16


def test_content_hash_ignores_case_and_reflowed_whitespace():
    assert ids.content_hash("A  body\n\nof text") == ids.content_hash("a body of text")
    assert ids.content_hash("a body") != ids.content_hash("another body")


def test_entity_key_is_shared_across_articles():
    assert ids.entity_key("PERSON", "Kassym-Jomart  Tokayev") == ids.entity_key("PERSON", "kassym-jomart tokayev")
