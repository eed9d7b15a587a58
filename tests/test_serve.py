"""Scheduled runs against a real `prefect server start`: `newspipe serve` registers the deployment,
the server's scheduler creates the flow run, the served process runs it and writes the tables;
`prefect deploy` registers prefect.yaml's deployment with its cron schedule.

One server per module (own PREFECT_HOME, so its own SQLite database; loopback; free port). It
takes 15-30 s to start; the scheduled run follows within ~10 s (the settings below), then runs
the flow (~20 s).
"""
import json
import os
from pathlib import Path
import subprocess
import sys

import httpx
import polars as pl
import pytest

from tests.conftest import REPO, SEEDS
from tests.processes import free_port, refused_port, started, stop, tail, wait_for

NEWSPIPE = [sys.executable, "-m", "flows.cli"]
PREFECT = [sys.executable, "-m", "prefect"]
INTERVAL_SECONDS = 2
# Seconds between the scheduler's passes over newly created deployments (default 5); a new
# deployment's first runs come from that pass, not from the main loop (every 60 s).
SCHEDULER = {"PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1"}
# Seconds between the served runner's polls for due runs (default 10).
RUNNER = {"PREFECT_RUNNER_POLL_FREQUENCY": "1"}


def base_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "GX_ANALYTICS_ENABLED": "false"}


class PrefectServer:
    """A fresh `prefect server start` with its scheduler on (own PREFECT_HOME, so its own SQLite
    database; loopback; a free port). `kill` takes it away as a crash would; `start` brings it
    back on the same port with the same database."""

    def __init__(self, home: Path):
        self.home, self.port = home, free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = base_env(home) | {"PREFECT_API_URL": self.api}     # for its clients
        self.proc, self.starts = None, 0

    def start(self) -> None:
        self.starts += 1
        self.log = self.home / f"server-{self.starts}.log"
        cmd = [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(self.port), "--no-ui", "--scheduler"]
        with self.log.open("wb") as sink:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=base_env(self.home) | SCHEDULER, stdout=sink,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        wait_for("prefect server /api/health", self.healthy, self.proc, self.log, timeout=120)

    def healthy(self) -> bool | None:
        try:
            return httpx.get(f"{self.api}/health", timeout=2).is_success or None
        except httpx.HTTPError:
            return None

    def kill(self) -> None:
        stop(self.proc, grace_seconds=0)


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """(api_url, env for clients) of a fresh `prefect server start` with its scheduler on."""
    server = PrefectServer(tmp_path_factory.mktemp("prefect-home"))
    server.start()
    try:
        yield server.api, server.env
    finally:
        stop(server.proc, grace_seconds=10)


def deployment_named(api: str, name: str) -> dict | None:
    response = httpx.get(f"{api}/deployments/name/{name}", timeout=5)
    return response.json() if response.status_code == 200 else None


def _first_finished_run(api: str, deployment_id: str) -> dict | None:
    runs = httpx.post(f"{api}/flow_runs/filter", timeout=5, json={
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED", "CANCELLED"]}}},
        "sort": "EXPECTED_START_TIME_ASC", "limit": 1}).json()
    return runs[0] if runs else None


@pytest.mark.slow
def test_serve_runs_the_flow_the_scheduler_created_and_writes_the_tables(prefect_server, tmp_path):
    api, env = prefect_server
    out, log = tmp_path / "out", tmp_path / "serve.log"
    cmd = [*NEWSPIPE, "serve", "--interval", str(INTERVAL_SECONDS), "--name", "test-serve",
           "--raw-dir", str(SEEDS), "--out-dir", str(out)]
    # The next run may be under way when the test is done with the first: no waiting for it.
    with started(cmd, env | RUNNER, log, grace_seconds=2) as serve:
        deployment = wait_for("deployment registered by serve", lambda: deployment_named(api, "newspipe/test-serve"),
                               serve, log, timeout=60)
        run = wait_for("a finished scheduled run", lambda: _first_finished_run(api, deployment["id"]),
                        serve, log, timeout=240)

    assert run["state_type"] == "COMPLETED", f"{run['state_name']}: {run['state']['message']}\n{tail(log)}"
    # Created by the server's scheduler from the deployment's schedule, not by hand or at start-up.
    schedules = {s["id"]: s["schedule"] for s in deployment["schedules"]}
    assert run["auto_scheduled"] is True and run["created_by"]["type"] == "SCHEDULE"
    assert schedules[run["created_by"]["id"]]["interval"] == INTERVAL_SECONDS
    assert run["parameters"]["out_dir"] == str(out)

    articles = pl.read_parquet(out / "articles")
    assert sorted(articles["source_path"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert pl.read_parquet(out / "quotes").height > 0
    assert (out / "validation" / "index.html").stat().st_size > 0
    assert json.loads((out / "_state" / "last_run.json").read_text())["success"] is True


@pytest.mark.slow
def test_prefect_yaml_deploys_with_its_cron_schedule_and_pull_step(prefect_server):
    api, env = prefect_server

    # What `prefect work-pool create newspipe --type process` does, without a second CLI start-up.
    httpx.post(f"{api}/work_pools/", json={"name": "newspipe", "type": "process"}, timeout=10).raise_for_status()
    result = subprocess.run([*PREFECT, "--no-prompt", "deploy", "--all"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    deployment = deployment_named(api, "newspipe/newspipe-hourly")
    assert deployment["entrypoint"] == "flows/pipeline.py:newspipe_run"
    assert deployment["work_pool_name"] == "newspipe"
    assert [s["schedule"]["cron"] for s in deployment["schedules"] if s["active"]] == ["0 * * * *"]
    assert deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $NEWSPIPE_HOME }}"}}]
    assert set(deployment["parameters"]) == {"raw_dir", "out_dir", "batch_size", "max_file_mb"}


def test_serve_with_no_server_at_the_url_says_so():
    with refused_port() as port:
        env = {**os.environ, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        result = subprocess.run([*NEWSPIPE, "serve", "--interval", "60", "--raw-dir", str(SEEDS)],
                                cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no Prefect server answers at PREFECT_API_URL" in result.stderr


@pytest.mark.parametrize("when", [["--interval", "0"], ["--interval", "60", "--cron", "0 * * * *"], []])
def test_serve_needs_exactly_one_valid_schedule(when):
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}
    result = subprocess.run([*NEWSPIPE, "serve", *when, "--raw-dir", str(SEEDS)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--interval" in result.stderr


def test_serve_tells_a_lost_server_from_other_failures_of_its_runner():
    from flows.serving import lost_the_server

    request = httpx.Request("GET", "http://127.0.0.1:9/api/health")
    refused = httpx.ConnectError("All connection attempts failed", request=request)
    unavailable = httpx.HTTPStatusError("503", request=request, response=httpx.Response(503, request=request))
    assert lost_the_server(ExceptionGroup("runner", [RuntimeError("Service exceeded error threshold.")]))
    try:
        raise RuntimeError("the poll failed") from refused
    except RuntimeError as wrapped:
        assert lost_the_server(wrapped)
    assert lost_the_server(unavailable)
    assert not lost_the_server(ValueError("a bug of ours"))
