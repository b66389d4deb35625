# Delarum's commands. `make run` and `make test` set everything up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint stop messages bench bench-load bench-data backup clean
BENCH_RESOURCES ?= 100000

# Dependencies are pinned in pyproject.toml; the stamp files re-install when it changes.
$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## run: install, start the embedded database, migrate, load demo data, serve on http://127.0.0.1:$(PORT)
## with the task queue's worker beside the server (e-mail, daily jobs); stopping the server stops the worker
run: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: install what the tests need (Chromium included), check code quality, run the whole suite
test: $(VENV)/.installed-test $(CHROMIUM) lint
	$(PY) -m pytest

## lint: ruff, mypy and the import contracts
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## stop: stop the embedded PostgreSQL server (it keeps running between commands otherwise)
stop: $(VENV)/.installed
	$(PY) -m portal.embedded_db stop

## backup: the database and the uploaded files in one archive under var/backups/ (restore: manage.py restore FILE)
backup: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py backup

## messages: extract translatable strings into the .po files and compile them
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=tests --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

## bench: load $(BENCH_RESOURCES) resources (once), measure the search pages under gunicorn with wrk, cold search over a
## pool of 300 queries with the ranking of broad searches (bench/search_cold.py), what counting views costs a resource
## page, the outputs, what the semantic signal adds to a search, an OAI-PMH harvest of everything (Sickle), then load
## and faults
bench: bench-data
	$(PY) bench/run.py
	$(PY) bench/run.py --cold
	$(PY) bench/search_cold.py
	$(PY) bench/usage.py
	DEBUG=1 $(PY) bench/curation.py
	DEBUG=1 $(PY) bench/outputs.py
	SEMANTIC_SEARCH=on DEBUG=1 $(PY) bench/semantic.py
	$(PY) bench/oai.py
	DEBUG=1 $(PY) bench/load.py

## bench-load: only the load test (Locust, 60 s) and the fault run (the database restarted in the middle)
bench-load: bench-data
	DEBUG=1 $(PY) bench/load.py

bench-data: $(VENV)/.installed-bench
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk redis-server)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@missing=$$(DEBUG=1 $(PY) manage.py shell --no-imports -c "from resources.models import Resource; print(max(0, $(BENCH_RESOURCES) - Resource.objects.count()))"); \
	if [ "$$missing" -gt 0 ]; then DEBUG=1 $(PY) manage.py generate_bulk --resources $$missing; fi

clean: stop
	rm -rf $(VENV) var staticfiles
