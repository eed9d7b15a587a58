import subprocess
import sys

from transforms.lang import detect_lang


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
    code = ("import py3langid.langid as L; from transforms import lang; before = L.IDENTIFIER is not None; "
            "lang.load_model(); print(before, L.IDENTIFIER is not None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
