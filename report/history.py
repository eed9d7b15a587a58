"""The runs the state keeps for the report's "over time": one small entry per published run
(OUT/_state/runs.json, carried from version to version), the last KEPT_RUNS of them."""
from datetime import datetime

KEPT_RUNS = 30
# What an entry keeps of a run's last_run.json.
ENTRY_KEYS = ("run_id", "started_at", "finished_at", "success", "files_new", "files_changed", "files_deleted",
              "articles", "entities", "quotes", "rejects")


def run_entry(state: dict) -> dict:
    """The entry of a run, from its last_run.json dict (RunState.to_json), with its duration."""
    seconds = (datetime.fromisoformat(state["finished_at"]) - datetime.fromisoformat(state["started_at"]))
    return {key: state[key] for key in ENTRY_KEYS} | {"seconds": round(seconds.total_seconds(), 1)}


def with_run(history: list[dict], entry: dict) -> list[dict]:
    """The history with this run last (a run already in it is replaced), the oldest dropped."""
    return [past for past in history if past["run_id"] != entry["run_id"]][-(KEPT_RUNS - 1):] + [entry]
