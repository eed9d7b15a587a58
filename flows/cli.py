"""`newspipe run | serve | verify | clean`: the command line. Exit codes: 0 ok, 1 validation failed (or
`verify` found damage), 2 bad input,
3 the run crashed, 141 the reader of the output went away (`newspipe clean FILE --explain | head`:
quietly, with the status a shell gives a Unix tool that SIGPIPE stopped)."""
import argparse
import gc
import os
from pathlib import Path
import sys
import threading

from flows.settings import (DASK_ADDRESS_ENV, DEFAULT_BATCH_SIZE, DEFAULT_MAX_FILE_MB, DEFAULT_OUT_DIR,
                            DEFAULT_RAW_DIR, dask_address, embedded_server_defaults)

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 128 + 13      # 128 + SIGPIPE


def _quiet_defaults() -> None:
    """Telemetry off unless the user turned it on; set before Prefect or GX are imported."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # Prefect's client telemetry: in a terminal, a first import prints a notice and starts a
    # thread to send an event, and with that thread the temporary server cannot be forked
    # (flows/embedded_server.py). Off too, unless the user turned Prefect's analytics on.
    if os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"].strip().lower() in ("false", "0", "no", "off"):
        os.environ.setdefault("DO_NOT_TRACK", "1")
    # the embedded server's 30 s default is too short on a loaded machine
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newspipe", description="Raw news texts to validated Parquet tables of articles, entities and quotes.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the pipeline once on the embedded Prefect server")
    _add_run_options(run)
    run.add_argument("--full", action="store_true",
                     help="process every raw file again, not only the new and changed ones")
    serve = sub.add_parser("serve", help="serve the flow on a schedule against the Prefect server in PREFECT_API_URL")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='schedule, e.g. "0 * * * *" for hourly (cron has minute granularity)')
    when.add_argument("--interval", type=float, metavar="SECONDS", help="run every SECONDS instead of on a cron schedule")
    serve.add_argument("--name", default="newspipe-scheduled", help="deployment name (default: %(default)s)")
    _add_run_options(serve)
    verify = sub.add_parser("verify", help="check the published tables and state against the checksums recorded "
                                           "when they were published; list every damaged file")
    verify.add_argument("--out-dir", default=DEFAULT_OUT_DIR, type=Path, help="output folder (default: data/out)")
    clean = sub.add_parser("clean", help="show how one raw file is cleaned")
    clean.add_argument("file", type=Path)
    clean.add_argument("--explain", action="store_true", help="list every line with the decision and its reason")
    clean.add_argument("--out-dir", type=Path, default=None,
                       help="judge repeated lines with the corpus-wide line counts of this output folder, "
                            "as a run would with FILE in its corpus (default: no counts)")
    return parser


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """The flow's parameters, the same for a one-off run and a scheduled one."""
    parser.add_argument("--raw-dir", default=DEFAULT_RAW_DIR, type=Path, help="folder of raw *.txt articles (default: data/raw)")
    parser.add_argument("--out-dir", default=DEFAULT_OUT_DIR, type=Path, help="folder for tables and report (default: data/out)")
    parser.add_argument("--batch-size", default=DEFAULT_BATCH_SIZE, type=int, help="articles per batch (default: %(default)s)")
    parser.add_argument("--max-file-mb", default=DEFAULT_MAX_FILE_MB, type=float,
                        help="larger raw files are rejected as too_large (default: %(default)s)")
    parser.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                        help="extract entities and quotes on the workers of this Dask scheduler "
                             f"(default: ${DASK_ADDRESS_ENV}; unset or empty: on this machine)")


def main(argv: list[str] | None = None) -> int:
    _quiet_defaults()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "clean":
            return _clean(args.file, args.explain, args.out_dir)
        if args.command == "serve":
            return _serve(args)
        if args.command == "verify":
            return _verify(args.out_dir)
        return _run(args)
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED


def _flow_parameters(args) -> dict:
    return {"raw_dir": str(args.raw_dir.resolve()), "out_dir": str(args.out_dir.resolve()),
            "batch_size": args.batch_size, "max_file_mb": args.max_file_mb, "full": getattr(args, "full", False),
            "dask_address": args.dask_address}   # None: the flow reads NEWSPIPE_DASK_ADDRESS


