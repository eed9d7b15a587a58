"""`newspipe run` killed with SIGKILL mid-run leaves the published tables whole and readable,
and the next run ends with exactly the tables of a run that was never interrupted.

The killed runs are real CLI subprocesses; they use the session's test Prefect server
(PREFECT_API_URL) so that none of them pays for starting its own."""
import os
from pathlib import Path
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO
from tests.corpus import assert_same_tables, published_copy, published_then_changed, tables

pytestmark = pytest.mark.slow


def _parts(staging: Path, folder: str) -> int:
    return sum(1 for _ in staging.glob(f"{folder}/*.parquet"))


# Where to kill, as a condition on the run's staging folder: the run is inside that step when it holds.
KILL_POINTS = {
    "ingesting": lambda staging: _parts(staging, "delta/articles") >= 2,
    "extracting": lambda staging: _parts(staging, "delta/entities") >= 2,
    "validating": lambda staging: (staging / "version" / "validation").exists(),
}


@pytest.fixture(scope="module")
def api_url(prefect_harness):
    from prefect.settings import PREFECT_API_URL
    return PREFECT_API_URL.value()


@pytest.fixture(scope="module")
def run(prefect_harness):
    from flows.pipeline import newspipe_run
    return lambda raw, out: newspipe_run(raw_dir=str(raw), out_dir=str(out), batch_size=2)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, run):
    """As in test_faults, and a copy of article 1 that takes over when its original is deleted."""
    return published_then_changed(tmp_path_factory.mktemp("crash"), run, range(30, 38), copy_of_1=True)


def _staging_runs(out: Path) -> set[Path]:
    return set((out / ".staging").glob("*")) if (out / ".staging").is_dir() else set()


def kill_newspipe_at(point, raw: Path, out: Path, api_url: str, log: Path) -> None:
    """Start `newspipe run` and SIGKILL it once `point` holds for its staging folder."""
    left_before = _staging_runs(out)
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with open(log, "w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--raw-dir", str(raw),
                                 "--out-dir", str(out), "--batch-size", "2"],
                                cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    try:
        while not any(point(staging) for staging in _staging_runs(out) - left_before):
            assert proc.poll() is None, f"the run ended before the kill point:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, "the kill point was never reached"
            time.sleep(0.02)
    finally:
        children = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # its spaCy workers do not linger with the model in memory
    deadline = time.monotonic() + 15
    while (alive := [pid for pid in children if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive, f"processes of the killed run still alive: {alive}"


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_runs_killed_in_each_step_keep_the_published_tables_and_the_next_run_completes(corpora, run, api_url, tmp_path):
    out = published_copy(corpora, tmp_path / "out")
    for name, point in KILL_POINTS.items():
        kill_newspipe_at(point, corpora / "after", out, api_url, tmp_path / f"{name}.log")
        assert_same_tables(out, corpora / "published")   # whole and readable, nothing of the killed run
    state = run(corpora / "after", out)
    assert state["salvaged"] == state["extracted"] > 0    # the last killed run had extracted them all
    assert_same_tables(out, corpora / "uninterrupted")
    assert not (out / ".staging").exists() and len(list((out / ".versions").iterdir())) == 2


def test_a_killed_first_run_leaves_no_tables_and_the_next_run_completes(corpora, run, api_url, tmp_path):
    out = tmp_path / "out"
    two_parts_done = lambda staging: _parts(staging, "delta/quotes") >= 2   # noqa: E731 (quotes go last)
    kill_newspipe_at(two_parts_done, corpora / "after", out, api_url, tmp_path / "run.log")
    assert not (out / "articles").exists()
    assert run(corpora / "after", out)["salvaged"] >= 4     # two finished parts of two articles
    assert_same_tables(out, corpora / "uninterrupted")
    assert set(tables(out)) == {"articles", "entities", "quotes", "rejects"}
