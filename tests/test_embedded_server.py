"""Prefect's temporary server as `newspipe run` starts it (flows/embedded_server.py): a real
server answering on the socket it was handed, with the settings it was given, gone when the
process that started it dies (SIGKILL, no clean-up code runs), both as a fork of a one-thread
process and as a new interpreter, and a clear error when it cannot start (a stand-in `uvicorn`
module exits or hangs, the way a broken install would)."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from flows.embedded_server import ServerFailed, TemporaryServer
from flows.settings import EMBEDDED_SERVER_SETTINGS
from tests.conftest import REPO

STARTS_A_SERVER = """
import json, os, sys, threading, time
sys.path.insert(0, sys.argv[1])
from flows.embedded_server import TemporaryServer
if sys.argv[3] == "with-a-thread":   # a second thread: forking is not safe
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
server = TemporaryServer.start({**os.environ, **json.loads(sys.argv[2])})
server.wait_ready()
with open(f"/proc/{server.process.pid}/comm") as comm, open(f"/proc/{server.process.pid}/cmdline") as cmdline:
    print(json.dumps({"pid": server.process.pid, "api_url": server.api_url, "comm": comm.read().strip(),
                      "cmdline": cmdline.read().replace(chr(0), " ")}), flush=True)
time.sleep(600)
"""


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("threads", ["alone", "with-a-thread"])
def test_the_server_answers_with_its_settings_and_dies_with_the_process_that_started_it(tmp_path, threads):
    """Alone, the starting process forks the server (named prefect-server in ps); with another
    thread running, it starts a new interpreter running uvicorn. Either way the server has the
    settings it was given, not those of the process that started it."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", None)
    parent = subprocess.Popen([sys.executable, "-c", STARTS_A_SERVER, str(REPO), json.dumps(EMBEDDED_SERVER_SETTINGS),
                               threads], env=env, stdout=subprocess.PIPE, text=True)
    try:
        started = json.loads(parent.stdout.readline())
        if threads == "alone":
            assert started["comm"] == "prefect-server"
        else:
            assert started["comm"] != "prefect-server" and "uvicorn" in started["cmdline"]
        with urllib.request.urlopen(f"{started['api_url']}/health", timeout=10) as answer:
            assert answer.status == 200 and json.loads(answer.read()) is True
        with urllib.request.urlopen(f"{started['api_url']}/admin/settings", timeout=10) as answer:
            settings = json.loads(answer.read())
        assert settings["server"]["services"]["triggers"]["enabled"] is False   # given, not inherited
        assert settings["server"]["ui"]["enabled"] is False
        parent.send_signal(signal.SIGKILL)   # no atexit, no finally: only the kernel can stop the server
        parent.wait(timeout=10)
        assert _gone(started["pid"], within=15), "the temporary server outlived the run that started it"
    finally:
        parent.kill()
        parent.wait()


FORK_THAT_FAILS = """
import os, sys, types
sys.path.insert(0, sys.argv[1])
from flows.embedded_server import ServerFailed, TemporaryServer
broken = types.ModuleType("uvicorn")
def config(*args, **kwargs):
    raise ImportError("uvicorn is broken")
broken.Config = config
sys.modules["uvicorn"] = broken
server = TemporaryServer.start(dict(os.environ))
try:
    server.wait_ready(timeout=60)
except ServerFailed as failed:
    print("ServerFailed:", failed, flush=True)
"""


