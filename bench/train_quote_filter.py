"""Learn transforms/quote_filter.json from a gold folder (PolNeAR train), check it on another.

    python bench/train_quote_filter.py ../shared/data/polnear/train --check ../shared/data/polnear/dev \
        [--docs-cache /tmp/newspipe-docs] [--write]

Every quoted body row the rules find is kept with its features (`extract_quotes(keep_all=True)`),
labelled with the scorer's own matching (a row is positive when it matches a gold quote and its
speaker is right), and a logistic regression (L2, Newton steps) is fitted. Its probability is the
row's `confidence`. The script prints, for thresholds on that probability, quote F1 and
attributed-quote F1 on 5-fold cross-validation by article (and on the --check folder), so the
cut is a measured choice; `--threshold` sets the cut the pipeline applies (default 0: keep every
row, rank by confidence). `--write` replaces the shipped model; without it the script only reports.
"""
import argparse
from collections import Counter, defaultdict
from datetime import datetime, timezone
import hashlib
import json
from pathlib import Path
import pickle
import sys

import numpy as np
from spacy.tokens import Doc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
import score_quotes as sq  # noqa: E402

from models.nlp import load_nlp  # noqa: E402
from transforms.entities import extract_entities  # noqa: E402
from transforms.extract import field_texts  # noqa: E402
from transforms.ingest import ingest_frames  # noqa: E402
from transforms.nlp_plan import annotate, model_cue_forms  # noqa: E402
from transforms.quote_filter import MODEL_PATH, load_model  # noqa: E402
from transforms.quotes import extract_quotes  # noqa: E402

L2 = 1.0
FOLDS = 5


def parsed_docs(gold_dir: Path, cache_dir: Path | None):
    """(gold id, {title, body} Docs) per article, annotated as the pipeline does (the parser
    only where quotes can be: `nlp_plan.annotate`), parsing only what the cache does not hold."""
    items = [(p.name, p.read_bytes()) for p in sorted((gold_dir / "raw").glob("*.txt"))]
    articles, _ = ingest_frames(items, datetime.now(timezone.utc))
    nlp = load_nlp()
    cache_file = cache_dir / f"{gold_dir.parent.name}_{gold_dir.name}.pkl" if cache_dir else None
    known = pickle.loads(cache_file.read_bytes()) if cache_file and cache_file.exists() else {}
    texts = list(field_texts(articles["title"].to_list(), articles["body"].to_list()))
    keys = [hashlib.sha256(f"{i % 2}{t}".encode()).hexdigest() for i, t in enumerate(texts)]
    todo = [(i, t) for i, (k, t) in enumerate(zip(keys, texts)) if k not in known]
    if todo:
        docs = annotate(nlp, [t for _, t in todo], [i % 2 == 0 for i, _ in todo], model_cue_forms(nlp))
        for (i, _), doc in zip(todo, docs):
            known[keys[i]] = doc.to_bytes()
        if cache_file:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_bytes(pickle.dumps(known))
    for i, path in enumerate(articles["source_path"]):
        docs = {"title": Doc(nlp.vocab).from_bytes(known[keys[2 * i]]),
                "body": Doc(nlp.vocab).from_bytes(known[keys[2 * i + 1]])}
        yield Path(path).stem, docs


def labelled_rows(gold_dir: Path, cache_dir: Path | None) -> tuple[list[dict], int]:
    """Every quoted row with features and label, and the number of gold quotes."""
    gold = sq.gold_units(gold_dir)
    rows = []
    for gid, docs in parsed_docs(gold_dir, cache_dir):
        if gid not in gold:
            continue
        entities = extract_entities(gid, docs)
        preds = [q for q in extract_quotes(gid, docs, entities, load_model(), keep_all=True) if "features" in q]
        rows.extend(_label(preds, gold[gid]))
    return rows, sum(len(units) for units in gold.values())


def _label(preds: list[dict], units: list[dict]) -> list[dict]:
    """The scorer's one-to-one matching, best overlap first; positive = matched with the right speaker."""
    pairs = []
    for i, p in enumerate(preds):
        pw = Counter(sq.words(p["text"]))
        for j, g in enumerate(units):
            ov_q, ov_c = sum((pw & g["quoted"]).values()), sum((pw & g["content"]).values())
            if pw and ov_q >= 0.5 * sum(g["quoted"].values()) and ov_c >= 0.5 * sum(pw.values()):
                pairs.append((ov_q, i, j))
    used_p, used_g = {}, set()
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p[i] = j
            used_g.add(j)
    for i, p in enumerate(preds):
        j = used_p.get(i)
        ok = j is not None and sq.speaker_ok(units[j]["source"], p["speaker_mention"], p["speaker"]) is not False
        p["label"] = ok
        p["matched"] = j is not None
        p["gold_source"] = units[j]["source"] if j is not None else None
    return preds


