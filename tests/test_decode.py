import ftfy
from hypothesis import given, settings, strategies as st
import pytest

from transforms.decode import _FTFY_OPTIONS, Rejected, _repair, decode_bytes, html_to_text, normalise_text


def test_utf8_with_bom_and_crlf_becomes_plain_lf_text():
    decoded = decode_bytes("\ufeffTitle\r\n\r\nBody line\r\n".encode("utf-8"))
    assert decoded.text == "Title\n\nBody line\n"
    assert decoded.encoding == "utf-8-sig"


def test_invalid_utf8_falls_back_to_cp1252_and_keeps_the_pound_sign():
    decoded = decode_bytes("Price rose to \u00a3300m".encode("latin-1"))
    assert decoded.text == "Price rose to \u00a3300m"
    assert decoded.encoding == "cp1252"


def test_mojibake_is_repaired():
    assert decode_bytes("The cafe\u00c3\u00a9 said".encode("utf-8")).text == "The cafe\u00e9 said"


def test_curly_quotes_are_kept_for_quote_extraction():
    assert decode_bytes("\u201cYes,\u201d she said".encode()).text == "\u201cYes,\u201d she said"


@pytest.mark.parametrize("raw, reason", [(b"", "empty"), (b"  \n\t\n", "blank"),
                                         (b"\x00\x01\x02PNG\x00" * 10, "binary")])
def test_unusable_bytes_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(Rejected) as err:
        decode_bytes(raw)
    assert err.value.reason == reason


def test_html_saved_as_text_is_reduced_to_its_visible_text():
    page = b"<html><head><script>var x = 1;</script></head><body><h1>Headline</h1><p>First para.</p></body></html>"
    decoded = decode_bytes(page)
    assert "var x" not in decoded.text
    assert "Headline" in decoded.text and "First para." in decoded.text
    assert decoded.encoding.endswith("+html")


def test_html_blocks_become_separate_lines():
    assert html_to_text("<p>One</p><p>Two</p>").split() == ["One", "Two"]


def test_html_menus_sidebars_and_forms_are_not_text():
    page = ("<html><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><h1>Storm hits coast</h1>"
            "<aside>Most read: Ten things</aside><p>A storm hit the coast.</p>"
            "<form><button>Subscribe</button></form></body></html>")
    assert decode_bytes(page.encode()).text.strip().split("\n\n") == ["Storm hits coast", "A storm hit the coast."]


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=300))
@settings(max_examples=400, deadline=None)
def test_ascii_text_skips_ftfy_only_where_ftfy_would_change_nothing(text):
    """ASCII text without an entity, an escape or a control character ftfy removes skips ftfy:
    the same text as ftfy gives, for any ASCII text."""
    assert _repair(text) == ftfy.fix_text(text, **_FTFY_OPTIONS)


def test_each_ascii_character_skips_ftfy_only_where_ftfy_would_change_nothing():
    """Every ASCII character alone, between letters and after an entity's start: random texts
    seldom hold a given control character."""
    for code in range(128):
        for text in (chr(code), f"a{chr(code)}b", f"&amp{chr(code)}"):
            assert _repair(text) == ftfy.fix_text(text, **_FTFY_OPTIONS), repr(text)


def test_ascii_entities_escapes_and_control_characters_are_still_fixed():
    assert normalise_text("Marks &amp; Spencer") == "Marks & Spencer"
    assert normalise_text("\x1b[1mBold\x1b[0m headline") == "Bold headline"
    assert normalise_text("Bell\x07 rang") == "Bell rang"
