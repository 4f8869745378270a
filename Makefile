# Hallway: `make run` serves the site with everything it needs; `make test` runs the suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: screenshots help install messages run test test-fast bench bench-curve bench-pg bench-curve-pg load eval lint format lock es-start es-stop clean

help:
	@echo "make run     set up (venv, Elasticsearch, database, demo content) and serve on http://127.0.0.1:$(PORT)"
	@echo "make test    set up and run the whole suite (starts its own Elasticsearch node)"
	@echo "make bench   search benchmarks (BENCH_DOCS=200000), figures in bench-results/"
	@echo "             make bench-curve: 50k, 200k and 1M documents; bench-pg: with PostgreSQL"
	@echo "make load    locust at rising user counts against gunicorn + PostgreSQL + a node (LOAD_USERS=4,8,16,32)"
	@echo "make eval    relevance vs plain BM25 on a Stack Exchange dump (EVAL_DUMP=path), figures in eval-results/"
	@echo "make screenshots  the main pages at 390 and 1366 px into docs/screenshots/"
	@echo "make lint    ruff, format check, import layers, mypy (what CI runs)"
	@echo "make lock    re-pin requirements.lock after changing pyproject.toml"
	@echo "make messages  collect new strings into locale/nl/LC_MESSAGES/*.po to translate"

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hallway needs Python 3.11 or newer (found %s)." % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install python3-venv (Debian: apt-get install python3-venv)."; exit 1; }
	@echo "• installing Python packages from requirements.lock (the first time takes a minute or two) ..."
	$(PY) -m pip install --quiet --upgrade pip
	set -o pipefail; $(PY) -m pip install --progress-bar on -r requirements.lock | { grep -v '^Requirement already satisfied' || true; }
	@touch $@

# The translations (locale/*/LC_MESSAGES/*.po, committed) are compiled at set-up;
# the .mo files are build output. Needs GNU gettext's msgfmt (Debian: gettext).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

install: $(VENV)/.installed $(MO_FILES)

locale/%.mo: locale/%.po
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs msgfmt: apt-get install gettext"; exit 1; }
	msgfmt --check-format -o $@ $<

# After adding or changing a user-facing string: collect it, translate it in
# locale/nl/LC_MESSAGES/*.po (docs/glossary-nl.md), then make install compiles.
messages: install
	$(PY) manage.py makemessages -l nl --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -d djangojs -l nl --no-obsolete --add-location=file $(MESSAGES_IGNORE)
MESSAGES_IGNORE := --ignore=.venv --ignore=.cache --ignore=var --ignore=staticfiles \
	--ignore=tests --ignore=bench-results --ignore=eval-results --ignore='static/vendor/*'

run: install
	$(PY) manage.py run_dev --port $(PORT)

test: install
	HALLWAY_REQUIRE_ELASTICSEARCH=1 $(PY) -m pytest

# The main pages at 390 and 1366 px, on the demo content, into docs/screenshots/.
screenshots: install
	HALLWAY_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -p no:cacheprovider -q tests/e2e/test_screenshots.py

test-fast: install
	$(PY) -m pytest -m "not e2e"

# Benchmarks on a scratch database and a throw-away node; figures printed and
# written to bench-results/latest.{json,txt}. BENCH_DOCS=20000 make bench for a
# quick run; BENCH_CURVE=50000,200000,1000000 (or make bench-curve) measures each
# size in turn. make bench-pg / bench-curve-pg do the same on a throw-away
# PostgreSQL cluster, which adds the PostgreSQL full-text baseline.
BENCH_DOCS ?= 200000
BENCH_CURVE ?=
BENCH_ARGS ?=
BENCH_RUN = $(PY) manage.py search_bench --docs $(BENCH_DOCS) --curve "$(BENCH_CURVE)" $(BENCH_ARGS)
bench: install
	rm -f var/bench.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench.sqlite3 ELASTICSEARCH_URL= $(BENCH_RUN)

bench-curve:
	$(MAKE) bench BENCH_CURVE=50000,200000,1000000

bench-pg: install
	ELASTICSEARCH_URL= tools/with_throwaway_postgres.sh $(BENCH_RUN)

bench-curve-pg:
	$(MAKE) bench-pg BENCH_CURVE=50000,200000,1000000

# Load: gunicorn + worker + a node on a throw-away PostgreSQL, locust at rising
# user counts (LOAD_USERS, LOAD_SECONDS); results in bench-results/load-<date>.json.
LOAD_USERS ?= 4,8,16,32
LOAD_SECONDS ?= 30
load: install
	ELASTICSEARCH_URL= tools/with_throwaway_postgres.sh \
	  $(PY) manage.py load_test --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

# Relevance on a Stack Exchange dump (default: the shared Cardano site) against a
# plain BM25 query, on a scratch database and a throw-away node; eval-results/.
# A site of more than EVAL_MAX_QUESTIONS questions (default 20000, 0: no bound)
# is evaluated on its newest ones: `make eval EVAL_DUMP=... EVAL_MAX_QUESTIONS=0`.
EVAL_DUMP ?= ../shared/data/stackexchange/cardano
eval: install
	rm -f var/eval.sqlite3*
	@mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/var/eval.sqlite3 ELASTICSEARCH_URL= \
	  $(PY) manage.py search_eval --dump "$(EVAL_DUMP)"
	rm -f var/eval-experts-tune.sqlite3* var/eval-experts.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/var/eval-experts-tune.sqlite3 ELASTICSEARCH_URL= \
	  $(PY) manage.py search_eval_experts --phase tune --dump "$(EVAL_DUMP)"
	DATABASE_URL=sqlite:///$(CURDIR)/var/eval-experts.sqlite3 ELASTICSEARCH_URL= \
	  $(PY) manage.py search_eval_experts --dump "$(EVAL_DUMP)"

# Imports inside functions need a comment saying why (tools/layering.py).
LAYERING_ROOTS ?= site kb journals search tools tests
# The ceiling on (explained) imports inside functions outside migrations.
LAYERING_MAX ?= 4
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=.:site $(VENV)/bin/lint-imports --no-cache
	$(PY) tools/layering.py --max $(LAYERING_MAX) $(LAYERING_ROOTS)
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Pinned from a throw-away venv, so nothing installed by hand in .venv (an
# experiment's package, say) slips into the lock.
LOCK_OUT ?= requirements.lock
LOCK_VENV := var/lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(LOCK_VENV)/wanted.txt
	$(LOCK_VENV)/bin/python -m pip install --quiet -r $(LOCK_VENV)/wanted.txt
	{ echo "# Exact versions for a reproducible install: pip install -r requirements.lock"; \
	  echo "# Regenerate after changing pyproject.toml: make lock"; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -v '^-e' | sort -f; } > $(LOCK_OUT)
	rm -rf $(LOCK_VENV)

es-start: install
	$(PY) -m tools.node start --name dev

es-stop:
	$(PY) -m tools.node stop --name dev

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
