from transforms.first_names import FEMALE, MALE, gender_of_given_name


def test_given_names_tell_gender_in_any_case():
    assert gender_of_given_name("Hillary") == "f"
    assert gender_of_given_name("BERNIE") == "m"


def test_names_given_to_both_are_unknown_rather_than_guessed():
    for name in ("Jordan", "Taylor", "Leslie", "Robin", "Jean", "Clinton"):
        assert gender_of_given_name(name) is None


def test_no_name_is_in_both_lists():
    assert not MALE & FEMALE


def test_a_typed_name_keeps_its_gender_and_the_dataset_adds_names_it_lacks():
    from transforms.first_names import MORE_FEMALE, MORE_MALE
    # names-dataset gives Hillary to women in 78 bearers of 100 and Bernie to men in 54: the typed lists decide
    assert gender_of_given_name("Hillary") == "f" and gender_of_given_name("Bernie") == "m"
    assert gender_of_given_name("Giuseppe") == "m" and "giuseppe" not in MALE
    assert gender_of_given_name("Francesca") == "f" and "francesca" not in FEMALE
    assert not (MORE_MALE | MORE_FEMALE) & (MALE | FEMALE)
    assert not MORE_MALE & MORE_FEMALE
