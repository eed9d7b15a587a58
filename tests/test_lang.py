import subprocess
import sys
import tomllib
from unittest.mock import patch

from hypothesis import given, settings, strategies as st
import numpy as np
import py3langid

from tests.conftest import REPO, SEEDS
from transforms import lang
from transforms.lang import WINDOW, automaton_depth, detect_lang


def test_english_german_and_too_short():
    assert detect_lang("The president said the protesters would be released within days.") == "en"
    assert detect_lang("Der Präsident sagte, die Demonstranten würden in wenigen Tagen freigelassen.") == "de"
    assert detect_lang("12:30 — ok") is None


def test_languages_without_a_two_letter_code_are_unknown_not_a_three_letter_code():
    assert detect_lang("我哋今日去咗飲茶，佢話啲點心好好食，我都覺得係") is None


def test_a_results_table_does_not_hide_the_prose_language():
    table = "\n".join(f"Dinamo Zagreb {i} Hajduk Split {i + 1} Osijek {i} Rijeka {i}" for i in range(12))
    text = table + "\nThe home side scored twice in the second half to take the lead in the league.\n"
    assert detect_lang(text) == "en"


def test_twenty_letters_are_enough_to_tell_and_nineteen_are_not():
    assert detect_lang("She said the war is over.") is None             # 19 letters
    assert detect_lang("They said the war is over.") == "en"            # 20
    assert detect_lang("1 They 2 said the war is over!") == "en"        # digits do not count, nor stop it
    assert detect_lang("1 She 2 said the war is over, 345 678.") is None


def test_load_model_loads_the_language_model_before_the_first_text():
    """`newspipe run` calls it while Prefect's server starts; importing the module must not."""
    code = ("from transforms import lang; before = lang._model.cache_info().currsize; "
            "lang.load_model(); print(before, lang._model.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "1"]


def test_the_window_is_the_automatons_depth():
    """The states are walked WINDOW bytes deep: exact for an automaton of n-grams no longer
    than that (bench/langid_window.py shows it forgets its start after WINDOW bytes)."""
    assert automaton_depth(lang._model()) == WINDOW


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_the_model_says_what_py3langid_says_of_any_text(text):
    assert lang._model().classify(text) == py3langid.classify(text)[0]


def test_the_model_says_what_py3langid_says_of_the_seeds_and_pages_in_ten_languages():
    pages = tomllib.loads((REPO / "tests" / "clean" / "metadata_pages.toml").read_text(encoding="utf-8"))
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += ["\n".join(str(value) for value in page.values()) for page in pages.values()]
    assert len(texts) >= 8
    for text in texts:
        for sample in (text[:4000], text[:300], lang._prose(text)[:4000], text[:4000].upper()):
            assert lang._model().classify(sample) == py3langid.classify(sample)[0]


def test_a_window_one_byte_short_finds_other_states():
    """The walk is as deep as it must be: one byte less loses the longest n-grams (six bytes:
    two characters of a script written in three bytes each)."""
    model = lang._model()
    data = np.frombuffer("日本語のテキストです。東京都で会議が開かれた。".encode(), np.uint8)
    with patch.object(lang, "WINDOW", WINDOW - 1):
        shorter = model.states(data)
    assert not np.array_equal(shorter, model.states(data))
