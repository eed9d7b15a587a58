"""Corpus-wide cleaning on a folder of raw texts, in process (no Prefect): the time of each
ingest step, the lines the corpus counts make boilerplate, and the exact and near copies with
examples to check by eye.

    python bench/corpus_report.py ../shared/data/bbc [--pairs-from 0.5] [--examples 8]
    python bench/corpus_report.py ../shared/data/bbc --old   # the ingest as one step, no corpus counts

Figures on a shared machine are indicative; compare steps measured in the same session.
"""
import argparse
from collections import Counter
from datetime import datetime, timezone
import difflib
from pathlib import Path
import sys
import time

import polars as pl

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms import corpus_lines, duplicates, ingest  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pairs-from", type=float, default=0.5,
                        help="list the similarity of candidate pairs from this estimate up (default: %(default)s)")
    parser.add_argument("--examples", type=int, default=8, help="near pairs shown with their differences")
    parser.add_argument("--old", action="store_true", help="time decode+clean per file without corpus counts only")
    args = parser.parse_args()
    paths = sorted(p for p in args.corpus.rglob("*.txt") if p.is_file())
    items = [(p.relative_to(args.corpus).as_posix(), p.read_bytes()) for p in paths]
    now = datetime.now(timezone.utc)
    print(f"{len(items)} files from {args.corpus}")
    if args.old:
        t0 = time.perf_counter()
        articles, rejects = ingest.ingest_frames(items, now)
        print(f"decode+clean (no corpus counts): {time.perf_counter() - t0:.2f}s, {articles.height} articles")
        return 0

    timings = {}
    t0 = time.perf_counter()
    texts, rejects = ingest.decode_frames(items)
    timings["decode"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    scanned = corpus_lines.scanned_frame([row for path, text in zip(texts["source_path"], texts["text"])
                                          for row in corpus_lines.scan_rows(path, text)])
    frequent = corpus_lines.frequent_lines(scanned, scanned)
    timings["count lines"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    articles, more_rejects = ingest.clean_frames(texts, now, corpus_lines.seen_in(frequent))
    timings["clean"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    signatures = duplicates.signatures_frame(articles)
    timings["signatures"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    wide = duplicates.near_pairs(signatures, signatures.clear(), min_similarity=args.pairs_from)
    pairs = wide.filter(pl.col("similarity") >= duplicates.NEAR_SIMILARITY)
    copies = duplicates.duplicate_map(articles, pairs)
    timings["near pairs + copies"] = time.perf_counter() - t0
    print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
          + f"; total {sum(timings.values()):.2f}s")
    print(f"articles {articles.height}, rejects {rejects.height + more_rejects.height}; "
          f"{scanned['line_key'].n_unique()} distinct short lines, {frequent.height} in "
          f"{corpus_lines.REPEAT_MIN_ARTICLES}+ stories")
    for line, n in frequent.sort("articles", descending=True).head(15).select("line", "articles").iter_rows():
        print(f"  {n:>5}  {line[:80]}")
    kinds = Counter(copies["duplicate_kind"].to_list())
    print(f"copies: exact {kinds.get('exact', 0)}, near {kinds.get('near', 0)} "
          f"(near: estimated similarity >= {duplicates.NEAR_SIMILARITY})")
    edges = [0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
    hist = [wide.filter((pl.col("similarity") >= lo) & (pl.col("similarity") < hi)).height
            for lo, hi in zip(edges, edges[1:])]
    print("candidate pairs of distinct bodies by estimated similarity: "
          + ", ".join(f"[{lo:.1f},{min(hi, 1):.1f}) {n}" for lo, hi, n in zip(edges, edges[1:], hist)))
    body = dict(zip(articles["content_hash"], articles["body"]))
    path = dict(zip(articles["content_hash"], articles["source_path"]))
    shown = wide.sort("similarity").to_dicts()
    step = max(1, len(shown) // max(1, args.examples))
    for pair in shown[::step][:args.examples]:
        a, b = body[pair["content_hash"]], body[pair["other_hash"]]
        exact = _jaccard(a, b)
        print(f"\n--- {path[pair['content_hash']]} ~ {path[pair['other_hash']]}: estimated {pair['similarity']:.2f}, "
              f"exact Jaccard {exact:.2f}")
        for line in _differences(a, b)[:6]:
            print("   " + line[:160])
    return 0


def _jaccard(a: str, b: str) -> float:
    sa, sb = (set(map(int, duplicates.shingles(x))) for x in (a, b))
    return len(sa & sb) / len(sa | sb)


def _differences(a: str, b: str) -> list[str]:
    pa, pb = a.split("\n\n"), b.split("\n\n")
    return [d for d in difflib.unified_diff(pa, pb, lineterm="", n=0) if d[:1] in "+-" and d[:3] not in ("+++", "---")]


if __name__ == "__main__":
    sys.exit(main())
