"""Prefect's temporary server for `newspipe run` with no Prefect server configured, started by
newspipe itself as the first thing the command does.

Left to Prefect, the server starts when the flow first calls the API: after this process has
imported Prefect and its server package (about 4 s of CPU) and only then its own interpreter
(another 4 s), one after the other. Started here, before anything heavy is imported, its
start-up runs beside this process's imports and the ingest instead (issue 17, item 3). It is
the same server Prefect would start (`uvicorn prefect.server.api.server:create_app` as an
ephemeral, UI-less server, flows/settings.py's services off; `create_app` here polls its
background queue less often and warms the app up once it has started), on a socket this
process binds and hands over (no port race), and it stops with the run.

On Linux the server is a fork of this process made right after it imports Prefect, which the
run needs anyway: the server then imports only its own package, not Prefect a second time
(about 1.2 s of CPU, a fifth of the server's on BBC). It forks only while this process has a single
thread, native ones included (no other thread can hold a lock the child would inherit);
otherwise, and off Linux, it is a new interpreter running uvicorn, as before.
"""
from __future__ import annotations

import asyncio
import atexit
import ctypes
from datetime import timedelta
import inspect
import os
from pathlib import Path
import signal
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
# The forked server's name in `ps`, `top` and /proc/PID/comm (its command line is this process's).
PROCESS_NAME = b"prefect-server"


class ServerFailed(RuntimeError):
    """The temporary server did not come up."""


class TemporaryServer:
    """A Prefect API server in a child process that lives as long as this one."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.api_url = f"http://127.0.0.1:{port}/api"

    @classmethod
    def start(cls, environ: dict[str, str], fork: bool | None = None) -> TemporaryServer:
        """Start it now and return at once; `wait_ready` before the first API call. `fork`: None
        forks where that is safe (see the module's docstring), False always starts a new
        interpreter."""
        listening = socket.create_server(("127.0.0.1", 0), backlog=128)
        port = listening.getsockname()[1]
        try:
            forked = False
            if fork is not False and sys.platform == "linux":
                import prefect  # noqa: F401 - the run imports it anyway; the fork inherits it
                forked = _can_fork()
            if forked:
                process = ForkedServer.start(listening, {**environ, **EPHEMERAL_SERVER_ENV})
            else:
                process = _interpreter(listening, environ)
        finally:
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


def _can_fork() -> bool:
    """With this process's one thread (native ones counted: a Polars or BLAS pool's thread
    could hold a lock that the child would wait on for ever); Linux only."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _interpreter(listening: socket.socket, environ: dict[str, str]) -> subprocess.Popen:
    """uvicorn in a new interpreter, serving on `listening`."""
    fd = listening.fileno()
    app_dir = Path(__file__).resolve().parent.parent   # where this package is, for `create_app`
    command = [sys.executable, "-c", _STOP_WITH_PARENT, str(os.getpid()), str(app_dir), sys.executable, "-m", "uvicorn",
               "--app-dir", str(app_dir), "--factory", f"{__name__}:create_app", "--fd", str(fd),
               "--log-level", "error", "--lifespan", "on"]
    return subprocess.Popen(command, env={**environ, **EPHEMERAL_SERVER_ENV}, pass_fds=(fd,), stdin=subprocess.DEVNULL)


class ForkedServer:
    """The server in a fork of this process; the parts of subprocess.Popen's interface the run uses."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    @classmethod
    def start(cls, listening: socket.socket, environ: dict[str, str]) -> ForkedServer:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _serve_forked(listening, environ, parent)   # never returns
        return cls(pid)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"prefect-server {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)


def _serve_forked(listening: socket.socket, environ: dict[str, str], parent: int) -> None:
    """The forked child: stop with the parent, take the server's settings, serve, and leave
    without running the parent's exit hooks or flushing its buffers a second time."""
    status = 1
    try:
        _stop_with(parent)
        _name_process(PROCESS_NAME)
        os.environ.clear()
        os.environ.update(environ)
        from prefect.context import refresh_global_settings_context
        import uvicorn

        refresh_global_settings_context()   # Prefect read its settings at import, from the parent's environment
        config = uvicorn.Config(f"{__name__}:create_app", factory=True, fd=listening.fileno(), log_level="error",
                                lifespan="on")
        uvicorn.Server(config).run()
        status = 0
    except BaseException:   # noqa: BLE001 - said on stderr; the parent reports the exit status
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(status)


PR_SET_PDEATHSIG, PR_SET_NAME = 1, 15


def _stop_with(parent: int) -> None:
    """Ask Linux for a SIGTERM when `parent` dies, however it dies (the request is kept across
    exec); exit at once if it is already gone."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:   # it died before the request was made
        os._exit(0)


def _name_process(name: bytes) -> None:
    _prctl(PR_SET_NAME, ctypes.c_char_p(name))


def _prctl(option: int, argument) -> None:
    """Linux's prctl; nothing where there is none (the server then only lacks the option)."""
    try:
        ctypes.CDLL(None).prctl(option, argument)
    except (OSError, AttributeError):
        pass


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

    return WarmedOnStart(prefect_app())


# Read-only requests a run's first API calls go through: the first request to the app costs
# about 0.4 s (the server sets itself up on first use), the next ones far less.
WARM_UP_REQUESTS = (("GET", "/admin/version", None), ("POST", "/flows/filter", {"limit": 1}),
                    ("POST", "/flow_runs/filter", {"limit": 1}), ("POST", "/task_runs/filter", {"limit": 1}))


class WarmedOnStart:
    """The app, which once started answers WARM_UP_REQUESTS to itself, in process.

    The server is ready before the CLI has finished its own start-up (it imports Great
    Expectations and the language model meanwhile), and stood idle until the run's first
    requests, which then waited for its set-up on first use. Made while it is idle, those
    requests find it set up: on bbc/politics, 4 alternating pairs, from the CLI's wait for the
    server (which was up) to "Beginning flow run" 1.05, 1.01, 1.45, 1.27 -> 0.76, 0.80, 0.95,
    0.85 s. Nothing is written, and a failed warm-up changes nothing but the time of the run's
    first requests."""

    def __init__(self, app):
        self.app, self._warming = app, None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)

        async def sent(message):
            await send(message)
            if message["type"] == "lifespan.startup.complete":
                self._warming = asyncio.get_running_loop().create_task(warm_up(self.app))
            elif message["type"].startswith("lifespan.shutdown") and self._warming:
                self._warming.cancel()
        await self.app(scope, receive, sent)


async def warm_up(app) -> None:
    """WARM_UP_REQUESTS through the app itself."""
    import httpx

    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://prefect-server/api") as client:
            for method, path, body in WARM_UP_REQUESTS:
                await client.request(method, path, json=body)
    except Exception:   # noqa: BLE001 - only a warm-up: the run's own requests say what is wrong
        pass


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


# Run first in the new interpreter: ask Linux for a SIGTERM when the parent dies (`_stop_with`),
# then become the server. (A preexec_fn would run Python in a fork of a process whose Polars
# threads may hold locks.)
_STOP_WITH_PARENT = """
import os, sys
sys.path.insert(0, sys.argv[2])
from flows.embedded_server import _stop_with
_stop_with(int(sys.argv[1]))
os.execv(sys.argv[3], sys.argv[3:])
"""
