# The two commands of the README: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RAW    ?= data/raw
OUT    ?= data/out

export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: run test setup clean-out

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newspipe run --raw-dir $(RAW) --out-dir $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

clean-out:
	find $(OUT) -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
