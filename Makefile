# Two commands for a new user: `make run` and `make test`. Both create .venv and install what they need.
# bash for pipefail: a failed install must stop make, even with its output filtered
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
PIP_QUIET := --quiet --disable-pip-version-check
# First installs take a minute or two: say so, and let pip show one line per package (not its whole log).
PIP_SHOW := --disable-pip-version-check --progress-bar off

.PHONY: run test lint system-deps bench docs-pictures clean

run: $(APP_STAMP)
	$(PY) -m streamlit run serve.py --server.port $(or $(PORT),8501) --browser.gatherUsageStats false

test: $(DEV_STAMP) system-deps lint
	PY=$(PY) bash scripts/security-checks.sh
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

system-deps:
	@bash scripts/install-system-deps.sh

bench: $(DEV_STAMP) system-deps
	$(PY) -m benchmarks

# The handout pictures in README.md and docs/handout.md, drawn again from the code (after a change of the look).
docs-pictures: $(APP_STAMP)
	$(PY) -m rehab page1 -o docs/handout-page1.png
	$(PY) -m rehab page1 --page 2 -o docs/handout-compact-cards.png
	$(PY) -m rehab page1 --layout booklet --page 3 -o docs/handout-booklet-card.png

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip

$(APP_STAMP): requirements.txt | $(PY)
	@echo "Installing the app's Python packages into $(VENV) (first time only; about two minutes)..."
	set -o pipefail; $(PY) -m pip install $(PIP_SHOW) -r requirements.txt | { grep -E '^(Collecting|Successfully)' || true; }
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	@echo "Installing the app's and the tests' Python packages into $(VENV) (first time only; a few minutes)..."
	set -o pipefail; $(PY) -m pip install $(PIP_SHOW) -r requirements.txt -r requirements-dev.txt \
		| { grep -E '^(Collecting|Successfully)' || true; }
	touch $(APP_STAMP) $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
