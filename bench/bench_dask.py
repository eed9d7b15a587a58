"""`newspipe run` with the extraction on a Dask cluster against the local worker pool (issue 5).

    python bench/bench_dask.py [CORPUS] [--limit N] [--workers 2] [--repeat 1] [--batch-size 100]

CORPUS defaults to ../shared/data/bbc. In one session: a Prefect server (its own PREFECT_HOME,
loopback), a Dask scheduler and one `dask worker --nworkers WORKERS --nthreads 1` from this venv,
all on loopback; then, --repeat times, `newspipe run` into a fresh OUT on this machine's pool
and with `--dask-address`, both against that Prefect server (so neither pays for a temporary
server). Prints each run's seconds and phases, the medians and their ratio, whether the tables
are equal row for row, the peak RSS of each Dask worker process (the model it keeps), and what
travelled: the pickled texts of a batch and the pickled rows that came back. The first Dask run
includes the workers' model load; later ones find it loaded. On a shared machine the timings
are indicative only; with the workers on the same cores as `newspipe run`, the Dask run shows
the cost of the cluster, not its gain (that needs more machines).
"""
import argparse
from contextlib import ExitStack, contextmanager
import os
from pathlib import Path
import pickle
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import REPO, copy_corpus, newspipe, timed  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=REPO.parent / "shared" / "data" / "bbc")
    parser.add_argument("--limit", type=int, help="use the first N files only")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="Dask worker processes")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--work-dir", type=Path, help="where the copy, OUTs and logs go (default: a temp dir, removed)")
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="newspipe-dask-"))
    work.mkdir(parents=True, exist_ok=True)
    raw = copy_corpus(args.corpus, work / "raw", args.limit)
    print(f"corpus: {sum(1 for _ in raw.rglob('*.txt'))} files from {args.corpus}; {args.workers} Dask workers "
          f"x 1 thread; batch size {args.batch_size}; {len(os.sched_getaffinity(0))} CPUs", flush=True)
    try:
        with ExitStack() as stack:
            api = stack.enter_context(prefect_server(work))
            scheduler = stack.enter_context(dask_cluster(work, args.workers))
            env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
            env.pop("NEWSPIPE_DASK_ADDRESS", None)
            seconds = {"local": [], "dask": []}
            for i in range(args.repeat):
                for how in ("local", "dask"):
                    out = work / f"out-{how}-{i}"
                    shutil.rmtree(out, ignore_errors=True)
                    extra = ["--dask-address", scheduler] if how == "dask" else []
                    print(f"{how} run {i + 1}:", flush=True)
                    seconds[how].append(timed([*newspipe(raw, out), "--batch-size", str(args.batch_size), *extra],
                                              env).seconds)
            local, dask = (statistics.median(seconds[h]) for h in ("local", "dask"))
            print(f"median: local {local:.1f} s, dask {dask:.1f} s, dask/local {dask / local:.2f}")
            print(f"tables equal row for row: {same_tables(work / 'out-local-0', work / 'out-dask-0')}")
            print("Dask worker peak RSS: " + ", ".join(f"{m / 2**20:,.0f} MB" for m in worker_peaks(scheduler)))
            print(wire(work / "out-dask-0", args.batch_size))
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def same_tables(a: Path, b: Path) -> bool:
    import polars as pl

    return all(pl.read_parquet(a / t).drop("ingested_at", strict=False).equals(
               pl.read_parquet(b / t).drop("ingested_at", strict=False)) for t in ("articles", "entities", "quotes", "rejects"))


def wire(out: Path, batch_size: int) -> str:
    """What a task carried and brought back, per batch (pickled as Dask sends it), from the tables."""
    import polars as pl

    articles = pl.read_parquet(out / "articles").filter(pl.col("duplicate_of").is_null() & (pl.col("lang") == "en"))
    entities, quotes = pl.read_parquet(out / "entities"), pl.read_parquet(out / "quotes")
    sent, back = [], []
    for start in range(0, articles.height, batch_size):
        batch = articles.slice(start, batch_size)
        ids = batch["article_id"].implode()
        sent.append(len(pickle.dumps(batch.select("article_id", "title", "body"))))
        back.append(len(pickle.dumps((entities.filter(pl.col("article_id").is_in(ids)),
                                      quotes.filter(pl.col("article_id").is_in(ids))))))
    return (f"travelled per batch of {batch_size} (median): texts {statistics.median(sent) / 1024:,.0f} KB out, "
            f"rows {statistics.median(back) / 1024:,.0f} KB back; whole run {sum(sent) / 2**20:,.1f} MB out, "
            f"{sum(back) / 2**20:,.1f} MB back")


def worker_peaks(address: str) -> list[int]:
    """VmHWM (peak RSS) of each Dask worker process."""
    import distributed

    with distributed.Client(address, timeout=10, set_as_default=False) as client:
        def peak() -> int:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
            return 0
        return sorted(client.run(peak).values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _background(cmd: list[str], log: Path, env: dict):
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _wait(what: str, ready, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"bench_dask: {what} did not start; see {log}")
        time.sleep(0.5)


@contextmanager
def prefect_server(work: Path):
    import httpx

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
        "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = work / "prefect-server.log"
    with _background([str(VENV_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
                      "--no-ui"], log, env) as proc:
        def healthy() -> bool:
            try:
                return httpx.get(f"{api}/health", timeout=2).is_success
            except httpx.HTTPError:
                return False
        _wait("the Prefect server", healthy, proc, log)
        yield api


@contextmanager
def dask_cluster(work: Path, workers: int):
    import distributed

    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    with ExitStack() as stack:
        log = work / "dask-scheduler.log"
        proc = stack.enter_context(_background([str(VENV_BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                                address.rsplit(":", 1)[1], "--no-dashboard"], log, env))
        _wait("the Dask scheduler", lambda: _answers(address), proc, log)
        log = work / "dask-workers.log"
        proc = stack.enter_context(_background([str(VENV_BIN / "dask"), "worker", address, "--nworkers", str(workers),
                                                "--nthreads", "1", "--no-dashboard", "--local-directory",
                                                str(work / "dask-workers")], log, env))
        with distributed.Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address


def _answers(address: str) -> bool:
    host, port = address.removeprefix("tcp://").rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
