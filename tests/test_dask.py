"""Extraction on a Dask cluster, as a user runs it: a scheduler and two workers started from the
venv's `dask` on loopback, then `newspipe run --dask-address` with the session's test Prefect
server as PREFECT_API_URL. The tables equal a local run's row for row, though the batches were
cut otherwise and went to two worker processes. A dead address, a run without a Prefect server
and workers that cannot import newspipe are refused before anything is written."""
from contextlib import ExitStack
import os
from pathlib import Path
import shutil
import subprocess
import sys
import sysconfig

import pytest

from tests.conftest import REPO, SEEDS
from tests.corpus import assert_same_tables, write_articles
from tests.processes import free_port, refused_port, started, tail, wait_for

NEWSPIPE = [sys.executable, "-m", "flows.cli"]
DASK = [str(Path(sys.executable).parent / "dask")]
ENV = {k: v for k, v in os.environ.items()
       if k not in ("NEWSPIPE_DASK_ADDRESS", "NEWSPIPE_NLP_WORKERS", "PREFECT_API_URL")} | {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false"}


def newspipe(*args, env=None):
    return subprocess.run([*NEWSPIPE, *args], cwd=REPO, env=env or ENV, capture_output=True, text=True, timeout=300)


def _workers(address: str, count: int) -> dict[str, int] | None:
    """The workers' threads once `count` workers joined the scheduler, else None."""
    import distributed

    try:
        with distributed.Client(address, timeout=5, set_as_default=False) as client:
            threads = client.nthreads()
    except OSError:
        return None
    return threads if len(threads) >= count else None


@pytest.fixture(scope="module")
def api_url(prefect_harness):
    """The session's test Prefect server, for the CLI runs and, through their tasks, the workers."""
    from prefect.settings import PREFECT_API_URL
    return PREFECT_API_URL.value()


def start_scheduler(stack: ExitStack, address: str, log: Path):
    """A `dask scheduler` on loopback at `address`, stopped when `stack` closes; returns once it answers."""
    scheduler = stack.enter_context(started(
        [*DASK, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        ENV, log, grace_seconds=5))
    wait_for("the Dask scheduler", lambda: _workers(address, 0), scheduler, log, timeout=60)
    return scheduler


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """The address of a `dask scheduler` on loopback with two one-thread workers; all three
    processes are stopped at the end of the module, whatever happened."""
    home = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    with ExitStack() as stack:
        start_scheduler(stack, address, home / "scheduler.log")
        for i in range(2):
            log = home / f"worker-{i}.log"
            worker = stack.enter_context(started(
                [*DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--local-directory", str(home / f"worker-{i}")], ENV, log, grace_seconds=5))
        wait_for("two Dask workers", lambda: _workers(address, 2), worker, log, timeout=90)
        yield address


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Fourteen articles: twelve choices of the Kazakh seed's paragraphs and both seeds."""
    raw = tmp_path_factory.mktemp("raw")
    write_articles(raw, range(12))
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, raw / seed.name)
    return raw


@pytest.mark.slow
def test_a_dask_run_gives_the_tables_of_a_local_run(dask_cluster, api_url, corpus, tmp_path, monkeypatch):
    result = newspipe("run", "--raw-dir", str(corpus), "--out-dir", str(tmp_path / "dask"), "--batch-size", "2",
                      "--dask-address", dask_cluster, env=ENV | {"PREFECT_API_URL": api_url})
    output = result.stderr + result.stdout
    assert result.returncode == 0, output[-3000:]
    # seven batches of two, and both workers took some of them
    split = next(line for line in output.splitlines() if "batches on the Dask cluster" in line)
    assert "extracted 7 batches" in split and split.count(" on tcp://127.0.0.1:") == 2, split
    assert "extract: 14/14 articles" in output

    from flows.pipeline import newspipe_run

    monkeypatch.delenv("NEWSPIPE_DASK_ADDRESS", raising=False)
    newspipe_run(raw_dir=str(corpus), out_dir=str(tmp_path / "local"), batch_size=5)   # on the local pool
    assert_same_tables(tmp_path / "dask", tmp_path / "local")


@pytest.mark.parametrize("address, reason", [
    ("tcp://127.0.0.1:{refused}", "no Dask scheduler answers at tcp://127.0.0.1:"),
    ("scheduler.example", "'scheduler.example' is not a Dask scheduler address; give it as tcp://HOST:PORT"),
])
def test_a_scheduler_that_does_not_answer_stops_the_run_before_anything_is_written(tmp_path, address, reason):
    out = tmp_path / "out"
    with refused_port() as port:
        result = newspipe("run", "--raw-dir", str(SEEDS), "--out-dir", str(out),
                          env=ENV | {"NEWSPIPE_DASK_ADDRESS": address.format(refused=port)})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr, result.stderr
    assert not out.exists()


def test_a_dask_run_without_a_prefect_server_says_how_to_share_one(dask_cluster, tmp_path):
    result = newspipe("run", "--raw-dir", str(SEEDS), "--out-dir", str(tmp_path / "out"), "--dask-address", dask_cluster)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "newspipe: a Dask run needs a Prefect server that the workers reach, for their task runs: start one "
        "(`.venv/bin/prefect server start --host 0.0.0.0`) and export PREFECT_API_URL=http://HOST:4200/api "
        '(README, "Running on a cluster")']
    assert not (tmp_path / "out").exists()


def test_the_address_option_wins_over_the_environment_and_empty_means_here(monkeypatch):
    from flows.settings import dask_address

    monkeypatch.setenv("NEWSPIPE_DASK_ADDRESS", "tcp://scheduler.example:8786")
    assert dask_address(None) == "tcp://scheduler.example:8786"
    assert dask_address(" tcp://127.0.0.1:8786 ") == "tcp://127.0.0.1:8786"
    assert dask_address("") is None
    monkeypatch.delenv("NEWSPIPE_DASK_ADDRESS")
    assert dask_address(None) is None


def test_workers_that_cannot_import_newspipe_are_refused_with_what_to_do(tmp_path, api_url):
    """A worker whose Python has Dask but not newspipe: the venv's packages without its .pth
    files (`python -S`), which are what put the checkout on the path."""
    address = f"tcp://127.0.0.1:{free_port()}"
    bare = ENV | {"PYTHONPATH": sysconfig.get_paths()["purelib"]}
    with ExitStack() as stack:
        start_scheduler(stack, address, tmp_path / "scheduler.log")
        log = tmp_path / "worker.log"
        worker = stack.enter_context(started(
            [sys.executable, "-S", "-m", "distributed.cli.dask_worker", address, "--no-nanny", "--nthreads", "1",
             "--no-dashboard", "--local-directory", str(tmp_path / "worker")], bare, log, grace_seconds=5,
            cwd=tmp_path))
        wait_for("a Dask worker", lambda: _workers(address, 1), worker, log, timeout=60)

        result = newspipe("run", "--raw-dir", str(SEEDS), "--out-dir", str(tmp_path / "out"), "--dask-address", address,
                          env=ENV | {"PREFECT_API_URL": api_url})
    assert result.returncode == 2, result.stderr[-2000:] + tail(log)
    message = result.stderr.strip()
    assert "cannot import newspipe (ModuleNotFoundError: No module named 'flows')" in message, message
    assert "start the workers from the project's venv" in message and len(message.splitlines()) == 1
    assert not (tmp_path / "out").exists()
