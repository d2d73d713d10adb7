# Two commands for a new user: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: run test lint system-deps bench clean

run: $(APP_STAMP)
	$(PY) -m streamlit run serve.py --server.port 8501 --browser.gatherUsageStats false

test: $(DEV_STAMP) system-deps lint
	PY=$(PY) bash scripts/security-checks.sh
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

system-deps:
	@bash scripts/install-system-deps.sh

bench: $(DEV_STAMP) system-deps
	$(PY) -m benchmarks

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip

$(APP_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install $(PIP_QUIET) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install $(PIP_QUIET) -r requirements.txt -r requirements-dev.txt
	touch $(APP_STAMP) $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
