"""Extraction on an existing Dask cluster: `newspipe run --dask-address tcp://HOST:PORT`.

Everything but the extraction stays in the flow's process and on its disk: discover, ingest,
duplicates, assemble, validate, publish. Each staged batch becomes one Prefect task
(`tasks.extract_texts`, which the flow hands to `extract_on_cluster`) submitted through
prefect-dask's DaskTaskRunner. The task carries the batch's texts (article_id, title, body)
and brings back its entity and quote rows, so the workers need neither the raw files nor OUT;
the rows are stored here (flows/tables.py) under the batch's part number and sorted at assembly
like a local run's, so the tables do not depend on how the work was split.

Workers are plain `dask worker` processes started from an environment where newspipe is
installed (the project's venv); each keeps the spaCy model it loaded for every later batch. The
task runs report to the flow's Prefect server (PREFECT_API_URL, carried with each task), so a
Dask run needs one. `check` makes sure, before anything is touched, that the scheduler answers,
has workers, and that every worker reaches that server and runs the extraction code and
packages of this process (else the rows would depend on which worker took which batch).
Nothing here imports Dask until it is used.
"""
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
import socket
from typing import TYPE_CHECKING

from flows import store
from flows.settings import DASK_ADDRESS_ENV

if TYPE_CHECKING:                   # the store imports the transforms: a worker's probe needs none of them
    from flows.tables import TableStore

CONNECT_TIMEOUT_SECONDS = 10
# Batches submitted ahead per worker thread: no thread waits for its next batch, and neither
# this process nor the scheduler holds the texts of the whole corpus at once.
IN_FLIGHT_PER_THREAD = 2


class ClusterUnusable(Exception):
    """The Dask cluster cannot run the extraction; the message says what to do."""


class ClusterLost(Exception):
    """The cluster failed during the extraction: the run stops, the published tables stay."""


@dataclass(frozen=True)
class Cluster:
    address: str
    threads: dict[str, int]     # worker address -> threads

    def describe(self) -> str:
        return f"{len(self.threads)} workers, {sum(self.threads.values())} threads"


def check(address: str, warm_up: bool = False, timeout: float = CONNECT_TIMEOUT_SECONDS) -> Cluster:
    """The scheduler at `address` answers and has workers, each able to extract as this process
    does and to reach this process's Prefect server. With `warm_up`, the workers start loading
    the spaCy model now, while this process ingests, so the first batches do not wait for it."""
    _answers(address, timeout)
    api_url = _prefect_server()
    import distributed

    fix = f"start one with `.venv/bin/dask scheduler` or fix --dask-address / {DASK_ADDRESS_ENV}"
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterUnusable(f"no Dask scheduler answers at {address} ({type(err).__name__}: {err}); {fix}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ClusterUnusable(f"the Dask scheduler at {address} has no workers after {timeout:.0f} s; start them "
                                  f"from the project's venv: `.venv/bin/dask worker {address} --nthreads 1`") from None
        threads = client.nthreads()
        answers = client.run(_newspipe_probe(), api_url, on_error="return")
        problems = _problems(answers, worker_fingerprint(), api_url)
        if problems:
            more = f" (and {len(problems) - 1} more workers)" if len(problems) > 1 else ""
            raise ClusterUnusable(problems[0] + more)
        if warm_up:
            from models.nlp import start_worker

            for worker in threads:
                distributed.fire_and_forget(client.submit(start_worker, workers=[worker], pure=False))
    return Cluster(address, dict(sorted(threads.items())))


def worker_fingerprint() -> dict[str, str]:
    """What decides the extraction's rows in this process: the transforms' code and the
    versions of spaCy and its model (the part of the run fingerprint extraction depends on).
    A dict: it travels back from each worker beside its errors."""
    return store.code_fingerprint().extraction()


