"""Defaults shared by the CLI and the flow; importing this costs nothing (no Prefect, no spaCy)."""
DEFAULT_RAW_DIR = "data/raw"
DEFAULT_OUT_DIR = "data/out"
DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_FILE_MB = 5.0
# Layout of OUT/.versions/*/_state; a published run with another format is reprocessed in full.
STATE_FORMAT = 2      # 2: corpus line counts, body signatures and near pairs in the state

# The Dask scheduler that extracts the entities and quotes (README, "Running on a cluster").
DASK_ADDRESS_ENV = "NEWSPIPE_DASK_ADDRESS"


def dask_address(option: str | None = None) -> str | None:
    """--dask-address, else NEWSPIPE_DASK_ADDRESS; None when neither names a scheduler (the
    extraction then runs on this machine's worker pool)."""
    import os

    value = option if option is not None else os.environ.get(DASK_ADDRESS_ENV)
    return value.strip() or None if value else None


# Prefect's embedded temporary server (`newspipe run` with no PREFECT_API_URL) lives for one run
# and serves one client: the services it would otherwise run beside the API are work nobody
# reads. Measured with bench/bench_scale.py (issue 17 item 3); each is an ordinary Prefect 3
# setting, so a user who sets one keeps their value.
EMBEDDED_SERVER_SETTINGS = {
    # Task runs are recorded from their state events. Nobody can look at them in a server that
    # stops with the run (the flow run, its states, logs and artifacts are written by the API
    # itself and stay); the events themselves need no storing either.
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": "false",
    # automations (reactive and proactive triggers, their actions): none are defined
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    # the websocket streams of events and logs to subscribers (the UI, which is off)
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false",
    # the scheduler's services never run in an embedded server; neither does telemetry
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # Block types (storage, credentials) are registered for the flows that use blocks; newspipe's
    # use none. Even with nothing to register, the check first imports every installed Prefect
    # collection (prefect-dask imports dask.distributed) to hash its blocks: 0.4 s of the
    # server's CPU in start-up.
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


def embedded_server_defaults(environ: dict, api_url: str | None) -> dict:
    """EMBEDDED_SERVER_SETTINGS for the temporary server a run without a Prefect server starts
    (it inherits this process's environment), over the user's own settings; nothing when
    `api_url` names a server: a real server's services (the scheduler of `newspipe serve`, the
    UI's task runs) are its own, and this process never starts one."""
    if api_url:
        return {}
    return {name: value for name, value in EMBEDDED_SERVER_SETTINGS.items() if name not in environ}
