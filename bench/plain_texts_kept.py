"""Does the cleaner keep an article as written whole? Body F1 of each text's cleaned body against
the text itself less its first line (the headline), with score_cleaning.py's metric.

    python bench/plain_texts_kept.py ../shared/data/bbc

BBC's files are articles as written (a headline, then paragraphs): the cleaner should keep them
whole, with the line model as with the rules alone.
"""
import argparse
from pathlib import Path
import statistics
import sys

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO.parent / "shared" / "eval"))

import score_cleaning  # noqa: E402

from transforms.clean import clean_text  # noqa: E402
from transforms.decode import decode_bytes  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    stats = []
    for path in sorted(args.folder.rglob("*.txt")):
        text = decode_bytes(path.read_bytes()).text
        gold = text.strip().split("\n", 1)[1] if "\n" in text.strip() else ""
        stats.append(score_cleaning.tp_fp_fn(gold, clean_text(text).body))
    precision = statistics.mean(tp / (tp + fp) if tp + fp else 1.0 for tp, fp, fn in stats)
    recall = statistics.mean(tp / (tp + fn) if tp + fn else 1.0 for tp, fp, fn in stats)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"{args.folder}: {len(stats)} texts, body F1 against the text itself {f1:.4f} "
          f"(P {precision:.4f} / R {recall:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
