"""Run `newspipe run` on a gold folder and print the shared scorer's figures.

    python bench/evaluate.py quotes   ../shared/data/polnear/dev
    python bench/evaluate.py cleaning ../shared/data/cleaning/dev
    python bench/evaluate.py entities ../shared/data/conll2003/dev [--out-dir /tmp/x] [--reuse]

The scorers live beside the project in ../shared/eval (never imported by the product).
"""
import argparse
from pathlib import Path
import subprocess
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
SCORERS = REPO.parent / "shared" / "eval"
KINDS = {"quotes": "score_quotes.py", "cleaning": "score_cleaning.py", "entities": "score_entities.py"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--out-dir", type=Path, help="keep the pipeline output here (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="score an existing --out-dir without running")
    args = parser.parse_args()
    scorer = SCORERS / KINDS[args.kind]
    if not scorer.exists():
        sys.exit(f"evaluate: scorer {scorer} not found; it lives in ../shared/eval beside the checkout")
    out = args.out_dir or Path(tempfile.mkdtemp(prefix=f"newspipe-eval-{args.kind}-"))
    if not args.reuse:
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(args.gold_dir / "raw"),
                              "--out-dir", str(out)], cwd=REPO, capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr[-3000:])
            return run.returncode
        print(f"newspipe run: {time.monotonic() - started:.1f}s, output in {out}")
    return subprocess.run([sys.executable, str(scorer), str(args.gold_dir), str(out)]).returncode


if __name__ == "__main__":
    sys.exit(main())
