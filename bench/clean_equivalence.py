"""Does `clean_text` still do exactly what it did? A dump of everything it produces on every page
we have, written before a refactor and compared after it.

    python bench/clean_equivalence.py --write /tmp/clean_before.jsonl
    python bench/clean_equivalence.py --compare /tmp/clean_before.jsonl

Pages: ../shared/data/cleaning/{dev,train}/raw/*.txt, the seeds and BBC (each skipped when absent),
decoded with `decode_bytes` (a rejected file is skipped and counted). Each page is cleaned three
times, never with the shipped line model (it changes on its own schedule):
- `rules`: `body_model=None`, the rules alone;
- `recorded`: a body model that records every field of the PageLines it is given (every line's
  attributes, the rules' verdicts, the candidates, the block and the anchor) and decides nothing;
- `corpus`: the rules with corpus-wide line counts of all these pages (`seen_in`), so the
  repeated-line step runs too.
Every field of each CleanedText (its decisions included) and the recorded PageLines go to one JSON
line per (page, run); the sha256 of the whole dump is printed. `--compare` reports the number of
differing lines, the first few with the fields that differ, and exits 1 on any difference.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
import dataclasses
from datetime import date
import hashlib
import json
from pathlib import Path
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.clean import clean_text, counted_lines  # noqa: E402
from transforms.decode import Rejected, decode_bytes  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SOURCES = [(DATA / "cleaning" / "dev" / "raw", "*.txt"), (DATA / "cleaning" / "train" / "raw", "*.txt"),
           (DATA / "seeds", "**/*"), (DATA / "bbc", "**/*")]


def page_files() -> list[Path]:
    """Every page file of the sources that exist, in a fixed order."""
    out = []
    for folder, pattern in SOURCES:
        if folder.is_dir():
            out.extend(sorted(p for p in folder.glob(pattern) if p.is_file()))
    return out


def plain(value):
    """A JSON value holding every field of `value` (dataclasses with slots included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


class Recorder:
    """A body model that writes down what it is shown and leaves every line to the rules."""

    def __init__(self) -> None:
        self.seen: list = []

    def __call__(self, page) -> list[None]:
        self.seen.append(plain(page))
        return [None] * len(page.lines)


def corpus_counts(texts: list[str]) -> dict[int, int]:
    """How many distinct stories hold each short line, as the corpus state counts them."""
    stories = defaultdict(set)
    for text in texts:
        story, short = counted_lines(text)
        for key in short:
            stories[key].add(story)
    return {key: len(held) for key, held in stories.items()}


def dump_lines(root: Path):
    """(page, run, JSON line) for every page and run, and the number of rejected files."""
    files = page_files()
    texts = {}
    rejected = 0
    for path in files:
        try:
            texts[path] = decode_bytes(path.read_bytes()).text
        except Rejected:
            rejected += 1
    seen_in = corpus_counts(list(texts.values()))
    for path, text in texts.items():
        name = str(path.relative_to(root))
        recorder = Recorder()
        runs = {"rules": clean_text(text, body_model=None),
                "recorded": clean_text(text, body_model=recorder),
                "corpus": clean_text(text, seen_in=seen_in, body_model=None)}
        for run, cleaned in runs.items():
            record = {"page": name, "run": run, "cleaned": plain(cleaned),
                      "model_saw": recorder.seen if run == "recorded" else None}
            yield name, run, json.dumps(record, sort_keys=True, ensure_ascii=False)
    print(f"{len(texts)} pages cleaned, {rejected} files rejected by decode_bytes", file=sys.stderr)


def write(out: Path) -> str:
    digest = hashlib.sha256()
    with open(out, "w", encoding="utf-8") as f:
        for _, _, line in dump_lines(DATA):
            f.write(line + "\n")
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def differing_fields(old: dict, new: dict, prefix: str = "") -> list[str]:
    """Dotted paths of the fields that differ between two records (at most a few)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new)):
            out += differing_fields(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else key)
        return out[:5]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = []
        for i, (a, b) in enumerate(zip(old, new)):
            out += differing_fields(a, b, f"{prefix}[{i}]")
        return out[:5]
    return [] if old == new else [prefix]


def compare(before: Path) -> int:
    """Number of (page, run) records that differ from the dump in `before` (missing ones count)."""
    with open(before, encoding="utf-8") as f:
        old_lines = f.read().splitlines()
    old = {}
    for line in old_lines:
        record = json.loads(line)
        old[(record["page"], record["run"])] = line
    digest = hashlib.sha256()
    differences = compared = 0
    for page, run, line in dump_lines(DATA):
        digest.update(line.encode("utf-8") + b"\n")
        compared += 1
        previous = old.pop((page, run), None)
        if previous == line:
            continue
        differences += 1
        if differences <= 5:
            where = "missing before" if previous is None else \
                ", ".join(differing_fields(json.loads(previous), json.loads(line)))
            print(f"DIFFERS {page} [{run}]: {where}")
    differences += len(old)
    for page, run in list(old)[:5]:
        print(f"MISSING NOW {page} [{run}]")
    before_sha = hashlib.sha256("".join(x + "\n" for x in old_lines).encode("utf-8")).hexdigest()
    print(f"sha256 before {before_sha}\nsha256 now    {digest.hexdigest()}")
    print(f"{compared} records ({compared // 3} pages x 3 runs) compared, differences: {differences}")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, metavar="FILE", help="write the dump of the current code")
    action.add_argument("--compare", type=Path, metavar="FILE", help="compare the current code with a dump")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.write:
        print(f"sha256 {write(args.write)}  {args.write}")
        status = 0
    else:
        status = 1 if compare(args.compare) else 0
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
