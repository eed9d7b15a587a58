"""Shared fixtures: the spaCy pipeline and the quote filter once per session; the seeds; Prefect's test
harness; one small run of the seeds with copies and rejects, shared by the pipeline's and the report's tests."""
from pathlib import Path
import os
import shutil

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# Prefect sets up its console log handler once per process, on whatever sys.stderr is then: on the
# first use of its API (`from prefect import flow`), not on `import prefect`. First set up inside a
# test that captures output (capsys), the handler would keep that test's stream, closed when the
# test ends, and every later in-process flow run's log would fail (a RecursionError in logging:
# `pytest tests/test_cli.py tests/test_crash.py` did). Set up here, the handler writes to pytest's
# own capture, open for the whole session, whichever tests run.
from prefect.logging.configuration import ensure_logging_setup  # noqa: E402

ensure_logging_setup()

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "raw"
KAZAKH_SEED = SEEDS / "000_292c39b9a97e5f0d.txt"
EURONEWS_SEED = SEEDS / "002_3ba45e97169d3520.txt"


@pytest.fixture(scope="session")
def nlp():
    from models.nlp import load_nlp
    return load_nlp()


@pytest.fixture(scope="session")
def quote_filter():
    from transforms.quote_filter import load_model
    return load_model()


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (it takes ~25 s to start; on a busy
    machine over the harness's default 30 s limit, hence 120)."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory):
    """The two seeds, a copy of one, and one file of each kind that becomes a reject."""
    raw = tmp_path_factory.mktemp("raw")
    (raw / "kz").mkdir()
    shutil.copy(KAZAKH_SEED, raw / "kz" / "kazakh.txt")
    shutil.copy(EURONEWS_SEED, raw / "kz" / "euro news \u00e9.txt")
    shutil.copy(KAZAKH_SEED, raw / "a copy.txt")          # smaller source_path: the original
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text(" \n\n ")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (raw / "latin1.txt").write_bytes("Pound falls\n\nThe pound fell to \u00a31.20 against the dollar on Friday, "
                                     "traders said.".encode("latin-1"))
    (raw / "readme.md").write_text("not an article")
    return raw


@pytest.fixture(scope="session")
def seed_out(seed_corpus, tmp_path_factory, prefect_harness):
    """OUT of one run of seed_corpus (batches of 3); tests read it, none changes it."""
    from flows.pipeline import newspipe_run

    out = tmp_path_factory.mktemp("out")
    newspipe_run(raw_dir=str(seed_corpus), out_dir=str(out), batch_size=3)
    return out
