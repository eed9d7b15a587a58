"""Shared fixtures: the spaCy pipeline and the quote filter once per session; the seeds; Prefect's test harness."""
from pathlib import Path
import os

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

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
