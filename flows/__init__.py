"""Prefect flows and tasks: they move paths and batches; the work itself is in `transforms`."""
