"""Prefect's temporary server for `newspipe run` with no Prefect server configured, started by
newspipe itself as the first thing the command does.

Left to Prefect, the server starts when the flow first calls the API: after this process has
imported Prefect and its server package (about 4 s of CPU) and only then its own interpreter
(another 4 s), one after the other. Started here, before anything heavy is imported, its
start-up runs beside this process's imports and the ingest instead (issue 17, item 3). It is
the same server Prefect would start (`uvicorn prefect.server.api.server:create_app` as an
ephemeral, UI-less server, flows/settings.py's services off; `create_app` here polls its
background queue less often), on a socket this process binds and hands over (no port race),
and it stops with the run.
"""
from __future__ import annotations

import atexit
from datetime import timedelta
import inspect
import os
from pathlib import Path
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

STARTUP_TIMEOUT_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
QUEUE_POLL = timedelta(seconds=2)
# What Prefect's own SubprocessASGIServer sets for its temporary server.
EPHEMERAL_SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


class ServerFailed(RuntimeError):
    """The temporary server did not come up."""


class TemporaryServer:
    """A Prefect API server in a child process that lives as long as this one."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.api_url = f"http://127.0.0.1:{port}/api"

    @classmethod
    def start(cls, environ: dict[str, str]) -> TemporaryServer:
        """Start it now and return at once; `wait_ready` before the first API call."""
        listening = socket.create_server(("127.0.0.1", 0), backlog=128)
        fd = listening.fileno()
        app_dir = Path(__file__).resolve().parent.parent   # where this package is, for `create_app`
        command = [sys.executable, "-c", _STOP_WITH_PARENT, str(os.getpid()), sys.executable, "-m", "uvicorn",
                   "--app-dir", str(app_dir), "--factory", f"{__name__}:create_app", "--fd", str(fd),
                   "--log-level", "error", "--lifespan", "on"]
        try:
            process = subprocess.Popen(command, env={**environ, **EPHEMERAL_SERVER_ENV}, pass_fds=(fd,),
                                       stdin=subprocess.DEVNULL)
        finally:
            port = listening.getsockname()[1]
            listening.close()
        server = cls(process, port)
        atexit.register(server.stop)   # registered before Prefect's own exit hooks, so it runs after them
        return server

    def wait_ready(self, timeout: float | None = None) -> None:
        """Until the API answers its health check; ServerFailed if it exits or takes too long."""
        timeout = timeout if timeout is not None else float(os.environ.get(STARTUP_TIMEOUT_ENV) or 120)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ServerFailed(f"Prefect's temporary server exited with status {self.process.returncode} before "
                                   "it answered; its error is above. Start one with `prefect server start` and "
                                   "set PREFECT_API_URL to use it instead")
            try:   # the socket listens from the start: a request waits in its queue until uvicorn serves
                wait = max(0.1, min(5.0, deadline - time.monotonic()))
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=wait) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise ServerFailed(f"Prefect's temporary server did not answer within {timeout:.0f} s; raise "
                                   f"{STARTUP_TIMEOUT_ENV} on a loaded machine, or start one with "
                                   "`prefect server start` and set PREFECT_API_URL")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def create_app():
    """Prefect's server app, run in the server's process by uvicorn, with its queue of background
    tasks (docket, in memory) polled every QUEUE_POLL instead of four times a second.

    A one-run server puts nothing on that queue that cannot wait two seconds (a flow run's log
    deletion, a cancellation's clean-up), but the polls cost CPU for the whole run: idle, the
    server took 0.28-0.30 s of CPU in 20 s, 0.17-0.19 s with these polls, about 0.25 s of a
    BBC run. The worker class is swapped before Prefect's server imports it; a docket without
    these settings is left alone."""
    _poll_docket_every(QUEUE_POLL)
    from prefect.server.api.server import create_app as prefect_app

    return prefect_app()


def _poll_docket_every(interval: timedelta) -> None:
    try:
        import docket
    except ImportError:
        return
    worker = docket.Worker
    settings = inspect.signature(worker).parameters
    if "minimum_check_interval" not in settings or "scheduling_resolution" not in settings:
        return

    class PatientWorker(worker):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("minimum_check_interval", interval)
            kwargs.setdefault("scheduling_resolution", interval)
            super().__init__(*args, **kwargs)

    docket.Worker = PatientWorker


# Run first in the child: ask Linux for a SIGTERM when the parent dies, however it dies (it is
# kept across exec), then become the server. (A preexec_fn would run Python in a fork of a
# process whose Polars threads may hold locks.)
_STOP_WITH_PARENT = """
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(0)
os.execv(sys.argv[2], sys.argv[2:])
"""