def _serve(args) -> int:
    """Schedules need a real Prefect server; the embedded temporary one dies with the process.
    One serve per OUT (exit 3 for a second one)."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        return _fail(EXIT_USAGE, "serve needs a Prefect server: run `prefect server start` and "
                                 "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    if (bad := _bad_parameters(args)) is not None:
        return bad
    if args.interval is not None and args.interval <= 0:
        return _fail(EXIT_USAGE, "--interval must be a positive number of seconds")
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        if (err := client.api_healthcheck()) is not None:
            return _fail(EXIT_USAGE, f"no Prefect server answers at PREFECT_API_URL={api_url} ({type(err).__name__}); "
                                     "start one with `prefect server start` or fix the URL")
    from flows import store

    out = args.out_dir.resolve()
    try:
        with store.lock_serving(out):
            _serve_locked(args, api_url, out)
    except store.OutBusy as busy:
        return _fail(EXIT_ERROR, str(busy))
    return EXIT_OK


def _serve_locked(args, api_url: str, out: Path) -> None:
    """Serve until stopped, through outages of the server (flows/serving.py); pause the schedule
    when stopped, as Prefect's runner does."""
    from flows import serving
    from flows.pipeline import newspipe_run

    # limit=1: runs of one deployment share OUT, so a run that overruns its slot delays the next
    # instead of overlapping it. pause_on_shutdown=False: a runner that stops because the server
    # went away could not pause the schedule, and trying first would keep it from stopping its run.
    def serve() -> None:
        newspipe_run.serve(name=args.name, cron=args.cron, interval=args.interval, limit=1,
                           parameters=_flow_parameters(args), pause_on_shutdown=False)

    try:
        serving.serve_through_outages(serve, api_url, str(out), say=lambda m: print(f"newspipe: {m}", file=sys.stderr))
    finally:
        serving.pause_schedule(f"{newspipe_run.name}/{args.name}")


def _bad_parameters(args) -> int | None:
    """Checked before Prefect starts, so a typo costs no server start-up."""
    if not args.raw_dir.is_dir():
        return _fail(EXIT_USAGE, f"raw dir {args.raw_dir} does not exist; put *.txt articles there or pass --raw-dir")
    if args.batch_size < 1:
        return _fail(EXIT_USAGE, "--batch-size must be at least 1")
    if address := dask_address(args.dask_address):
        from flows.cluster import ClusterUnusable, check

        try:
            check(address)
        except ClusterUnusable as unusable:
            return _fail(EXIT_USAGE, str(unusable))
    return None


def _run(args) -> int:
    if (bad := _bad_parameters(args)) is not None:
        return bad
    server = _start_temporary_server()   # before anything slow: it comes up while the rest goes on
    if not args.full and (unchanged := _nothing_changed(args)):
        if server:
            server.stop()
        print(f"newspipe: {unchanged}", file=sys.stderr)
        return EXIT_OK
    if not dask_address(args.dask_address):
        from flows import workers

        workers.warm_up()   # the spaCy workers load their model while Prefect starts
    if _configured_api_url() and server:   # a Prefect profile names a server: use it
        server.stop()
        server = None
    language_model = _language_model_loading()
    from flows.pipeline import ValidationFailed, newspipe_run
    from flows.embedded_server import ServerFailed
    from flows.store import DiskFull
    from prefect.settings import temporary_settings

    try:
        if server:
            from expectations.validate import preload

            preload()   # while the server and the workers start (expectations.validate.preload)
            server.wait_ready()
        language_model.join()
        with temporary_settings(updates=_client_settings(server.api_url) if server else {}):
            newspipe_run(**_flow_parameters(args))
    except ValidationFailed as failed:
        return _fail(EXIT_INVALID, f"validation failed: {failed}")
    except (DiskFull, ServerFailed) as failed:   # says where, how much, and what to do
        return _fail(EXIT_ERROR, str(failed))
    except Exception as err:  # one line for the person; Prefect has logged the traceback
        return _fail(EXIT_ERROR, f"run failed: {type(err).__name__}: {err}")
    return EXIT_OK


def _language_model_loading() -> threading.Thread:
    """py3langid's model, loading in a thread beside the imports that follow: most of its 0.5 s
    of CPU is LZMA decompression, which runs without the GIL. Joined before the run (the ingest
    needs it). Started after the temporary server's fork, which wants this process's only thread.
    """
    from transforms.lang import load_model

    loading = threading.Thread(target=load_model, name="newspipe-language-model", daemon=True)
    loading.start()
    return loading


