"""The cleaner's line model: its tree evaluator, its decoding, the shipped file, and what it does
to a page."""
import json

import numpy as np
import pytest

from flows import store
from transforms.clean import line_model
from transforms.clean.forest import ROW_BLOCK
from transforms.clean import clean_text

# One tree: x0 <= 0.5 ? (x1 <= 2 ? -1 : 0.5) : 2, as LightGBM dumps it.
TREE = {"tree_structure": {
    "split_feature": 0, "threshold": 0.5, "decision_type": "<=", "internal_value": 0.1,
    "left_child": {"split_feature": 1, "threshold": 2.0, "decision_type": "<=", "internal_value": -0.4,
                   "left_child": {"leaf_value": -1.0}, "right_child": {"leaf_value": 0.5}},
    "right_child": {"leaf_value": 2.0}}}


def test_the_forest_walks_every_tree_for_every_line():
    forest = line_model.Forest.from_dump([TREE, TREE])
    x = np.array([[0.0, 1.0], [0.0, 3.0], [1.0, 0.0], [0.5, 2.0]])
    assert forest.raw_scores(x).tolist() == [-2.0, 1.0, 4.0, -2.0]


def test_a_forest_of_single_leaves_scores_their_sum_and_a_deeper_tree_beside_them_still_walks():
    leaves = [{"tree_structure": {"leaf_value": 0.25}}, {"tree_structure": {"leaf_value": -1.0}}]
    x = np.array([[0.0, 1.0], [1.0, 3.0]])
    assert line_model.Forest.from_dump(leaves).raw_scores(x).tolist() == [-0.75, -0.75]
    assert line_model.Forest.from_dump([*leaves, TREE]).raw_scores(x).tolist() == [-1.75, 1.25]


def test_a_long_page_is_scored_a_block_of_lines_at_a_time_with_the_same_result():
    forest = line_model.Forest.from_dump([TREE])
    x = np.random.default_rng(3).uniform(-1, 4, size=(3 * ROW_BLOCK + 5, 2))
    expected = [forest.raw_scores(row[None])[0] for row in x]
    assert forest.raw_scores(x).tolist() == expected
    assert forest.raw_scores(np.zeros((0, 2))).tolist() == []


def test_contributions_add_up_to_the_score_from_the_root_value():
    forest = line_model.Forest.from_dump([TREE])
    row = np.array([0.0, 3.0])
    c = forest.contributions(row)
    assert c.tolist() == pytest.approx([-0.5, 0.9])
    assert 0.1 + c.sum() == pytest.approx(forest.raw_scores(row[None])[0])


def _page(n, candidates=None, rule_keep=None):
    return line_model_page(candidates or [True] * n, rule_keep or [False] * n)


def line_model_page(candidates, rule_keep):
    from types import SimpleNamespace
    return SimpleNamespace(candidates=candidates, rule_keep=rule_keep)


def test_a_doubtful_line_is_kept_when_it_holds_much_of_the_page_and_dropped_when_it_adds_little():
    p = np.array([0.99, 0.5])
    assert line_model.decode(p, np.array([100.0, 50.0]), _page(2), 0.55) == [True, True]
    assert line_model.decode(p, np.array([100.0, 5.0]), _page(2), 0.55) == [True, False]


def test_decoding_keeps_the_likeliest_lines_and_never_the_unlikely_ones():
    p = np.array([0.2, 0.9, 0.05, 0.8, 0.1])
    assert line_model.decode(p, np.full(5, 20.0), _page(5), 0.55) == [False, True, False, True, False]
    furniture = np.array([0.02, 0.05, 0.01])
    assert line_model.decode(furniture, np.array([5.0, 500.0, 50.0]), _page(3), 0.55) == [False] * 3