def extract_on_cluster(tables: "TableStore", parts: list[Path], cluster: Cluster, extract_texts) -> Iterator[int]:
    """One `extract_texts` task (tasks.extract_texts) per staged batch, a few per worker thread
    ahead; each batch's rows are stored here as they come back. Yields each batch's number of
    articles."""
    if not parts:
        return
    from distributed import KilledWorker, as_completed
    from distributed.client import FutureCancelledError
    from prefect import get_run_logger
    from prefect_dask import DaskTaskRunner

    todo = iter(parts)
    running = {}                 # Dask key -> (staged part, its Prefect future, number of articles)
    batches_by_worker = Counter()
    with DaskTaskRunner(address=cluster.address) as runner:
        def submit_next():
            if (part := next(todo, None)) is None:
                return None
            articles = tables.read_part(part)
            future = runner.submit(extract_texts, parameters={"articles": articles, "batch": part.stem})
            running[future.wrapped_future.key] = (part, future, articles.height)
            return future.wrapped_future

        ahead = IN_FLIGHT_PER_THREAD * max(1, sum(cluster.threads.values()))
        first = [f for f in (submit_next() for _ in range(ahead)) if f is not None]
        finished = as_completed(first, loop=runner.client.loop)
        for done in finished:
            part, future, articles = running.pop(done.key)
            kept = ("the published tables stay; the next run reuses the "
                    f"{sum(batches_by_worker.values())} batches that came back")
            try:
                extraction = future.result()
            except FutureCancelledError as err:
                raise ClusterLost(f"the Dask scheduler at {cluster.address} went away during the extraction "
                                  f"({err.reason}); {kept}") from None
            except KilledWorker as err:
                raise ClusterLost(f"batch {part.stem} killed {err.allowed_failures + 1} Dask workers one after the "
                                  f"other (out of memory?), the last {err.last_worker.address}: see the workers' "
                                  f"logs; {kept}") from None
            batches_by_worker[extraction.worker] += 1
            done.release()       # else the scheduler would recompute it if its worker died
            tables.write_extraction(part, extraction.entities, extraction.quotes)
            yield articles
            if (more := submit_next()) is not None:
                finished.add(more)
    get_run_logger().info("extracted %d batches on the Dask cluster at %s: %s", sum(batches_by_worker.values()),
                          cluster.address, ", ".join(f"{n} on {w}" for w, n in sorted(batches_by_worker.items())))


def _prefect_server() -> str:
    """PREFECT_API_URL, which the tasks carry to the workers: they report their task runs (states,
    logs) there. Without it the flow runs on a temporary server of its own, on loopback, whose
    address changes from run to run, while a worker process keeps sending its events to the
    first server it knew: the task runs of later runs would be lost."""
    from prefect.settings import PREFECT_API_URL

    if not (api_url := PREFECT_API_URL.value()):
        raise ClusterUnusable("a Dask run needs a Prefect server that the workers reach, for their task runs: start "
                              "one (`.venv/bin/prefect server start --host 0.0.0.0`) and export "
                              "PREFECT_API_URL=http://HOST:4200/api (README, \"Running on a cluster\")")
    return api_url.rstrip("/")


def _answers(address: str, timeout: float) -> None:
    """A TCP scheduler address that takes connections: a refused port or an unknown host is
    reported at once, instead of after the client's connection retries."""
    scheme, sep, location = address.rpartition("://")
    if (scheme if sep else "tcp") not in ("tcp", "tls"):
        return                   # other transports (ucx, inproc): the client's own error
    host, _, port = location.rpartition(":")
    host = host.strip("[]")      # an IPv6 host is written [::1]:8786
    if not host or not port.isdigit():
        raise ClusterUnusable(f"{address!r} is not a Dask scheduler address; give it as tcp://HOST:PORT "
                              "(`dask scheduler` prints it as 'Scheduler at: ...')")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as err:
        raise ClusterUnusable(f"no Dask scheduler answers at {address} ({err.strerror or err}); start one with "
                              f"`.venv/bin/dask scheduler` or fix --dask-address / {DASK_ADDRESS_ENV}") from None


def _newspipe_probe():
    """The function the workers run to show what they would extract with, and whether they
    reach the Prefect API. It is local, so it is sent by value and runs even where newspipe
    cannot be imported, to say so."""
    def probe(api_url):
        try:
            from flows.cluster import worker_fingerprint
        except ImportError as err:
            return {"error": f"{type(err).__name__}: {err}"}
        import httpx

        answer = worker_fingerprint()
        try:
            httpx.get(f"{api_url}/health", timeout=10).raise_for_status()
        except httpx.HTTPError as err:
            answer["api_error"] = f"{type(err).__name__}: {err}"
        return answer
    return probe


def _problems(answers: dict, here: dict[str, str], api_url: str) -> list[str]:
    """One sentence per worker that would not extract as this process does."""
    problems = []
    for worker, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            problems.append(f"the Dask worker {worker} failed to answer ({type(answer).__name__}: {answer}); "
                            "see its log")
        elif "error" in answer:
            problems.append(f"the Dask worker {worker} cannot import newspipe ({answer['error']}); start the workers "
                            "from the project's venv (`.venv/bin/dask worker ...`), where `make setup` installed it")
        elif "api_error" in answer:
            problems.append(f"the Dask worker {worker} cannot reach the Prefect API at {api_url} "
                            f"({answer['api_error']}), where it reports its task runs; run a Prefect server the "
                            "workers reach and export PREFECT_API_URL (README, \"Running on a cluster\")")
        elif answer != here:
            differs = ", ".join(f"{part} {answer.get(part)} there, {value} here" for part, value in here.items()
                                if answer.get(part) != value)
            problems.append(f"the Dask worker {worker} runs other extraction code or packages than this newspipe "
                            f"({differs}); start every worker from a checkout of the same commit after `make setup`")
    return problems
