"""Pure transforms: text and frames in, frames out. No Prefect, no file I/O."""
