# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo

.PHONY: demo test venv bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files so a changed pyproject.toml reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[ai]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,ai]'
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

# The peer `make bench` compares imports with (benchmarks/peers.py): qc, in a venv of its own, never gtcode's.
PEERS := .venv-peers
$(PEERS)/.installed:
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet qualitative-coding pypandoc-binary
	touch $@

demo: $(VENV)/.installed
	$(BIN)/gtcode demo $(DEMO_DIR)

# pytest-xdist: one worker per core (each test has its own folder, config and environment, see tests/conftest.py).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# A failed install of the peer is not fatal: peers.py then says qc was skipped.
bench: $(VENV)/.installed-test
	-$(MAKE) --no-print-directory $(PEERS)/.installed
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/peers.py
	$(BIN)/python benchmarks/coding.py
	$(BIN)/python benchmarks/autocode.py
	$(BIN)/python benchmarks/model.py
	$(BIN)/python benchmarks/tui.py
	$(BIN)/python benchmarks/team.py
	$(BIN)/python benchmarks/anchors.py
	$(BIN)/python benchmarks/scale.py $(if $(SCALE),--scale $(SCALE))
	$(BIN)/python benchmarks/reads.py $(if $(SCALE),--scale $(SCALE))
	$(BIN)/python benchmarks/assist.py
	$(BIN)/python benchmarks/suite.py

clean:
	rm -rf $(VENV) $(PEERS) $(DEMO_DIR) .pytest_cache
