"""Crash safety and incremental re-runs on a real corpus, through the command a user types.

    python bench/crash_check.py ../shared/data/bbc [--limit 300] [--kill-after 3] [--work DIR]

1. copies the corpus (its first --limit files in path order, or all of it) to WORK/raw;
2. A: `newspipe run` from scratch, uninterrupted;
3. B: `newspipe run` SIGKILLed (with the Prefect server it started) once --kill-after extraction
   parts are staged; checks that B shows no tables; runs B again (it reuses what the killed
   run had extracted);
4. compares the tables of A and B row for row (ingested_at, the time a file was read, ignored);
5. runs B again with nothing changed;
6. appends a quoted sentence to one article (an original without copies), runs B again and
   lists, per table, the rows that differ from before: all of them must be that article's.

Timings are wall-clock seconds of the whole command, Prefect's start included; on a shared
machine they are indicative only.
"""
import argparse
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import polars as pl

REPO = Path(__file__).resolve().parent.parent
TABLES = {"articles": "article_id", "entities": "article_id", "quotes": "article_id", "rejects": "source_path"}
RUN_TIME_COLUMNS = ["ingested_at"]
# Prefect's temporary server may take longer than its default 20 s to start on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
EDIT = '\n"We will look at every one of these figures again," said Jane Smith, a spokeswoman.\n'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, help="use only the first N files (default: all)")
    parser.add_argument("--kill-after", type=int, default=3, help="extraction parts staged before the kill (default: 3)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--work", type=Path, help="working folder (default: a new temp dir, removed at the end)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newspipe-crash-"))
    raw = copy_corpus(args.corpus, work / "raw", args.limit)
    options = ["--raw-dir", str(raw), "--batch-size", str(args.batch_size)]
    print(f"corpus: {sum(1 for _ in raw.rglob('*.txt'))} files from {args.corpus}, batch size {args.batch_size}, work {work}")

    seconds, _ = newspipe(*options, "--out-dir", str(work / "A"))
    print(f"A, uninterrupted run:              {seconds:7.1f} s")

    seconds = kill_newspipe(args.kill_after, *options, "--out-dir", str(work / "B"))
    shown = [t for t in TABLES if (work / "B" / t).exists()]
    print(f"B, killed after {args.kill_after} extraction parts: {seconds:7.1f} s; tables shown after the kill: {shown or 'none'}")
    seconds, log = newspipe(*options, "--out-dir", str(work / "B"))
    print(f"B, the next run (resumed):         {seconds:7.1f} s; {last_line(log, 'reusing') or 'reused nothing'}")
    same = compare(work / "A", work / "B")
    print("A vs B: " + ", ".join(f"{t} {n} rows {'equal' if ok else 'DIFFER'}" for t, (n, ok) in same.items()))

    seconds, log = newspipe(*options, "--out-dir", str(work / "B"))
    print(f"B, nothing changed:                {seconds:7.1f} s; {last_line(log, 'nothing changed')}")

    before = read_tables(work / "B")
    edited, article_id = pick_article(before["articles"])
    with open(raw / edited, "a", encoding="utf-8") as f:
        f.write(EDIT)
    seconds, log = newspipe(*options, "--out-dir", str(work / "B"))
    print(f"B, {edited} edited:  {seconds:7.1f} s; {last_line(log, 'since run')}")
    after = read_tables(work / "B")
    clean = True
    for table, key in TABLES.items():
        differing = changed_rows(before[table], after[table])
        keys = sorted(set(differing[key]))
        ok = keys in ([], [article_id]) if key == "article_id" else keys in ([], [edited])
        clean &= ok
        print(f"  {table}: {differing.height} rows differ, all of {keys or 'no article'}{'' if ok else '  <-- OTHER ARTICLES'}")
    verdict = all(ok for _, ok in same.values()) and not shown and clean
    print("PASS" if verdict else "FAIL")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if verdict else 1


def copy_corpus(corpus: Path, raw: Path, limit: int | None) -> Path:
    files = sorted(p for p in corpus.rglob("*.txt") if p.is_file())[:limit]
    for path in files:
        target = raw / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return raw


def newspipe(*args: str) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "run", *args], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"newspipe run {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.monotonic() - started, done.stdout + done.stderr


def kill_newspipe(parts: int, *args: str) -> float:
    """Start `newspipe run` in its own process group; SIGKILL the group once `parts` extraction
    parts are staged (the group holds the temporary Prefect server the run started)."""
    out = Path(args[args.index("--out-dir") + 1])
    started = time.monotonic()
    with open(out.parent / "killed.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", *args], cwd=REPO,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while sum(1 for _ in out.glob(".staging/*/delta/entities/*.parquet")) < parts:
            if proc.poll() is not None:
                sys.exit(f"the run ended before {parts} extraction parts were staged; see {out.parent / 'killed.log'}")
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return time.monotonic() - started


def read_tables(out: Path) -> dict[str, pl.DataFrame]:
    return {t: pl.read_parquet(out / t).drop(RUN_TIME_COLUMNS, strict=False) for t in TABLES}


def compare(a: Path, b: Path) -> dict[str, tuple[int, bool]]:
    left, right = read_tables(a), read_tables(b)
    return {t: (left[t].height, left[t].equals(right[t])) for t in TABLES}


def pick_article(articles: pl.DataFrame) -> tuple[str, str]:
    """An English original with no copies, from the middle of the corpus."""
    copied = set(articles["duplicate_of"].drop_nulls())
    singles = articles.filter(pl.col("duplicate_of").is_null() & (pl.col("lang") == "en")
                              & ~pl.col("article_id").is_in(list(copied))
                              & (pl.col("content_hash").is_unique()))
    row = singles.sort("source_path").row(singles.height // 2, named=True)
    return row["source_path"], row["article_id"]


def changed_rows(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Rows in one frame and not in the other (whole rows compared by hash)."""
    old, new = before.hash_rows(), after.hash_rows()
    return pl.concat([before.filter(~old.is_in(new.implode())), after.filter(~new.is_in(old.implode()))])


def last_line(log: str, needle: str) -> str:
    lines = [line.split(" - ", 1)[-1] for line in log.splitlines() if needle in line]
    return lines[-1].strip() if lines else ""


if __name__ == "__main__":
    sys.exit(main())
