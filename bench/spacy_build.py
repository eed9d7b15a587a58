"""How fast this environment's spaCy build runs the model: check it before moving the spaCy pin.

    python bench/spacy_build.py [RAW_DIR] [--limit 300] [--repeat 3]

RAW_DIR defaults to ../shared/data/bbc/business. Prints the versions of spaCy and thinc, the
Cython that compiled spaCy's NER transition system, and the tokens/s (process CPU, one core,
medians of --repeat, taken in turn) of the NER alone and of the full small pipeline over the
cleaned titles and bodies, with the matrices multiplied as the workers do (models/nlp.py).

Why it exists: spaCy's wheels from 3.8.8 on are compiled with Cython 3.2 or later, and in them
the transition system's `noexcept nogil` state methods (`StateC.B_` and the like) take the GIL
back at every call (perf shows `PyGILState_Ensure` under them). The parser and the NER call them
for every move at every step, with the GIL released around the loop, so a third of the NER's
time went to locking (pthread mutex lock and unlock, take_gil). On this 2-core Intel host, 300
BBC business articles: NER 9.3 s of CPU with spaCy 3.8.18 against 4.75 s with 3.8.7 (compiled
by Cython 3.1.1), the full pipeline 19.0 s against 13.6 s; the annotations are the same but for
float noise (the README's Stack section has the check). Run it with each environment's python
to compare two builds.
"""
import argparse
from datetime import datetime, timezone
from pathlib import Path
import re
import statistics
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from models.nlp import load_nlp  # noqa: E402
from transforms.extract import field_texts  # noqa: E402
from transforms.ingest import ingest_frames  # noqa: E402


def cython_of(module) -> str:
    """The Cython version a compiled module was built with (its `_cython_X_Y_Z` marker)."""
    found = re.search(rb"_cython_(\d+)_(\d+)_(\d+)", Path(module.__file__).read_bytes())
    return ".".join(x.decode() for x in found.groups()) if found else "unknown"


def cpu_seconds(run) -> float:
    started = time.process_time()
    run()
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path, nargs="?", default=REPO.parent / "shared" / "data" / "bbc" / "business")
    parser.add_argument("--limit", type=int, default=300, help="articles to use (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.raw_dir.rglob("*.txt"))[:args.limit]
    if not files:
        sys.exit(f"spacy_build: no .txt files under {args.raw_dir}")
    articles, _ = ingest_frames([(p.name, p.read_bytes()) for p in files], datetime.now(timezone.utc))
    texts = list(field_texts(articles["title"].to_list(), articles["body"].to_list()))
    import spacy
    from spacy.pipeline._parser_internals import ner
    import thinc

    nlp = load_nlp()
    words = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
    only_ner = [name for name in nlp.pipe_names if name != "ner"]
    runs = {"NER alone": lambda: list(nlp.pipe(texts, disable=only_ner)),
            "full pipeline": lambda: list(nlp.pipe(texts))}
    for run in runs.values():   # a first pass pays for the process's memory growing: not timed
        run()
    seconds = {name: [] for name in runs}
    for _ in range(args.repeat):   # in turn, so that a drift of the machine's speed hits both
        for name, run in runs.items():
            seconds[name].append(cpu_seconds(run))
    print(f"spaCy {spacy.__version__} (NER transition system compiled by Cython {cython_of(ner)}), "
          f"thinc {thinc.__version__}; {len(files)} articles, {words:,} tokens, median of {args.repeat}")
    for name, times in seconds.items():
        median = statistics.median(times)
        print(f"{name:14s}: {median:6.2f} s CPU  ({words / median:,.0f} tokens/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
