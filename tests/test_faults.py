"""Faults from outside the code: what the product does when its surroundings fail.

Each fault is injected into a real run (a full disk, a damaged version, raw files that change
while they are read, a Prefect server that goes away, a second `serve`); after it, the next
clean run must give exactly the tables of a run that never met the fault."""
from datetime import datetime, timezone
import errno
import fcntl
import os
from pathlib import Path
import shutil
import subprocess
import sys
import threading
import time
import warnings

import pytest

from flows import store
from flows.cli import EXIT_PIPE_CLOSED
from tests.conftest import REPO
from tests.corpus import article_text, assert_same_tables, published_copy, published_then_changed

POLL_SECONDS = 0.02


@pytest.fixture(scope="module")
def run(prefect_harness):
    from flows.pipeline import newspipe_run
    return lambda raw, out, **options: newspipe_run(raw_dir=str(raw), out_dir=str(out), batch_size=2, **options)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, run):
    """The corpus before and after a change, with the published and the uninterrupted tables."""
    return published_then_changed(tmp_path_factory.mktemp("faults"), run, range(30, 36))


def wait_until(what: str, condition, timeout: float = 120):
    """Poll `condition` until it returns something true; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what}: not after {timeout:.0f} s"
        time.sleep(POLL_SECONDS)
    return found


def extracted_parts(out: Path) -> int:
    """Batches the run in progress in OUT has finished extracting."""
    return sum(1 for _ in out.glob(f"{store.STAGING}/*/delta/quotes/part-*.parquet"))


# --- a full disk -------------------------------------------------------------------------------

class SmallDisk:
    """A 48 MB tmpfs mounted for the test, filled on demand: the run meets a real ENOSPC. Where
    this machine cannot mount (not root, no CAP_SYS_ADMIN), `fill` switches on a seam instead:
    every Parquet write raises ENOSPC, as a full disk would."""

    def __init__(self, root: Path, monkeypatch):
        self.root, self.monkeypatch, self.full = root, monkeypatch, threading.Event()
        root.mkdir()
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(root)],
                                 capture_output=True, text=True)
        self.real = mounted.returncode == 0
        self.how = ("a 48 MB tmpfs, really filled" if self.real else
                    f"the ENOSPC seam (mount failed: {mounted.stderr.strip() or mounted.returncode})")
        if not self.real:
            warnings.warn(f"disk-full test ran through {self.how}")

    def fill(self) -> None:
        if self.real:
            with open(self.root / "ballast", "wb", buffering=0) as ballast:
                for size in (1 << 20, 4096, 1):
                    try:
                        while ballast.write(b"\0" * size):
                            pass
                    except OSError as err:
                        assert err.errno == errno.ENOSPC, err
        else:
            import pyarrow.parquet as pq

            def no_space(*args, **kwargs):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.monkeypatch.setattr(pq, "write_table", no_space)
        self.full.set()

    def make_room(self) -> None:
        if self.real:
            (self.root / "ballast").unlink()
        else:
            self.monkeypatch.undo()

    def unmount(self) -> None:
        if self.real:
            subprocess.run(["umount", "-l", str(self.root)], check=True)


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    disk = SmallDisk(tmp_path / "disk", monkeypatch)
    yield disk
    disk.unmount()


def test_a_full_disk_publishes_nothing_removes_the_staging_and_says_where_and_how_much(corpora, run, small_disk):
    out = published_copy(corpora, small_disk.root / "out")
    filler = threading.Thread(target=lambda: (wait_until("an extracted batch", lambda: extracted_parts(out)),
                                              small_disk.fill()), daemon=True)
    filler.start()
    with pytest.raises(Exception) as failed:
        run(corpora / "after", out)
    filler.join(timeout=60)
    print(f"disk full through {small_disk.how}: {failed.value!r}")
    assert_same_tables(out, corpora / "published")                  # the published version is whole
    assert not (out / store.STAGING).exists()                      # the staging went at once
    assert type(failed.value).__name__ == "DiskFull"
    message = str(failed.value)
    assert str(out) in message and "No space left on device" in message
    assert "MB free" in message and "needed more than" in message and "--out-dir" in message
    assert len(list((out / store.VERSIONS).iterdir())) == 1

    small_disk.make_room()
    run(corpora / "after", out)
    assert_same_tables(out, corpora / "uninterrupted")



# --- a damaged version ---------------------------------------------------------------------------

NEWSPIPE = [sys.executable, "-m", "flows.cli"]


def newspipe(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*NEWSPIPE, *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})


def flip_a_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[64] ^= 0x10                # in the first column chunk: the footer still reads
    path.write_bytes(bytes(data))


def cut_the_end(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-100])


def first_part(out: Path, table: str) -> Path:
    return sorted((out / table).glob("*.parquet"))[0]


def test_a_damaged_version_is_named_and_rebuilt_from_the_raw_files_never_carried(corpora, run, tmp_path):
    out = published_copy(corpora, tmp_path / "out")
    damaged = [first_part(out, "quotes"), first_part(out, "entities"), out / "_state" / "manifest.parquet"]
    flip_a_bit(damaged[0])
    cut_the_end(damaged[1])
    flip_a_bit(damaged[2])
    state = run(corpora / "before", out)            # the raw files did not change: only the damage is new
    named = [f"current/{p.parent.name}/{p.name}" for p in damaged]
    assert state["full_reason"].startswith("the published version is damaged"), state["full_reason"]
    assert all(name in state["full_reason"] for name in named), state["full_reason"]
    assert_same_tables(out, corpora / "published")
    assert newspipe("verify", "--out-dir", out).returncode == 0


def test_a_damaged_report_is_written_anew_and_the_tables_carried_on(corpora, run, tmp_path):
    out = published_copy(corpora, tmp_path / "out")
    (out / "validation" / "index.html").write_text("edited by hand")
    state = run(corpora / "before", out)            # nothing changed but the report
    assert state["full_reason"] is None and state["extracted"] == 0 and state["parts_rewritten"] == 0
    assert "edited by hand" not in (out / "validation" / "index.html").read_text()
    assert newspipe("verify", "--out-dir", out).returncode == 0
    assert_same_tables(out, corpora / "published")


def test_verify_lists_every_damaged_file_and_says_nothing_of_a_whole_version(corpora, tmp_path):
    out = published_copy(corpora, tmp_path / "out")
    whole = newspipe("verify", "--out-dir", out)
    assert (whole.returncode, whole.stdout, whole.stderr) == (0, "", "")

    flip_a_bit(first_part(out, "articles"))
    cut_the_end(first_part(out, "entities"))
    first_part(out, "quotes").unlink()
    (out / "_state" / "last_run.json").write_text("{ not json")
    shutil.copy(first_part(out, "rejects"), out / "rejects" / "part-00009-added.parquet")
    found = newspipe("verify", "--out-dir", out)
    assert found.returncode == 1, found.stderr
    named = [line.split(": ", 1)[0] for line in found.stdout.splitlines()]
    assert named == sorted(named) and len(named) == 5, found.stdout
    assert all(name.startswith(f"{out}/current/") for name in named)
    assert [Path(name).parent.name for name in named] == ["_state", "articles", "entities", "quotes", "rejects"]
    assert "5 damaged files" in found.stderr and "rebuilds the tables from the raw files" in found.stderr

    checksums = out / "_state" / "checksums.json"
    checksums.write_text(checksums.read_text().replace('"bytes": ', '"bytes": 1', 1))
    edited = newspipe("verify", "--out-dir", out)
    assert edited.returncode == 1 and f"{out}/current/_state/checksums.json: not as it was written" in edited.stdout



# --- raw files that change while the run reads them -----------------------------------------------

def sha256(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def test_raw_files_changed_during_the_run_are_recorded_as_read_and_deleted_ones_leave_nothing(
        corpora, run, tmp_path, monkeypatch):
    """A feed writer at work while the run reads: `rewritten` is rewritten after the run compared it
    with the manifest and before it reads it, `later` right after it is read, `deleted` is deleted
    before it is read. At the end the raw folder is corpus `after`, and the next run must give the
    tables of an uninterrupted run on it."""
    import polars as pl

    out, raw = published_copy(corpora, tmp_path / "out"), tmp_path / "raw"
    shutil.copytree(corpora / "after", raw)
    rewritten, later, deleted = "0/report-003.txt", "2/report-005.txt", "1/report-001.txt"
    final = {path: (raw / path).read_bytes() for path in (rewritten, later)}
    for path in (rewritten, later):
        (raw / path).write_bytes(final[path] + b"\nA line the feed writer is about to replace.\n")
    read_now = {later: (raw / later).read_bytes()}
    (raw / deleted).write_text(article_text(1) + "\nA line that makes it a changed file.\n", encoding="utf-8")
    read_raw_files = store.read_raw_files

    def feed_writer_at_work(raw_dir, files, max_bytes):
        paths = [f.source_path for f in files]
        if rewritten in paths:
            (raw / rewritten).write_bytes(final[rewritten])
        if deleted in paths:
            (raw / deleted).unlink()
        found = read_raw_files(raw_dir, files, max_bytes)
        if later in paths:
            (raw / later).write_bytes(final[later])
        return found
    monkeypatch.setattr(store, "read_raw_files", feed_writer_at_work)
    run(raw, out)
    monkeypatch.undo()

    manifest = {row["source_path"]: row for row in pl.read_parquet(out / "_state" / "manifest.parquet").to_dicts()}
    assert deleted not in manifest                                   # neither a crash nor a phantom row
    assert deleted not in pl.read_parquet(out / "rejects")["source_path"].to_list()
    assert deleted not in pl.read_parquet(out / "articles")["source_path"].to_list()
    as_read = manifest[rewritten]                                    # the bytes read, not those compared
    assert (as_read["raw_sha256"], as_read["size"]) == (sha256(final[rewritten]), len(final[rewritten]))
    assert as_read["mtime_ns"] == (raw / rewritten).stat().st_mtime_ns
    assert (manifest[later]["raw_sha256"], manifest[later]["size"]) == (sha256(read_now[later]), len(read_now[later]))

    state = run(raw, out)
    assert (state["files_changed"], state["files_new"], state["files_deleted"]) == (1, 0, 0)   # `later`, read again
    assert_same_tables(out, corpora / "uninterrupted")



# --- serve: its Prefect server goes away; a second serve of the same OUT ------------------------------

@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` with its scheduler, which a test may kill and start again."""
    from tests.test_serve import PrefectServer

    server = PrefectServer(tmp_path_factory.mktemp("prefect-home"))
    server.start()
    yield server
    server.kill()