def test_lines_below_the_least_p_do_not_drown_the_recall_of_the_article():
    # 30,000 menu lines at p 0.02 (600 words of expected article if they counted) and an
    # article of three doubtful paragraphs: all three are kept
    p = np.concatenate([np.full(30_000, 0.02), [0.8, 0.55, 0.55]])
    words = np.concatenate([np.ones(30_000), [30.0, 25.0, 25.0]])
    assert line_model.decode(p, words, _page(len(p)), 0.6)[-3:] == [True, True, True]


def test_an_end_of_article_heading_goes_when_the_line_after_it_is_dropped():
    from types import SimpleNamespace
    page = SimpleNamespace(candidates=[True] * 5, end_markers=[False, True, False, True, False])
    assert line_model.headings_lead_somewhere([True, True, True, True, False], page) == [True, True, True, False, False]
    assert line_model.headings_lead_somewhere([True, False, False, True, True], page) == [True, False, False, True, True]


def test_lines_that_are_not_candidates_keep_the_rules_verdict():
    p = np.array([0.9, 0.0, 0.9, 0.99])
    page = line_model_page([True, False, True, False], [False, True, False, False])
    assert line_model.decode(p, np.full(4, 10.0), page, 0.55) == [True, True, True, False]


def test_the_shipped_model_matches_the_code():
    model = line_model.shipped()
    assert model.forest.feature.shape[0] > 0 and model.stacked.feature.shape[0] > 0
    payload = json.loads(line_model.MODEL_PATH.read_text(encoding="utf-8"))
    payload["features"] = payload["features"][:-1]
    with pytest.raises(ValueError, match="rebuild it"):
        line_model.from_json(payload)


PAGE = """Council votes to close the old bridge | The Gazette
Home
News
Sport
Weather
Sign in
Council votes to close the old bridge
By Jane Doe
The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its piers.
"We cannot wait for it to fail," said the council leader, Mary Hill, who proposed the closure.
Buses and bicycles will still be allowed to cross while the city looks for money to repair it.
Share this article
Related stories
New cycle lanes open in the city centre
Mayor promises more buses
Follow us on Facebook
"""


def test_a_web_page_keeps_its_article_and_drops_the_furniture():
    cleaned = clean_text(PAGE)
    assert cleaned.title == "Council votes to close the old bridge"
    assert cleaned.body.split("\n\n") == [line for line in PAGE.splitlines() if len(line.split()) > 14]
    reasons = [d.reason for d in cleaned.decisions if d.role in ("body", "boilerplate")]
    assert any(r.startswith("line model: p(article)=") for r in reasons)


def test_explaining_names_the_features_that_decided():
    cleaned = clean_text(PAGE, body_model=line_model.shipped().explaining())
    explained = [d.reason for d in cleaned.decisions if "; features " in d.reason]
    assert explained and all(r.startswith("line model: p(article)=") for r in explained)


def test_a_model_that_keeps_nothing_leaves_the_rules_body():
    class Nothing:
        def __call__(self, page):
            return [(False, "dropped") for _ in page.lines]

    assert clean_text(PAGE, body_model=Nothing()).body == ""       # the hook obeys the model ...
    shipped = line_model.shipped()
    nowhere = line_model.Forest.from_dump([{"tree_structure": {"leaf_value": -50.0}}])    # p(article) ~ 0 everywhere
    hopeless = line_model.LineModel(shipped.forest, nowhere, shipped.precision_weight, shipped.odds)
    assert clean_text(PAGE, body_model=hopeless).body == clean_text(PAGE, body_model=None).body   # ... the model never empties a page


def test_the_model_file_counts_in_the_fingerprint(tmp_path, monkeypatch):
    (tmp_path / "transforms" / "clean").mkdir(parents=True)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "nlp.py").write_text("")
    (tmp_path / "transforms" / "clean" / "pipeline.py").write_text("")
    model = tmp_path / "transforms" / "clean" / "line_model.json"
    model.write_text('{"trees": []}')
    monkeypatch.setattr(store, "_REPO_CODE", tmp_path)
    before = store.code_fingerprint().transforms
    model.write_text('{"trees": [1]}')
    assert store.code_fingerprint().transforms != before
