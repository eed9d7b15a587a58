"""Train the cleaner's line model, cross-validated by site, and compare it with the rules.

    python bench/train_line_model.py            # writes transforms/clean/line_model.json (about 2 minutes)
    python bench/train_line_model.py --cv       # the site-grouped CV table, rules against the model (about 7 minutes)
    python bench/train_line_model.py --check    # rebuild and compare with the shipped file, byte for byte

Data: ../shared/data/cleaning/train (wcxb, cleaneval, cleanportaleval: gold bodies; trafilatura-eval:
must-keep / must-drop snippets) and ../shared/data/cleaning/dev. Every line of a page gets a
label where the gold says one: a line of the gold body (or most of its word 4-grams in it) is
article, a line none of whose 4-grams are in it is furniture; a short line that the gold holds only
inside longer text is left out. On snippet pages a line holding a must-keep snippet is article,
one holding a must-drop snippet furniture, the rest unlabelled.

Word odds: per word, the log-odds that a line holding it is furniture, counted over sites (a
word once per site and side; transforms/clean/word_odds.py), shipped in the model as a table.
A page's word-odds features are learned without its own site (cross-fitted over ODDS_FOLDS
folds by site) so the trees learn how far the table is to be trusted on a site it never saw.

Cross-validation: pages grouped by site (host) into five folds, no site in two folds; each
fold's pages are cleaned by a model trained on the other four. Scored per part with the shared
scorers' metrics: body F1 (score_cleaning.py) and snippet F1 (score_snippets.py). The decoding's
PRECISION_WEIGHT is the one with the best mean CV figure over the parts of train; the shipped
model is trained on all pages with it. (A two-state Viterbi pass over the lines, each change of
state costing 1 to 3 in log-odds, and a bias on the log-odds were measured the same way and
never beat deciding line by line; they were removed. So was a learned reader of the sequence
(commit c8ec25c): minimal GRUs down and up the page over the second stage's rows, their log-odds
averaged with the second stage's. On the same folds and trees it added 0.002 on wcxb and nothing
elsewhere, for a sixth more cleaning CPU. Averaging three seeds of the trees added 0.001 on wcxb.)
Measured the same way and not kept, each within 0.001 of wcxb 0.943 at weight 0.6: how many lines
around a line share its shape of words, digits and punctuation (tag clouds, listings, comment
headers); the word odds of the section heading above a line; a line's length, stop words,
punctuation, capitals, digits and word odds against its page's main run or median; cleaneval weighted 0.3 or wcxb 2 in training;
extra-randomised trees; leaves of 500 lines with feature_fraction 0.5; without the neighbours two
and three lines away, or without the page-wide columns. The trees fit wcxb to 0.959 on their own
training pages (0.977 with leaves of 20 lines, 400 rounds) against 0.943 on sites they have not
seen: what is lost is the step to a new site, not the fit. More sites help slowly: each fold
trained on a quarter of the other folds' sites scores wcxb 0.937, on half 0.941.
The probabilities are calibrated on unseen sites (out-of-fold, each tenth of p within 0.05 of the
share of article lines in it). Scaling their log-odds by 0.7 or 1.4 before decoding gave wcxb 0.9428
and 0.9424 at weight 0.6; the best scale and weight (1.4, 0.65) raised the mean over train's parts
by 0.0003. A page-level choice between the rules' body and the model's, learned (LightGBM on 14
page figures, the same site folds) from which one scored higher, reached at best wcxb 0.9433 and
cleanportaleval 0.9588; even choosing the better of the two by the gold itself
would reach only 0.9525 on wcxb.
Needs lightgbm (`pip install lightgbm==4.7.0`); the product itself only reads the JSON it writes.
"""
import argparse
from collections import Counter, defaultdict
from dataclasses import dataclass
import hashlib
import json
from pathlib import Path
import re
import statistics
import sys
import time

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))

import score_cleaning  # noqa: E402
import score_snippets  # noqa: E402

from transforms.clean import line_features, line_model, word_odds  # noqa: E402
from transforms.clean import clean_text  # noqa: E402
from transforms.decode import Rejected, decode_bytes  # noqa: E402

FOLDS = 5
PRECISION_WEIGHTS = (0.5, 0.55, 0.6, 0.65)
PRECISION_WEIGHT = 0.6             # picked by --cv (the best mean over train's parts; dev not used)
# Leaves of at least 200 lines, and a firmer L2 on their values: a split that only a few sites' lines
# support is a rule for those sites. Against 40 and 1.0, site-grouped CV (weight 0.6): dev 0.950 ->
# 0.959, trafilatura-eval 0.896 -> 0.902, cleaneval 0.916 -> 0.918, wcxb 0.943 -> 0.943,
# cleanportaleval 0.962 -> 0.959 (44 pages of 2 sites).
PARAMS = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 32, "max_depth": 6, "min_data_in_leaf": 200,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 10.0,
          "num_threads": 1, "deterministic": True, "force_row_wise": True, "seed": 7, "verbose": -1}
