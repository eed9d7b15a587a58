"""Which change made each row differ? `bench/history_tables.py run|compare --work DIR [--corpus NAME ...]`

The issue 16 acceptance asks that the four tables be equal row for row before and after the
refactor, except the rows the two bug fixes change. Other changes landed in between (the line
model, metadata in eight languages, pycountry countries), so comparing the first and last commit
mixes intended changes with the refactor. This script runs `newspipe run` at every checkpoint of
CHECKPOINTS (a commit where one named change ends) and compares consecutive checkpoints, so
every row that differs between the first and the last one is attributed to the segments where
it changed; a refactor segment must change none.

`run` checks each checkpoint out in a worktree (--worktree, default DIR/wt, detached, made here), runs it
with this venv's Python from the worktree with PYTHONPATH set to it (it prints which files the
imports came from, and stops if they are not the worktree's) into DIR/out/<commit>/<corpus>;
a finished output is not run again. `compare` reads them with tables_equal.read_table on the
columns every checkpoint has (attributed_by and lines_dropped_by are new columns, reported as
such), prints a table per segment and the before/after table with each differing row's
segments, and writes every differing key to DIR/differences.jsonl for reading by hand.

    python bench/history_tables.py run --work /work/tmp16/hist --worktree /work/wt16a [--corpus bbc --commit 74728e3]
    python bench/history_tables.py compare --work /work/tmp16/hist     # exit 1 when a refactor segment changed a row

Measured (a0ca6b6 -> 5210bf4; all checkpoints on PolNeAR dev and cleaning dev; BBC at a0ca6b6,
52a16af, a569ef2, 494269c, 74728e3, 5210bf4): no refactor segment changed a row; the OSCE fix
and the eight-language metadata changed none on these corpora; BBC differs in 25 entity rows and
1 quote row, all from the pycountry countries (240c9d0: "News" no longer NORP, Gibraltar and
Isle of Man LOC -> GPE, Bermuda PERSON -> GPE); PolNeAR dev in 1 article (the line models) and
3 entity rows (DPRK ORG -> GPE by 240c9d0, one by the line model); cleaning dev in 44 articles,
739 entity and 398 quote rows, all from the three line-model commits but 2 ("News", 240c9d0).
"""
import argparse
from collections import Counter
import json
import os
from pathlib import Path
import subprocess
import sys

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables_equal import KEYS, read_table  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
CORPORA = {"polnear-dev": SHARED / "polnear" / "dev" / "raw",
           "cleaning-dev": SHARED / "cleaning" / "dev" / "raw",
           "bbc": SHARED / "bbc"}
# (commit, the change that ends there, is it a refactor that must change no row)
CHECKPOINTS = [
    ("a0ca6b6", "before the refactor", None),
    ("52a16af", "quotes and clean as packages (27413ca, 015a330, 52a16af)", True),
    ("a569ef2", "OSCE possessive fix (a569ef2)", False),
    ("e8b19b8", "models/ loader, typed run state, table store (4729348, e0e2862)", True),
    ("911ddce", "metadata in eight languages (911ddce)", False),
    ("7a2d5cc", "line model retrained with context features (7a2d5cc)", False),
    ("8a92e6d", "attribute_match, people.toml, line-model tidying, faults (d95da8a..8a92e6d)", True),
    ("2277ac4", "lines_dropped_by column, verify (6f1e800, 2277ac4)", True),
    ("494269c", "line model: time stamps, expected-score decoding (494269c)", False),
    ("74728e3", "run report, serve, countries from pycountry (5fb245c..74728e3, 240c9d0)", False),
    ("5601c41", "line model: run after the headline, p >= 0.3 (5601c41)", False),
    ("5210bf4", "line features computed once (5210bf4)", True),
]


