# The course's commands. Every target that needs Python sets up $(VENV) first (once: a stamp keyed
# on requirements.txt and pyproject.toml makes later runs skip the install in a second).
#   make run      execute every notebook headless (papermill) into build/executed/
#   make check    lint and the tests that start no kernel (seconds): the inner loop
#   make test     the whole test suite (adds notebook execution, environments, browser)
#   make lab      JupyterLab on 127.0.0.1, token on, in notebooks/
#   make outputs  refresh the committed outputs (NB=03 for one notebook)
#   make lint     ruff over helpers, tests, tools and notebooks
#   make bench    execute the course and write build/bench.md
#   make claims   run notebooks over seeds 1-20 and their parameters' range ends; count each claim
#                 (build/claims.md; publishes results/claims.json); a slice: ARGS="--only 05 --seeds 1-3"
#   make charlm   retrain notebook 8's strong language model into helpers/charlm/ (10-16 min on 2 cores)
#   make site     the course's website from the committed notebooks (nothing executed): build/site/
#   make colab    build (make colab-setup) Colab's package versions (colab-versions.txt) and run every notebook there
#   make browser  install Debian's Chromium for the browser tests (needs root and apt-get)
#   make clean    remove build/ and caches (keeps the venvs; `make distclean` removes them too)
# Variables: PYTHON=python3.13 (the interpreter to build $(VENV) with), VENV=.venv-py313,
# ARGS="-p SEED 3" (passed to the notebook runner by run), NB=03 (outputs).

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SETUP_KEY := $(shell cat requirements.txt pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
STAMP := $(VENV)/.setup-$(SETUP_KEY)
NB ?=
ARGS ?=
LAB_PORT ?= 8888
COLAB_PYTHON ?= python3.13
COLAB_VENV ?= .venv-colab
COLAB_KEY := $(shell cat colab-versions.txt 2>/dev/null | sha256sum | cut -c1-16)
PIP := --quiet --disable-pip-version-check

.PHONY: setup run check test lab outputs lint bench claims charlm site colab colab-setup browser clean distclean

# Stop before installing anything unless $(1) is a Python that TensorFlow publishes wheels for.
define check_python
	@command -v $(1) >/dev/null 2>&1 || { \
	  echo "error: '$(1)' was not found. Install Python 3.10-3.13 and name it: make PYTHON=python3.12"; exit 1; }
	@$(1) -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || { \
	  echo "error: $$($(1) --version 2>&1) is not supported: TensorFlow 2.21 publishes wheels for Python 3.10-3.13 only."; \
	  echo "Install one of those (e.g. from python.org, pyenv or your package manager) and name it: make PYTHON=python3.12"; exit 1; }
endef

setup: $(STAMP)

$(STAMP):
	$(call check_python,$(PYTHON))
	@if [ ! -x $(BIN)/python ]; then \
	  echo "creating $(VENV) with $$($(PYTHON) --version)"; \
	  $(PYTHON) -m venv $(VENV) || { echo "error: could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)"; exit 1; }; \
	fi
	@echo "installing requirements.txt and helpers into $(VENV) (the first time takes a few minutes: TensorFlow is ~600 MB)"
	@$(BIN)/python -m pip install $(PIP) -r requirements.txt || { \
	  echo "error: installing requirements.txt failed (pip's message is above). Check your network and disk space (~3 GB)."; exit 1; }
	@log=$$($(BIN)/python -m pip install $(PIP) --no-build-isolation -e . 2>&1) || { \
	  echo "$$log"; echo "error: installing helpers (pip install -e .) failed (pip's message is above)."; exit 1; }
	@rm -f $(VENV)/.setup-* && touch $@
	@echo "set-up done: $$($(BIN)/python --version) in $(VENV)"

run: $(STAMP)
	@$(BIN)/python -m tools.run_notebooks $(ARGS)

check: $(STAMP) lint
	@$(BIN)/python -m pytest -q -m "not notebook and not env and not browser and not train"

# Two workers; each runs whole files (a notebook's cells share one kernel).
test: $(STAMP)
	@$(BIN)/python -m pytest -n 2 --dist loadfile

lab: $(STAMP)
	@$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) --notebook-dir=notebooks \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

outputs: $(STAMP)
	@$(BIN)/python -m tools.stamp
	@$(BIN)/python -m tools.run_notebooks --in-place $(if $(NB),--only $(NB))

charlm: $(STAMP)
	@$(BIN)/python -m tools.charlm $(ARGS)

lint: $(STAMP)
	@$(BIN)/ruff check helpers tests tools site notebooks conftest.py
	@$(BIN)/ruff format --check helpers tests tools site conftest.py

bench: $(STAMP)
	@$(BIN)/python -m tools.run_notebooks --bench build/bench.md

# Every notebook over many seeds and at its parameters' range ends (an author's tool: hours for
# the whole course). With ARGS, a slice that writes build/ only, unless ARGS has --publish.
claims: $(STAMP)
	@$(BIN)/python -m tools.claims $(or $(ARGS),--publish)

# The course's website from the notebooks as committed (nothing executed), into build/site/.
site: $(STAMP)
	@$(BIN)/python site/build.py

$(COLAB_VENV)/.colab-$(COLAB_KEY):
	$(call check_python,$(COLAB_PYTHON))
	@$(COLAB_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' || { \
	  echo "error: Colab's runtime has Python 3.13; name one: make colab COLAB_PYTHON=/path/to/python3.13"; exit 1; }
	@rm -rf $(COLAB_VENV) && $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	@echo "installing Colab's package versions (colab-versions.txt) into $(COLAB_VENV)"
	@$(COLAB_VENV)/bin/python -m pip install $(PIP) -r colab-versions.txt || { \
	  echo "error: installing colab-versions.txt failed (pip's message is above)"; exit 1; }
	@touch $@

colab-setup: $(COLAB_VENV)/.colab-$(COLAB_KEY)

# helpers is NOT installed there: each notebook's setup cell installs it, as in Colab.
colab: $(COLAB_VENV)/.colab-$(COLAB_KEY)
	@$(COLAB_VENV)/bin/python -m tools.run_notebooks --fresh-install --out-dir build/colab $(ARGS)

# The browser tests need Chromium; `make test` never installs anything, this target does.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || { \
	      echo "error: apt-get install chromium failed"; exit 1; }; \
	  else \
	    echo "error: chromium is missing and cannot be installed here (needs root and apt-get); install it with your package manager"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv*' -exec rm -rf {} +

distclean: clean
	rm -rf .venv .venv-* *.egg-info
