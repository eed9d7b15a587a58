"""Background services for the tests that need real ones (a Prefect server, a Dask cluster):
free loopback ports, processes in their own group that are always stopped, polling with the log."""
from contextlib import contextmanager
import os
from pathlib import Path
import signal
import socket
import subprocess
import time

import pytest

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def refused_port():
    """A loopback port that refuses connections while it is held: bound and never listening, so
    no other process can listen on it meanwhile. (A port merely found free can be taken before
    it is used: a Dask worker's nanny started in between once listened on one, and the test that
    expected a refusal met the worker.)"""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def stop(proc: subprocess.Popen, grace_seconds: float) -> None:
    """SIGTERM to the process group (a server's workers, a runner's flow-run processes), then SIGKILL."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)     # whatever of the group is left
    except ProcessLookupError:
        pass
    proc.wait()


@contextmanager
def started(cmd: list[str], env: dict, log: Path, grace_seconds: float, cwd: Path = REPO):
    """A background process in its own group, always stopped, its output in `log`."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            stop(proc, grace_seconds)


def wait_for(what: str, probe, proc: subprocess.Popen, log: Path, timeout: float):
    """Poll `probe` until it returns something; fail early with the log if `proc` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (found := probe()) is not None:
            return found
        assert proc.poll() is None, f"{what}: the process exited with {proc.returncode}:\n{tail(log)}"
        time.sleep(0.5)
    pytest.fail(f"{what}: nothing after {timeout:.0f} s:\n{tail(log)}")
