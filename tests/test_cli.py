"""The command a user types, as a subprocess: exit codes and one-line reasons."""
import os
import subprocess
import sys

import pytest

from tests.conftest import EURONEWS_SEED, REPO

NEWSPIPE = [sys.executable, "-m", "flows.cli"]
ENV = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def newspipe(*args, cwd=REPO):
    return subprocess.run([*NEWSPIPE, *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


def test_missing_raw_dir_fails_fast_with_one_line(tmp_path):
    result = newspipe("run", "--raw-dir", str(tmp_path / "nope"), "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"newspipe: raw dir {tmp_path / 'nope'} does not exist; put *.txt articles there or pass --raw-dir"]


def test_serve_without_a_prefect_server_says_how_to_start_one():
    env = {k: v for k, v in ENV.items() if k != "PREFECT_API_URL"}
    result = subprocess.run([*NEWSPIPE, "serve", "--cron", "0 * * * *"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "prefect server start" in result.stderr and "PREFECT_API_URL" in result.stderr


def test_clean_explain_gives_every_dropped_line_a_reason():
    result = newspipe("clean", str(EURONEWS_SEED), "--explain")
    assert result.returncode == 0
    assert "title: Exclusive: Kazakhstan's new president" in result.stdout
    dropped = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert any("Share this article" in line for line in dropped)
    assert all(len(line.split("|")[0].split()) >= 3 for line in dropped)   # line number, role, reason


@pytest.mark.slow
def test_run_on_the_seeds_writes_the_tables_and_the_report(tmp_path):
    result = newspipe("run", "--raw-dir", "data/raw", "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    for name in ("articles", "entities", "quotes", "rejects"):
        assert list((tmp_path / name).glob("*.parquet")), name
    assert (tmp_path / "validation" / "index.html").exists()
    assert "extract: 2/2 articles" in result.stderr + result.stdout

    again = newspipe("run", "--raw-dir", "data/raw", "--out-dir", str(tmp_path))
    assert again.returncode == 0
    assert again.stderr.startswith("newspipe: nothing changed since run ")   # answered before Prefect starts
    assert "Starting temporary server" not in again.stderr + again.stdout


def test_full_is_a_run_option_passed_to_the_flow():
    from flows.cli import _flow_parameters, build_parser

    assert _flow_parameters(build_parser().parse_args(["run", "--full"]))["full"] is True
    assert _flow_parameters(build_parser().parse_args(["run"]))["full"] is False


def test_the_dask_address_is_a_run_option_passed_to_the_flow():
    from flows.cli import _flow_parameters, build_parser

    address = "tcp://scheduler.example:8786"
    for command in (["run"], ["serve", "--interval", "60"]):
        args = build_parser().parse_args([*command, "--dask-address", address])
        assert _flow_parameters(args)["dask_address"] == address
    assert _flow_parameters(build_parser().parse_args(["run"]))["dask_address"] is None   # the flow reads the env


def test_a_full_disk_ends_the_run_with_one_line_saying_where_and_what_to_do(tmp_path, monkeypatch, capsys):
    from flows import cli, pipeline, store, workers

    def full(**parameters):
        raise store.DiskFull(f"the disk of {parameters['out_dir']} is full: ...; free some space, or pass --out-dir")
    monkeypatch.setattr(pipeline, "newspipe_run", full)
    monkeypatch.setattr(workers, "warm_up", lambda: None)
    assert cli.main(["run", "--raw-dir", str(REPO / "data" / "raw"), "--out-dir", str(tmp_path)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"newspipe: the disk of {tmp_path} is full: ...; free some space, or pass --out-dir"]


def test_a_run_without_a_server_starts_one_without_the_services_a_one_run_server_never_needs(monkeypatch):
    """The settings are Prefect's own (a misspelt name would change nothing), set only for the
    temporary server: a user's value wins, and a configured server is left alone."""
    import prefect.settings

    from flows.settings import EMBEDDED_SERVER_SETTINGS, embedded_server_defaults

    for name in EMBEDDED_SERVER_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    defaults = embedded_server_defaults(dict(os.environ), api_url=None)
    assert defaults == EMBEDDED_SERVER_SETTINGS
    for name, value in defaults.items():
        monkeypatch.setenv(name, value)
    settings = prefect.settings.Settings()
    services = settings.server.services
    assert not (services.task_run_recorder.enabled or services.event_persister.enabled or services.triggers.enabled
                or settings.server.events.stream_out_enabled or settings.server.logs.stream_out_enabled)
    assert all(getattr(prefect.settings, name).value_from(settings) is False for name in EMBEDDED_SERVER_SETTINGS)

    mine = {"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "true"}
    assert "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED" not in embedded_server_defaults(mine, api_url=None)
    assert embedded_server_defaults({}, api_url="http://127.0.0.1:4200/api") == {}


def test_a_run_on_the_temporary_server_sends_no_flow_run_heartbeats_unless_the_user_set_them(monkeypatch):
    """Read by Prefect's own flow run engine: with no frequency it starts no heartbeat thread,
    whose join kept each run waiting up to a second at its end."""
    from prefect import flow
    from prefect.flow_engine import FlowRunEngine
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.cli import _client_settings

    @flow
    def nothing():
        pass
    for name in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"):
        monkeypatch.delenv(name, raising=False)
    assert FlowRunEngine(flow=nothing).heartbeat_seconds is not None   # Prefect's default: every 180 s
    with temporary_settings(updates=_client_settings("http://127.0.0.1:9/api")):
        assert FlowRunEngine(flow=nothing).heartbeat_seconds is None
        assert PREFECT_API_URL.value() == "http://127.0.0.1:9/api"
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY not in _client_settings("http://127.0.0.1:9/api")


def test_the_language_model_loads_in_a_thread_of_its_own_and_is_loaded_once_joined():
    code = ("import threading; from flows import cli; from transforms import lang; load = lang.load_model; "
            "where = []; lang.load_model = lambda: (where.append(threading.current_thread().name), load()); "
            "loading = cli._language_model_loading(); loading.join(); "
            "print(*where, lang._model.cache_info().currsize, threading.active_count())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.split() == ["newspipe-language-model", "1", "1"]