def _start_temporary_server():
    """With no PREFECT_API_URL, Prefect's temporary server, started now (flows/embedded_server.py)
    without the services a one-run server never needs (flows/settings.py); None with one set."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    from flows.embedded_server import TemporaryServer

    return TemporaryServer.start({**os.environ, **embedded_server_defaults(os.environ, None)})


def _client_settings(api_url: str) -> dict:
    """The run's Prefect settings with the temporary server: its URL, and no "View at" link (it
    has no UI, as Prefect's own temporary server has none). No flow-run heartbeats either,
    unless the user set their frequency: they let a lasting server mark a run that died
    silently as crashed, which a server that dies with the run never does, and the run waited
    for the heartbeat thread at its end (Prefect joins it; it sleeps in steps of a second).
    On bbc/politics, from write_report's end to the exit, 4 alternating pairs: 0.76, 1.14, 1.34,
    1.32 s with heartbeats, 0.47, 0.50, 0.57, 0.57 s without."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, PREFECT_UI_URL

    settings = {PREFECT_API_URL: api_url, PREFECT_UI_URL: ""}
    if not {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"} & set(os.environ):
        settings[PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
    return settings


def _configured_api_url() -> str | None:
    """The Prefect server of the environment or the active Prefect profile."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def _nothing_changed(args) -> str | None:
    """The flow's own first question, asked before Prefect starts (10-15 s): when no raw file,
    option or code changed since the published run, there is nothing to do."""
    from flows import planning, store

    try:
        files = store.discover(args.raw_dir)
        plan = planning.make_plan(args.raw_dir, args.out_dir, files, planning.run_options(args.max_file_mb), full=False)
    except Exception:  # noqa: BLE001 - the flow runs and reports whatever this was
        return None
    if not plan.nothing_changed:
        return None
    return (f"nothing changed since run {plan.previous.run_id} ({plan.files.height} raw files unchanged): "
            f"the published tables in {args.out_dir} stay; --full processes everything again")


def _verify(out_dir: Path) -> int:
    """Each damaged file on a line of its own; nothing at all when the version is whole."""
    from flows.checksums import check_published

    verdict = check_published(out_dir)
    if verdict.version is None:
        return _fail(EXIT_USAGE, f"{out_dir} holds no published version; run `newspipe run --out-dir {out_dir}` first")
    for problem in verdict.problems:
        print(f"{out_dir}/{problem}")
    if verdict.problems:
        return _fail(EXIT_INVALID, f"{len(verdict.problems)} damaged files in the published version of {out_dir}; "
                                   f"the next `newspipe run --out-dir {out_dir}` rebuilds the tables from the raw files")
    if not verdict.recorded:
        print(f"newspipe: every Parquet file of {out_dir} reads whole, but this version was published before "
              "newspipe recorded checksums: the next run that publishes records them", file=sys.stderr)
    return EXIT_OK


def _clean(path: Path, explain: bool, out_dir: Path | None = None) -> int:
    from transforms.clean import line_model
    from transforms.clean import REPEAT_MIN_ARTICLES, clean_text
    from transforms.decode import Rejected, decode_bytes

    try:
        text = decode_bytes(path.read_bytes()).text
    except OSError as err:
        return _fail(EXIT_USAGE, f"cannot read {path}: {err}")
    except Rejected as rejected:
        return _fail(EXIT_INVALID, f"{path} would be rejected: {rejected}")
    seen_in, corpus = None, "no corpus line counts (give --out-dir OUT to judge repeated lines as a run on OUT would)"
    if out_dir is not None:
        from flows import store
        from transforms import corpus_lines

        found = store.read_published_lines(out_dir)
        if found is None:
            return _fail(EXIT_USAGE, f"{out_dir} holds no published run with line counts; run `newspipe run "
                                     f"--out-dir {out_dir}` first (or leave out --out-dir)")
        version, lines = found
        seen_in = corpus_lines.seen_in_with(lines, path.name, text)
        frequent = sum(n >= REPEAT_MIN_ARTICLES for n in seen_in.values())
        corpus = (f"line counts of run {version.run_id} in {out_dir}: {frequent} short lines of this file are in "
                  f"{REPEAT_MIN_ARTICLES}+ articles")
    model = line_model.shipped()
    cleaned = clean_text(text, seen_in, body_model=model.explaining() if explain else model)
    print(f"title: {cleaned.title}")
    for name in ("byline", "publisher", "dateline", "published"):
        if getattr(cleaned, name):
            print(f"{name}: {getattr(cleaned, name)}")
    for credit in cleaned.credits:
        print(f"credit: {credit}")
    if explain:
        print(f"corpus: {corpus}")
        alone = {d.line_no: d.role for d in clean_text(text).decisions} if seen_in else {}
        for d in cleaned.decisions:
            if d.role != "blank":
                mark = "+" if d.role == "body" else "-"
                reason = d.reason
                if alone and (alone[d.line_no] == "body") != (d.role == "body"):
                    reason += " [decided by the corpus counts: " + ("kept" if alone[d.line_no] == "body" else "dropped") \
                        + " without them]"
                print(f"{mark} {d.line_no + 1:>4} {d.role:<11} {reason:<40} | {d.text[:100]}")
    else:
        print()
        print(cleaned.body)
    return EXIT_OK


def _fail(code: int, message: str) -> int:
    print(f"newspipe: {message}", file=sys.stderr)
    return code


def entry_point() -> None:
    """The `newspipe` command. The garbage collector is frozen before exiting: the interpreter's
    last collections would otherwise walk everything Prefect, Polars and Great Expectations
    built (about a second of CPU), only to free memory the exit frees anyway. Unlike os._exit,
    exit handlers still run (Prefect's log flush, the temporary server's stop), and whatever
    reference counting frees is finalised as before; only objects in reference cycles are left
    to the exit, which Python never promised to finalise."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