def serve_command(name: str, raw: Path, out: Path, interval: float) -> list[str]:
    return [*NEWSPIPE, "serve", "--interval", str(interval), "--name", name, "--raw-dir", str(raw),
            "--out-dir", str(out), "--batch-size", "2"]


def run_lock_held(out: Path) -> bool:
    with open(out / store.LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def same_tables(out: Path, expected: Path) -> bool:
    try:
        assert_same_tables(out, expected)
    except AssertionError:
        return False
    return True


def completed_since(api: str, deployment: str, since: datetime) -> dict | None:
    """A run of the deployment that started after `since` and completed."""
    import httpx

    found = httpx.get(f"{api}/deployments/name/{deployment}", timeout=5)
    if found.status_code != 200:
        return None
    runs = httpx.post(f"{api}/flow_runs/filter", timeout=5, json={
        "deployments": {"id": {"any_": [found.json()["id"]]}},
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}, "start_time": {"after_": since.isoformat()}},
        "limit": 1}).json()
    return runs[0] if runs else None


@pytest.mark.slow
def test_serve_outlives_its_prefect_server_and_a_run_in_flight_leaves_whole_tables(corpora, prefect_server, tmp_path):
    """The server is killed while a scheduled run is writing OUT, then started again. Prefect's
    client retries are off here so that the runner gives up after three failed polls (~3 s)
    instead of about three minutes: the outage the test needs is seconds, not minutes."""
    from tests.processes import started, wait_for

    out, log = published_copy(corpora, tmp_path / "out"), tmp_path / "serve.log"
    env = prefect_server.env | {"PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_CLIENT_MAX_RETRIES": "0"}
    with started(serve_command("outage", corpora / "after", out, interval=2), env, log, grace_seconds=5) as serve:
        in_flight = lambda: any((out / store.STAGING).glob("*/version")) or None   # noqa: E731
        wait_for("a scheduled run writing OUT", in_flight, serve, log, timeout=240)
        prefect_server.kill()
        wait_for("no run writing OUT", lambda: not run_lock_held(out) or None, serve, log, timeout=120)
        assert same_tables(out, corpora / "published") or same_tables(out, corpora / "uninterrupted")

        back = datetime.now(timezone.utc)
        prefect_server.start()
        wait_for("a scheduled run completed after the server came back",
                 lambda: completed_since(prefect_server.api, "newspipe/outage", back), serve, log, timeout=240)
    said = log.read_text()
    assert "lost the Prefect server" in said and "answers again: serving again" in said
    assert_same_tables(out, corpora / "uninterrupted")


