# okrkit — the single entry point. `make run` and `make test` work on a fresh machine:
# each creates or refreshes .venv from pyproject.toml before it runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.okrkit-installed

.DEFAULT_GOAL := help
.PHONY: help venv run test test-domain test-cli lint fmt bench system-deps

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

system-deps:  ## install the Debian packages the suite needs, when missing
	@scripts/install-system-deps

# The stamp is newer than pyproject.toml once the environment matches it.
$(STAMP): pyproject.toml scripts/install-system-deps
	@scripts/install-system-deps --venv-only
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

venv: $(STAMP)  ## create or refresh .venv from pyproject.toml

run: $(STAMP)  ## serve the web app with the demo workspace on http://127.0.0.1:8000
	$(BIN)/okrkit serve --demo

test: $(STAMP) system-deps  ## run the whole test suite
	$(BIN)/pytest -q -n auto

test-domain: $(STAMP)  ## run the domain tests only
	$(BIN)/pytest -q tests/domain

test-cli: $(STAMP)  ## run the CLI tests only
	$(BIN)/pytest -q tests/cli

lint: $(STAMP)  ## ruff (lint + format check), mypy, the import contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)  ## format the code and apply safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)  ## run the benchmarks in bench/
	$(BIN)/python bench/domain.py
	$(BIN)/python bench/lint_quality.py
