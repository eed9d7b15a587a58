"""Whether a change to the extraction changed any row: entities and quotes, every column.

    python bench/quotes_equivalence.py --write /tmp/quotes-before.jsonl    # on the old code
    python bench/quotes_equivalence.py --compare /tmp/quotes-before.jsonl  # on the new code

Runs `transforms.extract.extract_article` (what a pipeline run calls per article) over PolNeAR
dev and train and the seeds, on Docs parsed once and cached by bench/parsed.py, and writes
every entity and quote row (one JSON line each) or compares them with a file written before:
rows added, dropped or changed, by table, with examples. A column only one side has (a new
provenance column, say) is listed by name and otherwise left out of the comparison.
"""
import argparse
from collections import defaultdict
import json
from pathlib import Path
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.parsed import cache_digest, parsed_articles  # noqa: E402
from transforms.extract import extract_article  # noqa: E402
from transforms.quote_filter import load_model  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETS = {"polnear-dev": DATA / "polnear" / "dev", "polnear-train": DATA / "polnear" / "train", "seeds": DATA / "seeds"}


def current_rows(sets: dict[str, Path]) -> tuple[list[dict], dict]:
    """Every entity and quote row of the sets, tagged with set and table, and what was read."""
    out, header = [], {"articles": {}, "inputs": {}}
    for name, folder in sets.items():
        articles = parsed_articles(folder)
        header["articles"][name] = len(articles)
        header["inputs"][name] = cache_digest(folder)
        for article in articles:
            entities, quotes = extract_article(article.article_id, article.title, article.body, load_model())
            out.extend({"set": name, "table": "entities", **row} for row in entities)
            out.extend({"set": name, "table": "quotes", **row} for row in quotes)
    return out, header


def compare(before: list[dict], after: list[dict], show: int) -> int:
    """Print the differences, table by table; the number of rows that differ."""
    only_before = sorted({k for r in before for k in r} - {k for r in after for k in r})
    only_after = sorted({k for r in after for k in r} - {k for r in before for k in r})
    if only_before or only_after:
        print(f"columns only before: {only_before or '-'}; only after: {only_after or '-'} (not compared)")
    common = lambda r: json.dumps({k: v for k, v in r.items() if k not in only_after and k not in only_before},  # noqa: E731
                                  sort_keys=True)
    differing = 0
    for table in ("entities", "quotes"):
        old = _by_article(before, table, common)
        new = _by_article(after, table, common)
        changed = [key for key in sorted(old.keys() | new.keys()) if old.get(key) != new.get(key)]
        gone = sum(len(set(old.get(k, [])) - set(new.get(k, []))) for k in changed)
        came = sum(len(set(new.get(k, [])) - set(old.get(k, []))) for k in changed)
        differing += max(gone, came)
        print(f"{table}: {sum(map(len, old.values()))} rows before, {sum(map(len, new.values()))} after; "
              f"{len(changed)} articles differ: {gone} rows only before (-), {came} only after (+)")
        for key in changed[:show]:
            for row in sorted(set(old.get(key, [])) - set(new.get(key, []))):
                print(f"  - {row[:300]}")
            for row in sorted(set(new.get(key, [])) - set(old.get(key, []))):
                print(f"  + {row[:300]}")
    return differing


def _by_article(rows: list[dict], table: str, dump) -> dict[tuple, list[str]]:
    grouped = defaultdict(list)
    for row in rows:
        if row["table"] == table:
            grouped[(row["set"], row["article_id"])].append(dump(row))
    return grouped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, metavar="FILE", help="write the rows of the current code")
    mode.add_argument("--compare", type=Path, metavar="FILE", help="compare the current rows with FILE")
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    parser.add_argument("--show", type=int, default=5, help="articles shown per table with differences")
    args = parser.parse_args()
    sets = {name: SETS[name] for name in args.sets.split(",")}
    started = time.monotonic()
    rows, header = current_rows(sets)
    print(f"extracted {sum(header['articles'].values())} articles {header['articles']} "
          f"in {time.monotonic() - started:.0f}s")
    if args.write:
        with args.write.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"header": header}) + "\n")
            f.writelines(json.dumps(row, sort_keys=True) + "\n" for row in rows)
        print(f"wrote {len(rows)} rows to {args.write}")
        return 0
    lines = args.compare.read_text(encoding="utf-8").splitlines()
    before_header = json.loads(lines[0])["header"]
    if any(before_header["inputs"].get(name) != digest for name, digest in header["inputs"].items()):
        sys.exit(f"the cached Docs differ from the ones {args.compare} was written from: not comparable")
    wanted = set(sets)
    before = [r for r in map(json.loads, lines[1:]) if r["set"] in wanted]
    differing = compare(before, rows, args.show)
    print("identical" if differing == 0 else "different")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
