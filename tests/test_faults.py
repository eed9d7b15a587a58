"""Faults from outside the code: what the product does when its surroundings fail.

Each fault is injected into a real run (a full disk, a damaged version, raw files that change
while they are read, a Prefect server that goes away, a second `serve`); after it, the next
clean run must give exactly the tables of a run that never met the fault."""
from contextlib import contextmanager
import errno
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
from tests.corpus import article_text, assert_same_tables, write_articles

POLL_SECONDS = 0.02


@pytest.fixture(scope="module")
def run(prefect_harness):
    from flows.pipeline import newspipe_run
    return lambda raw, out, **options: newspipe_run(raw_dir=str(raw), out_dir=str(out), batch_size=2, **options)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, run):
    """Corpus `before` published in OUT `published`; corpus `after` (one article edited, one
    deleted, new ones) with the tables of an uninterrupted run in `uninterrupted`."""
    root = tmp_path_factory.mktemp("faults")
    before, after = root / "before", root / "after"
    write_articles(before, range(8))
    run(before, root / "published")
    shutil.copytree(before, after)
    (after / "0" / "report-003.txt").write_text(article_text(3) + '\n"It was a fair vote," said Tokayev.\n')
    (after / "1" / "report-001.txt").unlink()
    write_articles(after, range(30, 36))
    run(after, root / "uninterrupted")
    return root


def published_copy(corpora: Path, out: Path) -> Path:
    shutil.copytree(corpora / "published", out, symlinks=True)
    return out


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
