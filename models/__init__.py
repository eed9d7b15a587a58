"""The models the transforms are run with, loaded once per process: not Prefect code and not a
transform. Transforms take a model as an argument and never load one (no I/O in transforms);
the flows' worker processes, the bench scripts and the tests load them from here."""