ROUNDS = 150
MAX_PAGE_LINES = 200
TOKEN = re.compile(r"\w+")


def load_pages() -> list[dict]:
    pages = []
    for split, part_of in (("train", lambda g: g["source"]), ("dev", lambda g: "dev")):
        folder = SHARED / "data" / "cleaning" / split
        for line in open(folder / "gold.jsonl", encoding="utf-8"):
            gold = json.loads(line)
            try:
                text = decode_bytes((folder / "raw" / f"{gold['id']}.txt").read_bytes()).text
            except Rejected:
                text = ""
            host = gold.get("host") or re.sub(r"^https?://(www\.)?([^/]+).*", r"\2", gold.get("url") or gold["id"])
            pages.append({"id": gold["id"], "part": part_of(gold), "host": host, "text": text, "gold": gold})
    return pages


def fold_of(host: str, folds: int = FOLDS, salt: str = "") -> int:
    return int(hashlib.sha256((salt + host).encode()).hexdigest(), 16) % folds


def analyse(page: dict) -> dict:
    """The rules' output, and for a web page the lines, features and labels."""
    seen = {}

    def recorder(lines):
        seen["page"] = lines
        return [None] * len(lines.lines)

    cleaned = clean_text(page["text"], body_model=recorder)
    out = {"title": cleaned.title or "", "rule_body": cleaned.body, "lines": None}
    if "page" in seen:
        lines = seen["page"]
        out["lines"] = [ln.text for ln in lines.lines]
        out["words"] = np.array([max(ln.words, 1) for ln in lines.lines], dtype=float)
        out["candidates"] = np.array(lines.candidates)
        out["rule_keep"] = np.array(lines.rule_keep)
        out["x"] = line_features.page_features(lines)
        out["line_words"] = [word_odds.line_words(text) for text in out["lines"]]
        out["y"] = labels(out["lines"], page["gold"])
    return out


def labels(lines: list[str], gold: dict) -> np.ndarray:
    """1 article, 0 furniture, -1 unknown, per line."""
    y = np.full(len(lines), -1.0)
    if gold.get("body"):
        words = TOKEN.findall(gold["body"].lower())
        grams = {tuple(words[i:i + 4]) for i in range(len(words) - 3)}
        short = {tuple(words[i:i + k]) for k in (1, 2, 3) for i in range(len(words) - k + 1)}
        whole = {tuple(TOKEN.findall(b.lower())) for b in gold["body"].split("\n") if b.strip()}
        for i, text in enumerate(lines):
            toks = tuple(TOKEN.findall(text.lower()))
            if toks and toks in whole:
                y[i] = 1
            elif len(toks) >= 4:
                cover = sum(tuple(toks[k:k + 4]) in grams for k in range(len(toks) - 3)) / (len(toks) - 3)
                y[i] = 1 if cover >= 0.5 else 0 if cover < 0.2 else -1
            else:
                y[i] = -1 if toks in short else 0
        return y
    keep = [score_snippets.norm(s) for s in gold.get("with") or []]
    drop = [score_snippets.norm(s) for s in gold.get("without") or []]
    for i, text in enumerate(lines):
        t = score_snippets.norm(text)
        if any(s in t for s in keep):
            y[i] = 1
        elif any(s in t for s in drop):
            y[i] = 0
    return y


def weights(a: dict) -> np.ndarray:
    """What a line's label weighs in training: the square root of its words (the scorers count
    words, but a short line of furniture matters to a reader too), a page at most as much as
    MAX_PAGE_LINES lines. (Weighing a line by its share of the page's article words, as the body
    scorer does, scored 0.003 higher on the mean CV figure but kept short furniture such as the
    seed page's "Read more about the election here.")"""
    words = np.array([len(text.split()) for text in a["lines"]], dtype=float)
    return np.sqrt(1 + words) * min(1.0, MAX_PAGE_LINES / max(len(words), 1))


def body_of(a: dict, keep: np.ndarray) -> str:
    final = np.where(a["candidates"], keep, a["rule_keep"])
    return "\n\n".join(t for t, k in zip(a["lines"], final) if k)


