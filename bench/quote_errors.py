"""Where quote extraction fails: the scorer's own matching, with every miss listed by kind.

    python bench/quote_errors.py GOLD_DIR OUT_DIR [--show 5]

Kinds: missed (a gold quote no prediction matches), spurious (a prediction no gold quote
matches), and, on matched quotes, speaker errors split by what went wrong (no speaker found,
pronoun gold, named gold). Uses ../shared/eval/score_quotes.py for matching, so the counts
agree with the scorer's figures.
"""
import argparse
from collections import Counter, defaultdict
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
import score_quotes as sq  # noqa: E402


def analyse(gold_dir: Path, out_dir: Path) -> dict[str, list[str]]:
    gold = sq.gold_units(gold_dir)
    arts = sq.read_table(out_dir, "articles", ["article_id", "source_path"])
    stem = {a["article_id"]: Path(a["source_path"]).name.removesuffix(".txt") for a in arts}
    preds = defaultdict(list)
    for q in sq.read_table(out_dir, "quotes"):
        if q["quote_type"] != "indirect" and stem.get(q["article_id"]) in gold:
            preds[stem[q["article_id"]]].append(q)
    errors = defaultdict(list)
    for gid, units in gold.items():
        pairs = []
        for i, p in enumerate(preds[gid]):
            pw = Counter(sq.words(p["text"]))
            for j, g in enumerate(units):
                ov_q, ov_c = sum((pw & g["quoted"]).values()), sum((pw & g["content"]).values())
                if pw and ov_q >= 0.5 * sum(g["quoted"].values()) and ov_c >= 0.5 * sum(pw.values()):
                    pairs.append((ov_q, i, j))
        used_p, used_g = set(), set()
        for _, i, j in sorted(pairs, reverse=True):
            if i in used_p or j in used_g:
                continue
            used_p.add(i); used_g.add(j)
            p, g = preds[gid][i], units[j]
            ok = sq.speaker_ok(g["source"], p["speaker_mention"], p["speaker"])
            if ok is False:
                gold_pronoun = set(sq.words(g["source"])) <= sq.PRONOUNS
                kind = ("speaker: none found" if not p["speaker_mention"] else
                        "speaker: pronoun gold" if gold_pronoun else "speaker: named gold")
                errors[kind].append(f"{gid}: gold {g['source']!r} | mention {p['speaker_mention']!r} "
                                    f"speaker {p['speaker']!r} cue {p['cue']!r} | {p['text'][:70]!r}")
        for j, g in enumerate(units):
            if j not in used_g:
                quoted = " ".join(w for w in g["quoted"].elements())
                errors["missed"].append(f"{gid}: gold {g['source']!r} | {quoted[:90]!r}")
        for i, p in enumerate(preds[gid]):
            if i not in used_p:
                errors[f"spurious {p['quote_type']}"].append(
                    f"{gid}: {p['speaker_mention']!r} {p['cue']!r} conf {p['confidence']} | {p['text'][:80]!r}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--show", type=int, default=5, help="examples per kind")
    args = parser.parse_args()
    errors = analyse(args.gold_dir, args.out_dir)
    for kind, items in sorted(errors.items(), key=lambda kv: -len(kv[1])):
        print(f"\n## {kind}: {len(items)}")
        for item in items[:args.show]:
            print(f"  - {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
