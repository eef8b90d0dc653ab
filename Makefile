# EX1000 — `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails point where the server listens, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL
STAMP := $(VENV)/.installed
# Every package, runtime and the `test` extra, pinned with its hashes (Python 3.11, Linux).
LOCK := requirements.lock
# `make lock` runs pip-tools from a venv of its own, so the project's venv holds only the lock.
LOCK_VENV ?= .venv-lock
PIP_TOOLS ?= pip-tools==7.6.2
# What `make lock` may move: everything by default; LOCK_ARGS="--upgrade-package django"
# moves one package, LOCK_ARGS= only adds what pyproject.toml gained and keeps every pin.
LOCK_ARGS ?= --upgrade

.PHONY: install lock run serve test lint format migrate demo worker clean search-scale search-scale-measure

# The lock is the whole install; the project itself goes in editable, without dependencies
# (a local editable install has no hash). A changed lock or pyproject.toml reinstalls.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Resolve pyproject.toml again from the public index only (no machine-local mirror or wheel
# folder, whose files' hashes another machine could not match); commit the result.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || \
	  { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet '$(PIP_TOOLS)'; }
	env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT \
	  PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND='make lock' \
	  $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --extra test $(LOCK_ARGS) --output-file $(LOCK) pyproject.toml

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Seeding runs its tasks (the demo's emails) in place, so the logins it prints come last.
demo: migrate
	TASKS_BACKEND=immediate $(BIN)/python manage.py seed_demo

# One machine: background work (stock imports, emails, data exports) is queued in the
# database and done by a worker started beside the server, so an upload answers at once and
# its progress bar moves while the worker imports. TASKS_BACKEND=immediate runs each task
# inside its request instead (no worker); rq needs `manage.py rqworker`.
# The worker has a process group of its own, so Ctrl+C stops the server only; on the way
# out the worker is asked once to stop (SIGINT: it finishes the task in hand) and awaited.
run serve worker: export TASKS_BACKEND ?= db
serve: WORKER_ENV = DEBUG=0
WITH_WORKER = worker=; \
	stop() { if [ -n "$$worker" ]; then kill -INT $$worker 2>/dev/null; wait $$worker; worker=; fi; }; \
	trap stop EXIT; trap 'stop; exit 130' INT TERM; \
	if [ "$$TASKS_BACKEND" = db ]; then \
	  $(WORKER_ENV) setsid $(BIN)/python manage.py db_worker --no-reload --no-startup-delay -v0 & \
	  worker=$$!; fi;

run: demo
	@$(WITH_WORKER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@$(WITH_WORKER) DEBUG=0 $(BIN)/gunicorn ex1000.wsgi --chdir src --bind $(HOST):$(PORT) --workers 3

worker: install
	$(BIN)/python manage.py db_worker

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy --strict src/ex1000/pricing
	PYTHONPATH=src $(BIN)/lint-imports --no-cache --no-logo

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# Issue 10's benchmark catalogue: DATABASE_URL=postgres://… make search-scale ROWS=1000000
# (the database migrated and seeded first: `make demo`). Not run by CI.
ROWS ?= 1000000
search-scale: install
	$(BIN)/python bench/search_scale.py build --rows $(ROWS)

# …then serve it with gunicorn and time the query set: bench/results/search_scale.json.
search-scale-measure: install
	$(BIN)/python bench/search_scale.py measure

clean:
	rm -rf $(VENV) $(LOCK_VENV) var
