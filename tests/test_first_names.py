from transforms.first_names import FEMALE, MALE, gender_of_given_name


def test_given_names_tell_gender_in_any_case():
    assert gender_of_given_name("Hillary") == "f"
    assert gender_of_given_name("BERNIE") == "m"


def test_names_given_to_both_are_unknown_rather_than_guessed():
    for name in ("Jordan", "Taylor", "Leslie", "Robin", "Jean", "Clinton"):
        assert gender_of_given_name(name) is None


def test_no_name_is_in_both_lists():
    assert not MALE & FEMALE
