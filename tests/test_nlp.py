"""models/nlp.py: a worker keeps the memory its batches free, for the next batch, and loads its
model at a lower priority than it extracts."""
import contextvars
import os
import subprocess
import sys
import threading

import pytest

from models.nlp import _nicer
from tests.conftest import REPO

FREE_AND_ALLOCATE = """
import resource, sys
import numpy
if sys.argv[1] == "reuse":
    from models.nlp import _reuse_freed_memory
    _reuse_freed_memory()
def batch():   # three 12 MB arrays freed together, as a layer's outputs are after a batch
    arrays = [numpy.ones(3 << 20, dtype=numpy.float32) for _ in range(3)]
    del arrays
batch()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    batch()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _page_faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", FREE_AND_ALLOCATE, mode], cwd=REPO, capture_output=True,
                          text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts glibc's page faults")
def test_freed_batches_are_reused_without_page_faults():
    """Real page faults, counted by the kernel: by default glibc trims the freed 36 MB off the
    heap and the next batch faults its pages in again."""
    default, reused = _page_faults("default"), _page_faults("reuse")
    assert default > 1000
    assert reused * 10 < default


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="threads have a niceness of their own on Linux")
def test_the_model_loads_nicer_and_the_worker_keeps_its_priority():
    """The load runs at the raised niceness, the calling thread (where the extraction runs)
    keeps its own, and what the load sets in context variables (thinc's current ops) is set
    in the calling thread afterwards."""
    loaded = contextvars.ContextVar("loaded", default=None)
    seen = {}

    def load():
        seen["niceness"] = _niceness()
        loaded.set("model")
    before = _niceness()
    _nicer(5, load)
    assert seen["niceness"] == min(19, before + 5)
    assert _niceness() == before
    assert loaded.get() == "model"


def test_a_failed_load_fails_the_worker_start():
    def load():
        raise RuntimeError("the model package is missing")
    with pytest.raises(RuntimeError, match="missing"):
        _nicer(5, load)
