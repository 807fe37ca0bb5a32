# okrkit — the single entry point. `make run` and `make test` work on a fresh machine:
# each creates or refreshes .venv from pyproject.toml before it runs. `make run`
# installs what the app needs; the targets that test or check also install the
# development tools (the `dev` extras), each with a stamp of its own.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP_STAMP := $(VENV)/.okrkit-app
DEV_STAMP := $(VENV)/.okrkit-dev
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.DEFAULT_GOAL := help
.PHONY: help venv run test test-domain test-cli lint fmt bench system-deps

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

system-deps:  ## install the Debian packages the suite needs, when missing
	@scripts/install-system-deps

# A stamp is newer than pyproject.toml once the environment matches it. The dev
# install holds the app's too, so it renews both stamps.
# $(call install,EXTRAS): .venv, created when missing, with okrkit[EXTRAS] installed.
# --no-compile: Python compiles a module when it first imports it; compiling every
# installed file up front took a third of a fresh `make run`'s install (9 of 24 s).
define install
	@scripts/install-system-deps --venv-only
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) --no-compile -e '.$(1)'
endef

$(APP_STAMP): pyproject.toml scripts/install-system-deps
	$(call install,)
	@touch $@

$(DEV_STAMP): pyproject.toml scripts/install-system-deps
	$(call install,[dev])
	@touch $@ $(APP_STAMP)

venv: $(DEV_STAMP)  ## create or refresh .venv from pyproject.toml, development tools included

run: $(APP_STAMP)  ## serve the web app with the demo workspace on http://127.0.0.1:8000
	$(BIN)/okrkit serve --demo

test: $(DEV_STAMP) system-deps  ## run the whole test suite
	$(BIN)/pytest -q -n auto

test-domain: $(DEV_STAMP)  ## run the domain tests only
	$(BIN)/pytest -q tests/domain

test-cli: $(DEV_STAMP)  ## run the CLI tests only
	$(BIN)/pytest -q tests/cli

lint: $(DEV_STAMP)  ## ruff (lint + format check), mypy, the import contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(DEV_STAMP)  ## format the code and apply safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(DEV_STAMP)  ## run the benchmarks in bench/
	$(BIN)/python bench/domain.py
	$(BIN)/python bench/lint_quality.py
