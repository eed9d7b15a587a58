"""Validation of the output tables with Great Expectations: the suites as JSON, the facts in Polars.

GX cannot join tables or read Polars, so `checks` turns each table into a frame of ids, lengths,
labels and booleans, and `validate` runs the suites on those frames and writes the Data Docs.
"""
