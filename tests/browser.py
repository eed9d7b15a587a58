"""Headless Chromium driven over the DevTools protocol, for the report's browser tests: open a
file with the network off, list every request the page made, evaluate a script in it, take a
screenshot. Chromium finds no proxy and no host (a dead proxy port, every name unresolvable),
and the Network domain reports each request it tried, so one that left the file is caught
whether or not it could have succeeded."""
from contextlib import contextmanager
from dataclasses import dataclass
import base64
import itertools
import json
import os
from pathlib import Path
import shutil
import signal
import subprocess
import tempfile
import time

from websockets.sync.client import connect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
QUIET = ["--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--no-default-browser-check", "--disable-gpu", "--no-sandbox"]
TIMEOUT = 60


@dataclass(frozen=True)
class Visit:
    requests: list[str]     # the URL of every request the page made, the page itself first
    result: object          # what the script returned
    screenshot: bytes       # PNG


def visit(page: Path, script: str, width: int = 1280, height: int = 2400) -> Visit:
    """Open `page` in a fresh headless Chromium with the network off, wait for its load event,
    run `script` (an expression) and take a screenshot of the top `height` pixels."""
    with _browser() as session:
        session.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        session.send("Network.enable")
        session.send("Page.enable")
        session.send("Page.navigate", {"url": page.absolute().as_uri()})
        session.wait_for("Page.loadEventFired")
        result = session.send("Runtime.evaluate", {"expression": script, "returnByValue": True})
        shot = session.send("Page.captureScreenshot", {"format": "png"})
        requests = [e["params"]["request"]["url"] for e in session.events if e["method"] == "Network.requestWillBeSent"]
    return Visit(requests, result["result"].get("value"), base64.b64decode(shot["data"]))


class _Session:
    """One page target of the browser, over the browser's websocket (flat sessions)."""

    def __init__(self, socket, session_id: str):
        self.socket, self.session_id, self.events = socket, session_id, []
        self._ids = itertools.count(1)

    def send(self, method: str, params: dict | None = None) -> dict:
        call = next(self._ids)
        self.socket.send(json.dumps({"id": call, "method": method, "params": params or {},
                                     "sessionId": self.session_id}))
        reply = self._until(lambda m: m.get("id") == call)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def wait_for(self, event: str) -> None:
        if not any(e["method"] == event for e in self.events):
            self._until(lambda m: m.get("method") == event)

    def _until(self, wanted) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            if "method" in message:
                self.events.append(message)
            if wanted(message):
                return message


@contextmanager
def _browser():
    """A session on a blank page of a Chromium started for it, stopped (its process group) after."""
    with tempfile.TemporaryDirectory(prefix="newspipe-chromium-") as profile:
        process = subprocess.Popen([CHROMIUM, "--headless", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                                    *OFFLINE, *QUIET, "about:blank"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            with connect(_browser_socket(Path(profile), process), max_size=None, open_timeout=TIMEOUT) as socket:
                socket.send(json.dumps({"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}}))
                target = _reply(socket, 1)["targetId"]
                socket.send(json.dumps({"id": 2, "method": "Target.attachToTarget",
                                        "params": {"targetId": target, "flatten": True}}))
                yield _Session(socket, _reply(socket, 2)["sessionId"])
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _browser_socket(profile: Path, process: subprocess.Popen) -> str:
    """The browser's websocket address, from the port file Chromium writes once it listens."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + TIMEOUT
    while not (port_file.is_file() and len(lines := port_file.read_text().split()) == 2):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"chromium did not start (exit code {process.poll()})")
        time.sleep(0.05)
    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"


def _reply(socket, call: int) -> dict:
    while (message := json.loads(socket.recv(timeout=TIMEOUT))).get("id") != call:
        pass
    return message["result"]
