"""How fast the cleaner reads page text, on one core: rules alone against rules + line model.

    python bench/cleaning_speed.py ../shared/data/cleaning/dev/raw ../shared/data/bbc [--pairs 3]

Each folder's *.txt files are decoded once, then cleaned in turn with the rules alone (A) and with
the shipped line model (B), A B A B ..., several pairs; it prints the median MB/s of page text
(UTF-8 bytes) per configuration and the median ratio B/A. Process CPU time, not wall time, so a
busy neighbour on the other core costs little.
"""
import argparse
from pathlib import Path
import statistics
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.clean import line_model  # noqa: E402
from transforms.clean import clean_text  # noqa: E402
from transforms.decode import Rejected, decode_bytes  # noqa: E402


def texts_of(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.rglob("*.txt")):
        try:
            out.append(decode_bytes(path.read_bytes()).text)
        except Rejected:
            pass
    return out


def mb_per_cpu_second(texts: list[str], model) -> float:
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    started = time.process_time()
    for text in texts:
        clean_text(text, body_model=model)
    return size / (time.process_time() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    model = line_model.shipped()
    for folder in args.folders:
        texts = texts_of(folder)
        mb_per_cpu_second(texts[:20], model)            # warm-up: the model file, stop-word lists
        rules, learned = [], []
        for _ in range(args.pairs):
            rules.append(mb_per_cpu_second(texts, None))
            learned.append(mb_per_cpu_second(texts, model))
        ratio = statistics.median(b / a for a, b in zip(rules, learned))
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        print(f"{folder}: {len(texts)} texts, {size:.1f} MB; rules {statistics.median(rules):.2f} MB/s, "
              f"rules + line model {statistics.median(learned):.2f} MB/s (CPU, one core); ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