def score_part(pages: list[dict], bodies: dict[str, str], titles: dict[str, str]) -> dict:
    with_body = [p for p in pages if p["gold"].get("body")]
    out = {}
    if with_body:
        stats = [score_cleaning.tp_fp_fn(p["gold"]["body"], bodies[p["id"]]) for p in with_body]
        prec = [1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp)) for tp, fp, fn in stats if tp + fp > 0]
        rec = [1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn)) for tp, fp, fn in stats if tp + fn > 0]
        P, R = statistics.mean(prec or [0.0]), statistics.mean(rec or [0.0])
        out["body_f1"] = round(2 * P * R / (P + R) if P + R else 0.0, 4)
    snippet = [p["gold"] for p in pages if p["gold"].get("with") or p["gold"].get("without")]
    if snippet:
        summary, _ = score_snippets.score(snippet, {p["id"]: titles[p["id"]] + "\n" + bodies[p["id"]] for p in pages})
        out["snippet_f1"] = summary["f1"]
    out["empty"] = sum(not bodies[p["id"]].strip() for p in pages)
    return out


def train(xs, ys, ws, rounds=ROUNDS):
    import lightgbm as lgb
    x, y, weight = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    known = y >= 0
    data = lgb.Dataset(x[known], y[known], weight=weight[known], feature_name=[f"f{i}" for i in range(x.shape[1])],
                       free_raw_data=False)
    return lgb.train(PARAMS, data, num_boost_round=rounds)


INNER_FOLDS = 3
ODDS_FOLDS = 3


@dataclass
class Candidates:
    candidates: list
    rule_keep: list
    end_markers: list


def fit(pages: list[dict], analysed: dict) -> tuple:
    """The word odds and the two stages. Each stage learns from rows it will meet as on a new
    page: a page's word-odds features come from a table that did not count its own site, and
    the second stage learns from first-stage probabilities of pages the first stage did not see
    (inner folds by site)."""
    first_oof = {}
    for inner in range(INNER_FOLDS):
        held = [p for p in pages if fold_of(p["host"], INNER_FOLDS, "inner") == inner]
        rest = [p for p in pages if fold_of(p["host"], INNER_FOLDS, "inner") != inner]
        x = cross_fitted(rest, analysed)
        odds = learn_odds(rest, analysed)
        x.update({p["id"]: with_odds(analysed[p["id"]], odds) for p in held})
        forest = line_model.Forest.from_dump(train_xy(rest, x, analysed).dump_model()["tree_info"])
        for p in held:
            first_oof[p["id"]] = 1 / (1 + np.exp(-forest.raw_scores(x[p["id"]])))
    x = cross_fitted(pages, analysed)
    first = train_xy(pages, x, analysed)
    stacked = train([line_model.stack_features(x[p["id"]], first_oof[p["id"]]) for p in pages],
                    [analysed[p["id"]]["y"] for p in pages], [weights(analysed[p["id"]]) for p in pages])
    return first, stacked, learn_odds(pages, analysed)


def learn_odds(pages: list[dict], analysed: dict) -> dict[str, float]:
    """The word odds table of `pages`: each word counted once per site on each side."""
    furniture, article = Counter(), Counter()
    for site_furniture, site_article in _site_words(pages, analysed):
        furniture.update(site_furniture)
        article.update(site_article)
    return word_odds.learn_odds(furniture, article)


_SITE_WORDS: dict[str, tuple[set, set, set]] = {}   # host: (furniture words, article words, page ids counted)


def _site_words(pages: list[dict], analysed: dict) -> list[tuple[set, set]]:
    """Per site of `pages`, the words of its labelled lines (each page counted once)."""
    for p in pages:
        if p["host"] not in _SITE_WORDS or p["id"] not in _SITE_WORDS[p["host"]][2]:
            furniture, article, seen = _SITE_WORDS.setdefault(p["host"], (set(), set(), set()))
            seen.add(p["id"])
            a = analysed[p["id"]]
            for words, label in zip(a["line_words"], a["y"]):
                if label >= 0:
                    (article if label else furniture).update(words)
    return [_SITE_WORDS[host][:2] for host in sorted({p["host"] for p in pages})]


def cross_fitted(pages: list[dict], analysed: dict) -> dict[str, np.ndarray]:
    """FEATURES rows of `pages`, each page's word odds from the pages of the other ODDS_FOLDS."""
    x = {}
    for k in range(ODDS_FOLDS):
        odds = learn_odds([p for p in pages if fold_of(p["host"], ODDS_FOLDS, "lexicon") != k], analysed)
        x.update({p["id"]: with_odds(analysed[p["id"]], odds) for p in pages
                  if fold_of(p["host"], ODDS_FOLDS, "lexicon") == k})
    return x


