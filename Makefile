# danhgia: the two set-up commands are `make demo` and `make test` (see README.md).
# Everything runs inside .venv, created here with the system python3.

PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (one per core by default); PYTEST_WORKERS=0 runs in one process.
# `--dist loadscope`: each test module runs whole on one worker, so a module-scoped fixture is
# built once per run (the shared demo: minutes of seeding; the month-end load run; the gunicorn
# server). Not loadgroup's `xdist_group` mark: pytest-xdist 3.8 cannot apply it under pytest 9.
# `--no-loadscope-reorder`: modules go out in collection order, not by their number of tests, so
# the demo's (few tests, the longest module) starts early instead of late and ends no later than
# the rest. Modules meet in any order on a worker; a test that commits for real puts the
# migrations' rows back after its flush (tests/shipped_rows.py), so no test depends on the order.
PYTEST_WORKERS ?= auto
PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: demo test lint bench venv

## make demo: install the app, load the demo province, serve it on http://127.0.0.1:$(PORT) with its worker
demo: $(VENV)/.installed-runtime
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(PY) manage.py seed_demo
	@# The background worker (exports, daily reminders) runs beside the web server and stops with it.
	DEBUG=0 $(PY) manage.py run_huey --workers 2 --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=0 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: install the development tools and run the whole suite (browser tests included)
test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

## make lint: style, types, layers, migrations and translations, as CI runs them
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy danhgia config
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

## make bench: build the generated province once (bench/province.py), then measure every figure
## on it in one table (bench/suite.py), then issue 16's tables: opening a month and the annual
## roll-up with COMMIT's checks against their floors (bench/bench_opening.py, 5,000 people) and
## CPU per request against the layout floor (bench/bench_requests.py, on bench/load/seed.py's
## template). Every table is printed; the status is 1 when any target is missed, each table
## saying which and why. The capacity search (bench/load/capacity.py) takes minutes per step
## and needs a quiet machine: it is run by hand.
bench: $(VENV)/.installed-dev
	$(PY) bench/province.py
	status=0; \
	$(PY) bench/suite.py || status=1; \
	$(PY) bench/bench_opening.py --people 5000 || status=1; \
	$(PY) bench/load/seed.py --users 200; \
	$(PY) bench/bench_requests.py || status=1; \
	exit $$status

venv: $(PIP)

# A failed `python3 -m venv` (no python3-venv) leaves a .venv without pip: remove it.
$(PIP):
	@$(PYTHON3) -m venv $(VENV) || { \
		rm -rf $(VENV); \
		echo >&2 "Could not create $(VENV) with '$(PYTHON3) -m venv'."; \
		echo >&2 "On Debian or Ubuntu install it first: sudo apt install python3-venv"; \
		exit 1; }

# Stamps: reinstall only when pyproject.toml changes (or after `rm -rf .venv`).
$(VENV)/.installed-runtime: pyproject.toml | $(PIP)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PIP)
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-runtime
