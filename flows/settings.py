"""Defaults shared by the CLI and the flow; importing this costs nothing (no Prefect, no spaCy)."""
DEFAULT_RAW_DIR = "data/raw"
DEFAULT_OUT_DIR = "data/out"
DEFAULT_BATCH_SIZE = 100
DEFAULT_MAX_FILE_MB = 5.0
# Layout of OUT/.versions/*/_state; a published run with another format is reprocessed in full.
STATE_FORMAT = 2      # 2: corpus line counts, body signatures and near pairs in the state
