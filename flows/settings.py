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
