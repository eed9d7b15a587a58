"""The runs the state keeps: an entry per run with its duration, the newest last, at most KEPT_RUNS."""
from report.history import KEPT_RUNS, run_entry, with_run


def state(run_id: str, articles: int = 1) -> dict:
    return {"run_id": run_id, "started_at": "2026-12-04T14:00:00+00:00", "finished_at": "2026-12-04T14:01:30.5+00:00",
            "success": True, "files_new": 1, "files_changed": 0, "files_deleted": 0, "articles": articles,
            "entities": 2, "quotes": 3, "rejects": 0, "options": {"max_file_mb": 5.0}}


def test_an_entry_keeps_the_counts_and_the_duration():
    entry = run_entry(state("r1"))
    assert entry["seconds"] == 90.5 and entry["articles"] == 1 and "options" not in entry


def test_the_history_keeps_the_last_runs_and_a_run_once():
    history = []
    for i in range(KEPT_RUNS + 5):
        history = with_run(history, run_entry(state(f"r{i:02d}")))
    assert len(history) == KEPT_RUNS and history[0]["run_id"] == "r05" and history[-1]["run_id"] == "r34"
    again = with_run(history, run_entry(state("r20", articles=9)))
    assert [e["run_id"] for e in again].count("r20") == 1 and again[-1]["articles"] == 9