@pytest.mark.slow
def test_a_second_serve_of_the_same_out_is_refused_and_the_first_serves_on(corpora, prefect_server, tmp_path):
    from tests.processes import started, wait_for
    from tests.test_serve import deployment_named

    out, log = published_copy(corpora, tmp_path / "out"), tmp_path / "first.log"
    with started(serve_command("first", corpora / "before", out, interval=3600), prefect_server.env, log,
                 grace_seconds=5) as first:
        wait_for("the first serve registered", lambda: deployment_named(prefect_server.api, "newspipe/first"),
                 first, log, timeout=120)
        second = subprocess.run(serve_command("second", corpora / "before", out, interval=3600), cwd=REPO,
                                env=prefect_server.env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 3, second.stderr[-2000:]
        assert f"another `newspipe serve` is serving {out}" in second.stderr
        assert first.poll() is None
    assert deployment_named(prefect_server.api, "newspipe/second") is None


def test_a_reader_that_goes_away_stops_the_output_quietly(tmp_path):
    """`newspipe clean FILE --explain | head -1`, for real: a pipe whose reader closes after one
    line, while the command still has far more to print than the pipe holds (64 KB)."""
    page = tmp_path / "long.txt"
    lines = [f"Paragraph {i} of a long article goes on with enough words to be a sentence of its own." for i in range(3000)]
    page.write_text("A long article\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; import sys; sys.exit(main())",
                              "clean", str(page), "--explain"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline()                       # the reader takes one line ...
    child.stdout.close()                                 # ... and goes away, as `head -1` does
    err = child.stderr.read().decode()
    assert child.wait(timeout=120) == EXIT_PIPE_CLOSED
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
