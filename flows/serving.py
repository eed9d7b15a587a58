"""`newspipe serve` through outages of its Prefect server.

Prefect's runner polls the server for due runs. When the server goes away, a run in flight goes
on (its tasks need no server); after three failed polls in a row (about three minutes with
Prefect's default client retries) the runner stops, and stops the run in flight with it, which
leaves OUT as a kill does: the published tables untouched, the batches it extracted reused by
the next run. serve then waits for the server, marks that run Crashed (no runner runs it any
more), registers the deployment again with its schedule and serves on. A run that had already
published when it was stopped (only its report to the server was missing) leaves the whole new
version: the switch of `current` is atomic.
"""
from collections.abc import Callable, Iterator
import time

import httpx

CHECK_SECONDS = 5.0     # between two checks of a server that went away
THRESHOLD = "Service exceeded error threshold"   # what Prefect's runner raises when its polls fail
STOPPED = ("newspipe serve lost the Prefect server while this run was in flight, and the run's end was never "
           "reported: OUT holds the whole version it published, or the one before (OUT/_state/last_run.json says which)")


def serve_through_outages(serve: Callable[[], None], api_url: str, out_dir: str, say: Callable[[str], None]) -> None:
    """Call `serve` (it returns when the user stops it) again each time it stops because the
    server went away, once the server answers again."""
    while True:
        try:
            serve()
            return
        except Exception as err:  # noqa: BLE001 - sorted below: anything but a lost server goes up
            if server_answers(api_url) and not lost_the_server(err):
                raise
            say(f"lost the Prefect server at {api_url} ({type(err).__name__}): waiting for it, checking every "
                f"{CHECK_SECONDS:.0f} s; a run in flight was stopped: {out_dir} holds the whole version it "
                "published, or the one before")
        while not server_answers(api_url):
            time.sleep(CHECK_SECONDS)
        try:
            crashed = mark_stopped_runs_crashed(out_dir)
        except Exception:  # noqa: BLE001 - the server went away again: serving finds out and waits again
            crashed = 0
        say(f"the Prefect server at {api_url} answers again: serving again"
            + (f" ({crashed} run stopped by the outage marked Crashed)" if crashed else ""))


def server_answers(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=5).is_success
    except httpx.HTTPError:
        return False


def lost_the_server(err: BaseException) -> bool:
    """The runner stopped because it could not reach the server (connection errors, 5xx, or its
    error threshold), anywhere in the exception's causes or group."""
    return any(isinstance(e, httpx.TransportError)
               or (isinstance(e, httpx.HTTPStatusError) and e.response.status_code >= 500)
               or THRESHOLD in str(e) for e in _causes(err))


def mark_stopped_runs_crashed(out_dir: str) -> int:
    """Runs of newspipe writing `out_dir` that the server still shows Running or Pending: the
    runner that ran them stopped with the outage, and one serve serves an OUT (the serve lock),
    so none of them is running. Returns how many were marked Crashed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    in_flight = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
        any_=[StateType.RUNNING, StateType.PENDING])))
    with get_client(sync_client=True) as client:
        stale = [run for run in client.read_flow_runs(flow_run_filter=in_flight)
                 if run.parameters.get("out_dir") == out_dir]
        for run in stale:
            client.set_flow_run_state(run.id, Crashed(message=STOPPED), force=True)
    return len(stale)


def pause_schedule(deployment: str) -> None:
    """What Prefect's runner does when serve stops: no runs pile up while nobody serves them.
    Best effort: a server that is away is left as it is."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.pause_deployment(client.read_deployment_by_name(deployment).id)
    except Exception:  # noqa: BLE001 - stopping must not fail on the way out
        pass


def _causes(err: BaseException | None) -> Iterator[BaseException]:
    while err is not None:
        yield err
        for inner in getattr(err, "exceptions", ()):     # an ExceptionGroup from the runner's task group
            yield from _causes(inner)
        err = err.__cause__ or err.__context__
