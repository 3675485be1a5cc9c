# The course's commands. Every target that needs Python sets up .venv first (once: a stamp keyed
# on requirements.txt and pyproject.toml makes later runs skip the install in a second).
#   make run      execute every notebook headless (papermill) into build/executed/
#   make test     the whole test suite (unit, structure, execution, browser)
#   make lab      JupyterLab on 127.0.0.1, token on, in notebooks/
#   make outputs  refresh the committed outputs (NB=03 for one notebook)
#   make lint     ruff over helpers, tests, tools and notebooks
#   make bench    execute the course and write build/bench.md
#   make clean    remove build/ and caches (keeps .venv; `make distclean` removes it too)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SETUP_KEY := $(shell cat requirements.txt pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
STAMP := $(VENV)/.setup-$(SETUP_KEY)
NB ?=
LAB_PORT ?= 8888

.PHONY: setup run test lab outputs lint bench clean distclean browser

setup: $(STAMP)

$(STAMP):
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' was not found. Install Python 3.10-3.12, or name one: make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' || { \
	  echo "error: $$($(PYTHON) --version 2>&1) is not supported: TensorFlow 2.21 needs Python 3.10-3.12 here. Use make PYTHON=python3.11"; exit 1; }
	@if [ ! -x $(BIN)/python ]; then \
	  echo "creating $(VENV) with $$($(PYTHON) --version)"; \
	  $(PYTHON) -m venv $(VENV) || { echo "error: could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)"; exit 1; }; \
	fi
	@echo "installing requirements.txt and helpers into $(VENV) (the first time takes a few minutes: TensorFlow is ~600 MB)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt || { \
	  echo "error: installing requirements.txt failed (pip's message is above). Check your network and disk space (~3 GB)."; exit 1; }
	@log=$$($(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation -e . 2>&1) || { \
	  echo "$$log"; echo "error: installing helpers (pip install -e .) failed (pip's message is above)."; exit 1; }
	@rm -f $(VENV)/.setup-* && touch $@
	@echo "set-up done"

run: $(STAMP)
	@$(BIN)/python -m tools.run_notebooks

# The browser test needs Chromium; install Debian's package when it is missing and we may.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || { \
	      echo "error: apt-get install chromium failed"; exit 1; }; \
	  else \
	    echo "note: chromium is not installed and cannot be installed here (needs root and apt-get): the browser test will be skipped"; \
	  fi; \
	fi

test: $(STAMP) browser
	@$(BIN)/python -m pytest

lab: $(STAMP)
	@$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --notebook-dir=notebooks \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

outputs: $(STAMP)
	@$(BIN)/python -m tools.stamp
	@$(BIN)/python -m tools.run_notebooks --in-place $(if $(NB),--only $(NB))

lint: $(STAMP)
	@$(BIN)/ruff check helpers tests tools notebooks conftest.py
	@$(BIN)/ruff format --check helpers tests tools conftest.py

bench: $(STAMP)
	@$(BIN)/python -m tools.run_notebooks --bench build/bench.md

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