def test_a_forked_server_that_fails_at_start_is_an_error_that_says_what_to_do(tmp_path):
    done = subprocess.run([sys.executable, "-c", FORK_THAT_FAILS, str(REPO)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")})
    assert "ImportError: uvicorn is broken" in done.stderr   # the child's traceback, for the person
    assert re.search(r"ServerFailed: .*exited with status 1 .*PREFECT_API_URL", done.stdout), done.stdout


def _stand_in_uvicorn(tmp_path, body: str) -> dict:
    package = tmp_path / "fake" / "uvicorn"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(body)
    return {**os.environ, "PYTHONPATH": str(tmp_path / "fake")}


def test_a_server_that_exits_at_start_is_an_error_that_says_what_to_do(tmp_path):
    server = TemporaryServer.start(_stand_in_uvicorn(tmp_path, "import sys\nsys.exit(4)\n"), fork=False)
    with pytest.raises(ServerFailed, match=r"exited with status 4 .*PREFECT_API_URL"):
        server.wait_ready(timeout=60)


def test_a_server_that_never_answers_is_stopped_after_the_timeout(tmp_path):
    server = TemporaryServer.start(_stand_in_uvicorn(tmp_path, "import time\ntime.sleep(600)\n"), fork=False)
    with pytest.raises(ServerFailed, match=r"did not answer within 1 s; raise PREFECT_SERVER_EPHEMERAL_STARTUP"):
        server.wait_ready(timeout=1)
    assert server.process.poll() is not None


PATIENT_WORKER = """
import sys
sys.path.insert(0, sys.argv[1])
from flows.embedded_server import QUEUE_POLL, _poll_docket_every
_poll_docket_every(QUEUE_POLL)
from docket import Docket
from prefect.server.api import background_workers   # binds docket.Worker at its import, as create_app does
worker = background_workers.Worker(Docket(name="newspipe-test", url="memory://"))
print(worker.minimum_check_interval.total_seconds(), worker.scheduling_resolution.total_seconds(),
      QUEUE_POLL.total_seconds())
"""


def test_the_server_polls_its_background_queue_every_two_seconds():
    """The worker Prefect's server makes is the patient one (docket's default: every 0.25 s)."""
    done = subprocess.run([sys.executable, "-c", PATIENT_WORKER, str(REPO)], cwd=REPO, capture_output=True,
                          text=True, check=True)
    check, schedule, poll = map(float, done.stdout.split())
    assert check == schedule == poll == 2.0


IMPORTS_PREFECT_AS_THE_CLI_DOES = """
import os, sys
sys.path.insert(0, sys.argv[1])
from flows.cli import _quiet_defaults
_quiet_defaults()
import prefect
print(len(os.listdir("/proc/self/task")), os.environ.get("DO_NOT_TRACK"), flush=True)
"""


@pytest.mark.parametrize("analytics", [None, "true"])
def test_in_a_terminal_prefect_leaves_the_cli_one_thread_unless_its_analytics_are_on(tmp_path, analytics):
    """A person's first `newspipe run` in a terminal: Prefect's first import there would print a
    telemetry notice and start a thread to send an event, and the server could not be forked.
    The CLI's quiet defaults keep it to one thread; a user who turned analytics on keeps them."""
    import pty

    env = {k: v for k, v in os.environ.items() if k not in ("DO_NOT_TRACK", "CI", "PREFECT_SERVER_ANALYTICS_ENABLED")}
    env["PREFECT_HOME"] = str(tmp_path / "new-user")
    if analytics:
        env["PREFECT_SERVER_ANALYTICS_ENABLED"] = analytics
    leader, terminal = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-c", IMPORTS_PREFECT_AS_THE_CLI_DOES, str(REPO)], env=env,
                              stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=120)
    finally:
        os.close(terminal)
        os.close(leader)
    threads, do_not_track = done.stdout.split()
    if analytics:
        assert do_not_track == "None"
    else:
        assert (threads, do_not_track) == ("1", "1")


def test_the_app_warms_itself_up_once_started_and_passes_its_lifespan_through():
    """WarmedOnStart, around a stand-in app that records what reaches it: the lifespan messages
    go through unchanged, and once the app has started, the warm-up requests reach it."""
    import asyncio

    from flows.embedded_server import WARM_UP_REQUESTS, WarmedOnStart

    seen, sent = [], []

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            assert (await receive())["type"] == "lifespan.startup"
            await send({"type": "lifespan.startup.complete"})
            assert (await receive())["type"] == "lifespan.shutdown"
            await send({"type": "lifespan.shutdown.complete"})
            return
        seen.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}"})

    async def serve():
        started, stop = asyncio.Event(), asyncio.Event()
        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

        async def receive():
            message = next(messages)
            if message["type"] == "lifespan.shutdown":
                await stop.wait()
            return message

        async def send(message):
            sent.append(message["type"])
            if message["type"] == "lifespan.startup.complete":
                started.set()
        lifespan = asyncio.create_task(WarmedOnStart(app)({"type": "lifespan"}, receive, send))
        await started.wait()
        for _ in range(200):
            if len(seen) == len(WARM_UP_REQUESTS):
                break
            await asyncio.sleep(0.01)
        stop.set()
        await lifespan

    asyncio.run(serve())
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert seen == [(method, "/api" + path) for method, path, _ in WARM_UP_REQUESTS]
