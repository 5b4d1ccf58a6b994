# The two commands in the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export HOTH_DEBUG ?= 1

.PHONY: run test ci screenshots install assets demo serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed assets

assets: hoth/static/vendor/.built

hoth/static/vendor/.built: package-lock.json hoth/assets/hoth.scss scripts/build-assets
	bash scripts/build-assets
	touch $@

demo: install
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_reference_data
	$(PY) manage.py generate_partnership --size small --seed 1 --if-empty
	$(PY) manage.py freeze_figures --if-missing
	$(PY) manage.py demo_sign_ins

# The worker runs background jobs (imports, PDFs, the daily jobs) beside
# runserver, in a process group of its own, so that stopping runserver
# (Ctrl-C) stops the worker and the process its reloader started too.
run: demo
	@set -m; $(PY) manage.py run_worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# What CI runs: the suite on SQLite and on PostgreSQL, browser tests included.
ci:
	bash .ci/run

# Refreshes the user guide's screenshots in docs/screenshots from the browser tests.
screenshots: install
	HOTH_SCREENSHOTS=1 $(PY) -m pytest tests/browser -q

# The checkpoints record the database removed with them; .local's secrets stay.
clean:
	rm -rf $(VENV) node_modules hoth/static/vendor staticfiles hoth.sqlite3 .local/audit-checkpoints