def fit(rows: list[dict]) -> tuple[list[str], np.ndarray, float]:
    names = sorted({name for r in rows for name in r["features"]})
    x = np.array([[r["features"].get(n, 0.0) for n in names] for r in rows])
    y = np.array([float(r["label"]) for r in rows])
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    penalty = np.eye(x1.shape[1]) * L2
    penalty[0, 0] = 0.0
    for _ in range(50):   # Newton-Raphson on the penalised log-likelihood
        p = 1 / (1 + np.exp(-x1 @ w))
        grad = x1.T @ (p - y) + penalty @ w
        hess = x1.T @ (x1 * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return names, w[1:], float(w[0])


def _fold(row: dict) -> int:
    return int(hashlib.sha256(row["article_id"].encode()).hexdigest(), 16) % FOLDS


def _probability(row: dict, names: list[str], weights: np.ndarray, bias: float) -> float:
    return float(1 / (1 + np.exp(-(bias + sum(w * row["features"].get(n, 0.0) for n, w in zip(names, weights))))))


def scores(rows: list[dict], n_gold: int, threshold: float) -> dict:
    kept = [r for r in rows if r["p"] >= threshold]
    tp_attr, matched = sum(r["label"] for r in kept), sum(r["matched"] for r in kept)
    f = lambda tp: 2 * tp / (len(kept) + n_gold) if kept else 0.0  # noqa: E731
    return {"threshold": threshold, "kept": len(kept), "quote_f1": round(f(matched), 4),
            "attributed_quote_f1": round(f(tp_attr), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_dir", type=Path)
    parser.add_argument("--check", type=Path, help="a second gold folder to report on (not used for fitting)")
    parser.add_argument("--docs-cache", type=Path, help="folder to cache parsed Docs in")
    parser.add_argument("--write", action="store_true", help=f"write the model to {MODEL_PATH}")
    parser.add_argument("--threshold", type=float, default=0.0, help="rows under this confidence are dropped")
    args = parser.parse_args()

    rows, n_gold = labelled_rows(args.train_dir, args.docs_cache)
    # the threshold is chosen on held-out folds, so it reflects articles the weights never saw
    for fold in range(FOLDS):
        inside = [r for r in rows if _fold(r) != fold]
        names, weights, bias = fit(inside)
        for r in rows:
            if _fold(r) == fold:
                r["p"] = _probability(r, names, weights, bias)
    names, weights, bias = fit(rows)
    model = {"trained_on": str(args.train_dir), "rows": len(rows), "gold_quotes": n_gold, "l2": L2,
             "bias": round(bias, 4), "threshold": args.threshold,
             "weights": {n: round(float(w), 4) for n, w in sorted(zip(names, weights), key=lambda nw: -abs(nw[1]))}}
    check_rows, check_gold = [], 0
    if args.check:
        check_rows, check_gold = labelled_rows(args.check, args.docs_cache)
        for r in check_rows:
            r["p"] = _probability(r, names, weights, bias)
    print(f"{'threshold':>9} {'kept':>6} {'quote F1':>9} {'attr. F1':>9}"
          + (f"   {'kept':>6} {'quote F1':>9} {'attr. F1':>9}" if args.check else ""))
    print(f"(left: {args.train_dir.name}, 5-fold cross-validated" + (f"; right: {args.check.name})" if args.check else ")"))
    for t in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        cv = scores(rows, n_gold, t)
        line = f"{t:>9.2f} {cv['kept']:>6} {cv['quote_f1']:>9.4f} {cv['attributed_quote_f1']:>9.4f}"
        if args.check:
            ck = scores(check_rows, check_gold, t)
            line += f"   {ck['kept']:>6} {ck['quote_f1']:>9.4f} {ck['attributed_quote_f1']:>9.4f}"
        print(line)
    print(json.dumps(model["weights"], indent=1))
    if args.write:
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
