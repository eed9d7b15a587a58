from transforms.quote_filter import load_model, quote_features


def features(text, how="named", kind="direct", cue="say", word_before=""):
    return quote_features(text, kind, how, cue, 1, False, word_before)


def test_shipped_model_has_weights_and_a_threshold_in_range():
    model = load_model()
    assert model.weights and 0 <= model.threshold < 1


def test_a_named_sentence_outranks_a_title_case_name_after_on():
    model = load_model()
    speech = model.probability(features("We will not give up on this city, not now and not ever."))
    show = model.probability(features("Face the Nation", kind="partial", how="unresolved", word_before="on"))
    assert 0 <= show < speech <= 1


def test_no_speaker_is_the_strongest_evidence_against_a_row():
    model = load_model()
    assert model.probability(features("We will win this.", how="none", cue=None)) < model.probability(features("We will win this."))
