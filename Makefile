# Two commands on a fresh machine:  make run  (workbench with demo scenarios)  and  make test.
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/workbench
export DJANGO_SETTINGS_MODULE := lifelong_settings

.PHONY: run test test-unit test-db-mariadb test-django42 test-browser system-deps translations wheel bench bench-report bench-summary clean

$(VENV)/.installed: setup.py
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip setuptools wheel
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

system-deps:
	@bash scripts/system-deps.sh

run: $(VENV)/.installed
	$(PY) -m django migrate --run-syncdb --noinput
	$(PY) -m django runserver 127.0.0.1:8000

# Everything CI runs first: unit, block, db (SQLite), packaging and browser tests.
test: system-deps $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

test-unit: $(VENV)/.installed
	$(VENV)/bin/pytest -q tests/unit tests/blocks

# The database tests again on the local MariaDB (Open edX runs MySQL).  None of them uses Hypothesis,
# whose plugin would import it only at the end of the run: once that import, parsed for pytest's
# assertion rewriting, ended the run with CPython 3.11.7's "AST constructor recursion depth
# mismatch" after every test had passed (python/cpython#106905, seen in threaded programs and in
# pytest-dev/pytest#10763).
test-db-mariadb: system-deps $(VENV)/.installed
	$(VENV)/bin/pip install -q -e ".[mysql]"
	LIFELONG_DB=mariadb $(VENV)/bin/pytest -q -p no:cacheprovider -p no:hypothesispytest tests/db tests/blocks \
		tests/security/test_http_concurrency.py tests/security/test_faults.py

# Unit, block and db (SQLite) tests on Django 4.2, which Open edX Sumac and Teak run (Ulmo: 5.2),
# in a virtualenv of its own.
VENV42 ?= .venv-django42
$(VENV42)/.installed: setup.py
	python3 -m venv $(VENV42)
	$(VENV42)/bin/pip install -q -U pip setuptools wheel
	$(VENV42)/bin/pip install -q -e ".[dev]" "Django>=4.2,<5"
	touch $@

test-django42: system-deps $(VENV42)/.installed
	$(VENV42)/bin/python -c "import django; assert django.VERSION[:2] == (4, 2), django.get_version(); print('Django', django.get_version())"
	$(VENV42)/bin/pytest -q tests/unit tests/blocks tests/db

test-browser: system-deps $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/pytest -q tests/browser

# Our blocks against xblock-poll and xblock-drag-and-drop-v2 in one run (docs/benchmarks.md), in a
# virtualenv of its own so the peers never reach .venv.  Never part of `make test`.
VENVBENCH ?= .venv-bench
BENCH_PEERS := "xblock-poll==1.16.1" "xblock-drag-and-drop-v2==5.0.3"
$(VENVBENCH)/.installed: setup.py
	python3 -m venv $(VENVBENCH)
	$(VENVBENCH)/bin/pip install -q -U pip setuptools wheel
	$(VENVBENCH)/bin/pip install -q -e . $(BENCH_PEERS) "xblock-sdk==0.14.0" "lazy>=1.4" "pyinstrument>=4.6"
	touch $@

bench: $(VENVBENCH)/.installed
	$(VENVBENCH)/bin/python bench/blocks_bench.py --write

# Re-extract the catalog (msgids) and compile the .mo files.
translations: $(VENV)/.installed
	$(PY) scripts/translations.py extract
	$(PY) scripts/translations.py compile

# build/ is removed first: setuptools would otherwise ship files left there by an older build.
wheel: $(VENV)/.installed
	rm -rf build
	$(PY) -m build --wheel --outdir dist .

# The course report export: 100,000 and 1,000,000 synthetic rows against plain csv.writer (minutes;
# temporary SQLite databases).  Results: docs/benchmarks.md, "Course report export".
bench-report: $(VENV)/.installed
	$(PY) bench/report_bench.py --write

# The dashboard's course summary counted for 10,000 learners in six blocks, on SQLite and on the
# local MariaDB (a database of its own each).  Results: docs/benchmarks.md, "Dashboard summary at scale".
bench-summary: system-deps $(VENV)/.installed
	$(VENV)/bin/pip install -q -e ".[mysql]"
	$(PY) bench/summary_bench.py --db sqlite --write
	$(PY) bench/summary_bench.py --db mariadb --write

clean:
	rm -rf build dist *.egg-info var/workbench.db