def with_odds(a: dict, odds: dict[str, float]) -> np.ndarray:
    return np.hstack([a["x"], word_odds.odds_features(a["line_words"], odds)])


def train_xy(pages, x, analysed):
    return train([x[p["id"]] for p in pages], [analysed[p["id"]]["y"] for p in pages],
                 [weights(analysed[p["id"]]) for p in pages])


def to_model(first, stacked, odds: dict[str, float], precision_weight: float = PRECISION_WEIGHT) -> dict:
    return {"about": "cleaning line model: LightGBM trees (bench/train_line_model.py), decoded by transforms/clean/line_model.py",
            "lightgbm_params": PARAMS, "rounds": ROUNDS, "precision_weight": precision_weight,
            "features": line_model.FEATURES, "stacked_features": line_model.STACKED,
            "word_odds": dict(sorted(odds.items())),
            "trees": [_round_tree(t) for t in first.dump_model()["tree_info"]],
            "stacked_trees": [_round_tree(t) for t in stacked.dump_model()["tree_info"]]}


def _round_tree(tree: dict) -> dict:
    keep = ("split_feature", "threshold", "decision_type", "left_child", "right_child", "leaf_value", "internal_value")

    def walk(node):
        return {k: (walk(v) if isinstance(v, dict) else v) for k, v in node.items() if k in keep}
    return {"tree_structure": walk(tree["tree_structure"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--cache", help="keep the analysed pages in this file between runs (experiments)")
    args = parser.parse_args()
    started = time.monotonic()
    pages = load_pages()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        import pickle
        analysed = pickle.loads(cache.read_bytes())
        for a in analysed.values():
            if a["lines"] is not None and "line_words" not in a:
                a["line_words"] = [word_odds.line_words(text) for text in a["lines"]]
    else:
        analysed = {p["id"]: analyse(p) for p in pages}
        if cache:
            import pickle
            cache.write_bytes(pickle.dumps(analysed))
    print(f"{len(pages)} pages analysed in {time.monotonic() - started:.0f}s", file=sys.stderr)
    web = [p for p in pages if analysed[p["id"]]["lines"] is not None]
    titles = {p["id"]: analysed[p["id"]]["title"] for p in pages}
    parts = defaultdict(list)
    for p in pages:
        parts[p["part"]].append(p)

    if args.cv:
        oof = {}
        for fold in range(FOLDS):
            model = line_model.from_json(to_model(*fit([p for p in web if fold_of(p["host"]) != fold], analysed)))
            for p in web:
                if fold_of(p["host"]) == fold:
                    x = with_odds(analysed[p["id"]], model.odds)
                    oof[p["id"]] = model.stacked.raw_scores(model._stacked_features(x))
            print(f"fold {fold + 1}/{FOLDS} done, {time.monotonic() - started:.0f}s", file=sys.stderr)
        rules = {p["id"]: analysed[p["id"]]["rule_body"] for p in pages}
        table = {"rules": {part: score_part(ps, rules, titles) for part, ps in sorted(parts.items())}}
        for weight in PRECISION_WEIGHTS:
            bodies = dict(rules)
            for p in web:
                a = analysed[p["id"]]
                prob = 1 / (1 + np.exp(-oof[p["id"]]))
                page = Candidates(list(a["candidates"]), list(a["rule_keep"]),
                                  list(a["x"][:, line_features.PAGE_FEATURES.index("end_marker")] > 0))
                keep = line_model.decode(prob, a["words"], page, weight)
                keep = line_model.never_empty(line_model.headings_lead_somewhere(keep, page), prob, page)
                bodies[p["id"]] = body_of(a, np.array(keep))
            table[weight] = {part: score_part(ps, bodies, titles) for part, ps in sorted(parts.items())}
        print(json.dumps({str(k): v for k, v in table.items()}, indent=1))
        best = max((k for k in table if k != "rules"), key=lambda k: statistics.mean(
            v.get("body_f1", v.get("snippet_f1", 0)) for part, v in table[k].items() if part != "dev"))
        print(f"precision weight with the best mean CV figure on train: {best}", file=sys.stderr)
        return 0
    text = json.dumps(to_model(*fit(web, analysed)), separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        same = text == line_model.MODEL_PATH.read_text(encoding="utf-8")
        print("the shipped model is rebuilt byte for byte" if same else "the rebuilt model differs from the shipped one")
        return 0 if same else 1
    line_model.MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {line_model.MODEL_PATH} ({len(text) // 1024} KB) in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
