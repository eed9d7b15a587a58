"""CPU of a spaCy worker's extraction, alone, for this checkout or against another one.

    python bench/worker_cpu.py CORPUS [--against OTHER_CHECKOUT] [--pairs 3] [--limit N]

Each measure is a fresh process that does what a worker of `flows/workers.py` does: it reads
and cleans the corpus's files (not timed), runs `models.nlp.start_worker`, then
`transforms.extract.extract_rows` over chunks of CHUNK articles. It prints the extraction's
CPU, and the whole process's user and system CPU, minor page faults and peak RSS.
With --against, the measures alternate between the other checkout and this one (A B A B) and
the median of the pair ratios is printed: the way to judge a change to the extraction's speed
on a machine whose speed drifts (issue 17). The venv running this script runs both.
"""
import argparse
import json
import os
from pathlib import Path
import statistics
import subprocess
import sys

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench_scale import cpu_model  # noqa: E402
CHUNK = 10   # articles per call, about what a worker gets in a chunk of CHUNK_WORDS words

MEASURE = """
import json, os, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from models.nlp import load_nlp, start_worker
from transforms.extract import extract_rows
from transforms.ingest import ingest_frames
from transforms.quote_filter import load_model
files = sorted(Path(sys.argv[2]).rglob("*.txt"))[:int(sys.argv[3]) or None]
articles, _ = ingest_frames([(p.name, p.read_bytes()) for p in files], datetime.now(timezone.utc))
start_worker()
nlp, quote_filter = load_nlp(), load_model()
ids, titles, bodies = (articles[c].to_list() for c in ("article_id", "title", "body"))
chunk, rows = int(sys.argv[4]), 0
started = time.process_time()
for i in range(0, len(ids), chunk):
    entities, quotes = extract_rows(nlp, quote_filter, ids[i:i + chunk], titles[i:i + chunk], bodies[i:i + chunk])
    rows += len(entities) + len(quotes)
cpu = time.process_time() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"articles": len(ids), "rows": rows, "extraction_cpu_s": round(cpu, 2),
                  "user_s": round(usage.ru_utime, 2), "system_s": round(usage.ru_stime, 2),
                  "page_faults": usage.ru_minflt, "peak_rss_mb": usage.ru_maxrss // 1024}))
"""


def measure(checkout: Path, corpus: Path, limit: int, chunk: int) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(checkout), str(corpus), str(limit), str(chunk)],
                          capture_output=True, text=True, env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    if done.returncode:
        raise SystemExit(f"the measure of {checkout} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--against", type=Path, help="another checkout of newspipe (e.g. a git worktree)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="the first N files only")
    parser.add_argument("--chunk", type=int, default=CHUNK, help="articles per extract_rows call")
    args = parser.parse_args()
    sides = [("other", args.against.resolve()), ("this", REPO)] if args.against else [("this", REPO)]
    print(f"host: {os.cpu_count()} CPUs ({cpu_model()})", flush=True)
    ratios = []
    for pair in range(1, args.pairs + 1):
        got = {}
        for name, checkout in sides:
            got[name] = measure(checkout, args.corpus, args.limit, args.chunk)
            print(f"pair {pair} {name:5s} {checkout}: {json.dumps(got[name])}", flush=True)
        if args.against:
            if got["this"]["rows"] != got["other"]["rows"]:
                print(f"pair {pair}: the two checkouts give {got['other']['rows']} and {got['this']['rows']} rows")
            ratios.append(got["this"]["extraction_cpu_s"] / got["other"]["extraction_cpu_s"])
            print(f"pair {pair}: this / other extraction CPU = {ratios[-1]:.3f}", flush=True)
    if ratios:
        print(f"median ratio over {len(ratios)} pairs: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
