"""Where entity extraction fails: the scorer's own matching, every miss listed by label and kind.

    python bench/entity_errors.py GOLD_DIR OUT_DIR [--show 10] [--label ORG]

Kinds, per scored label (PER, ORG, LOC, MISC): `missed` (a gold entity no prediction of its
label fits), `spurious` (a prediction that fits no gold entity of its label) and, among those,
`wrong label` (the name fits a gold entity of another label: what a better label would fix).
The most frequent names of each kind come first. Uses ../shared/eval/score_entities.py for
normalising and matching, so the counts agree with the scorer's figures.
"""
import argparse
from collections import Counter, defaultdict
import json
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
import score_entities as se  # noqa: E402


def analyse(gold_dir: Path, out_dir: Path) -> dict[tuple[str, str], list[str]]:
    """(label, kind) -> ["article: name (detail)", ...]."""
    gold = {}
    for line in open(gold_dir / "gold.jsonl", encoding="utf-8"):
        g = json.loads(line)
        gold[g["id"]] = se.gold_entities({(se.normalise(e["name"]), e["label"]) for e in g["entities"]})
    arts = se.read_table(out_dir, "articles", ["article_id", "source_path"])
    stem = {a["article_id"]: Path(a["source_path"]).name.removesuffix(".txt") for a in arts}
    preds: dict[str, dict[tuple, str]] = defaultdict(dict)   # gid -> (label, tokens) -> spaCy label
    for e in se.read_table(out_dir, "entities", ["article_id", "name", "label"]):
        gid, lab, name = stem.get(e["article_id"]), se.LABEL_MAP.get(str(e["label"]).upper()), se.normalise(e["name"])
        if gid in gold and lab and name:
            preds[gid].setdefault((lab, tuple(name.split())), e["label"])
    errors = defaultdict(list)
    for gid, golds in gold.items():
        ps = sorted(preds[gid])
        pairs = se.match(ps, golds)
        hit_p, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
        for j, (lab, names) in enumerate(golds):
            if j not in hit_g:
                other = [f"{ps[i][0]}({preds[gid][ps[i]]})" for i in range(len(ps))
                         if i not in hit_p and se.fits(ps[i][1], names)]
                errors[(lab, "missed")].append(
                    (" ".join(names[0]), f"{gid}" + (f" predicted as {', '.join(other)}" if other else "")))
        for i, (lab, toks) in enumerate(ps):
            if i not in hit_p:
                wrong = [g_lab for g_lab, names in golds if se.fits(toks, names)]
                kind = "wrong label" if wrong else "spurious"
                errors[(lab, kind)].append(
                    (" ".join(toks), f"{gid} {preds[gid][(lab, toks)]}" + (f" gold {'/'.join(wrong)}" if wrong else "")))
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--show", type=int, default=10, help="examples per kind (most frequent names first)")
    parser.add_argument("--label", choices=se.LABELS, help="only this scored label")
    args = parser.parse_args()
    errors = analyse(args.gold_dir, args.out_dir)
    for lab in se.LABELS:
        if args.label and lab != args.label:
            continue
        for kind in ("missed", "spurious", "wrong label"):
            items = errors.get((lab, kind), [])
            print(f"\n{lab} {kind}: {len(items)}")
            by_name = Counter(name for name, _ in items)
            where = {name: detail for name, detail in items}
            for name, n in by_name.most_common(args.show):
                print(f"  {n:>3} x {name!r}  e.g. {where[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