def run(work: Path, worktree: Path, corpora: list[str], commits: list[str]) -> None:
    if not worktree.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(worktree), CHECKPOINTS[0][0]], check=True)
    for commit, change, _ in CHECKPOINTS:
        if commits and commit not in commits:
            continue
        todo = [c for c in corpora if not (work / "out" / commit / c / "_state" / "last_run.json").exists()]
        if not todo:
            continue
        subprocess.run(["git", "-C", str(worktree), "checkout", "--quiet", "--detach", commit], check=True)
        env = {**os.environ, "PYTHONPATH": str(worktree)}
        where = subprocess.run([sys.executable, "-c", "import flows.cli, transforms; print(flows.cli.__file__, transforms.__file__)"],
                               cwd=worktree, env=env, capture_output=True, text=True, check=True).stdout.split()
        if not all(path.startswith(str(worktree.resolve())) for path in where):
            raise SystemExit(f"{commit}: the code comes from {where}, not from {worktree}")
        for corpus in todo:
            out = work / "out" / commit / corpus
            print(f"{commit} ({change}) {corpus}: code from {where[0]}", flush=True)
            done = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(CORPORA[corpus]),
                                   "--out-dir", str(out)], cwd=worktree, env=env, capture_output=True, text=True)
            (work / "out" / commit / f"{corpus}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
            if done.returncode != 0:
                raise SystemExit(f"{commit} {corpus}: exit {done.returncode}, see {work / 'out' / commit}/{corpus}.log")


def segments(work: Path, corpus: str) -> list[tuple[str, str, bool]]:
    """The checkpoints run on this corpus as (name, changes since the one before, all of them
    refactors?); a segment over checkpoints not run on the corpus is named FIRST..LAST."""
    done = [i for i, (commit, _, _) in enumerate(CHECKPOINTS)
            if (work / "out" / commit / corpus / "_state" / "last_run.json").exists()]
    points = [(CHECKPOINTS[i][0], CHECKPOINTS[i][1], True) for i in done[:1]]
    for i, j in zip(done, done[1:]):
        covered = CHECKPOINTS[i + 1:j + 1]
        name = covered[0][0] if len(covered) == 1 else f"{covered[0][0]}..{covered[-1][0]}"
        points.append((name, "; ".join(c[1] for c in covered), all(c[2] for c in covered)))
    return points


def load(work: Path, corpus: str, table: str, points: list[str]) -> tuple[list[dict], dict[str, list[str]]]:
    """Per checkpoint, key -> row of the columns all of them have; the columns added where."""
    frames = [read_table(work / "out" / commit.split("..")[-1] / corpus, table) for commit in points]
    common = [c for c in frames[-1].columns if all(c in f.columns for f in frames)]
    added = {commit: [c for c in frame.columns if c not in previous.columns]
             for commit, previous, frame in zip(points[1:], frames, frames[1:])}
    keys = KEYS[table]
    rows = [{tuple(r[k] for k in keys): r for r in f.select(common).iter_rows(named=True)} for f in frames]
    return rows, {c: cols for c, cols in added.items() if cols}


def changed(a: dict, b: dict) -> set:
    """Keys on one side only, or with a value that differs."""
    return {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def compare(work: Path, corpora: list[str]) -> int:
    records, summary, unexplained = [], [], 0
    for corpus in corpora:
        points = segments(work, corpus)
        print(f"{corpus}: segments")
        for commit, change, refactor in points[1:]:
            print(f"  {commit}: {change}" + (" (refactor)" if refactor else ""))
        for table in KEYS:
            rows, added = load(work, corpus, table, [p[0] for p in points])
            by_segment = [changed(a, b) for a, b in zip(rows, rows[1:])]
            for (commit, change, refactor), keys in zip(points[1:], by_segment):
                if keys or added.get(commit):
                    print(f"{corpus} {table} {commit} ({'refactor' if refactor else 'intended changes'}): {len(keys)} rows changed"
                          + (f"; new columns {added[commit]}" if added.get(commit) else ""))
                if refactor and keys:
                    unexplained += len(keys)
            first, last = rows[0], rows[-1]
            differing = changed(first, last)
            blame = Counter()
            for key in differing:
                where = [commit for (commit, _, _), keys in zip(points[1:], by_segment) if key in keys]
                blame[" + ".join(where)] += 1
                records.append({"corpus": corpus, "table": table, "key": [str(k) for k in key], "segments": where,
                                "before": _show(first.get(key)), "after": _show(last.get(key))})
            union = len(first.keys() | last.keys())
            summary.append((corpus, table, union - len(differing), len(differing),
                            ", ".join(f"{n} {s}" for s, n in blame.most_common()) or "-"))
    print("\n| corpus | table | rows equal | rows differing | differing rows by the segments that changed them |")
    print("| --- | --- | --- | --- | --- |")
    for line in summary:
        print("| " + " | ".join(str(x) for x in line) + " |")
    with open(work / "differences.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
    print(f"\n{len(records)} differing rows written to {work / 'differences.jsonl'}; "
          f"{unexplained} row changes fall in refactor segments")
    return 1 if unexplained else 0


def _show(row: dict | None) -> dict | None:
    return None if row is None else {k: (v[:300] if isinstance(v, str) else v) for k, v in row.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["run", "compare"])
    parser.add_argument("--work", type=Path, required=True, help="worktree, outputs and differences go here")
    parser.add_argument("--corpus", action="append", choices=list(CORPORA), help="default: all three")
    parser.add_argument("--worktree", type=Path, help="the worktree to check checkpoints out in (default WORK/wt)")
    parser.add_argument("--commit", action="append", default=[], help="run only these checkpoints")
    args = parser.parse_args()
    corpora = args.corpus or list(CORPORA)
    if args.action == "run":
        run(args.work, args.worktree or args.work / "wt", corpora, args.commit)
        return 0
    return compare(args.work, corpora)


if __name__ == "__main__":
    sys.exit(main())
