# `make run`: create .venv, install, refresh the corpus into outputs/cybernorms.duckdb.
# `make test`: the same set-up, then the whole test suite.
# Offline, point the refresh at a local ToTA copy: CYBERNORMS_SOURCE=../shared/corpora/tota/xml make run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install benchmark clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/cybernorms refresh

test: $(STAMP)
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python benchmarks/refresh_tota.py

clean:
	rm -rf $(VENV) outputs/cybernorms.duckdb outputs/cache outputs/logs
