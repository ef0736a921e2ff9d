# Two commands do everything on a fresh machine (see README):
#   make serve   build and serve the edition at http://127.0.0.1:8000/ with live reload
#   make test    install what the tests need, then run lint, types and every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve build test check lint chromium clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/edition check

lint: $(STAMP)
	$(BIN)/ruff check src hooks tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # the package's layers (pyproject.toml)

# The browser tests drive Debian's Chromium and the HTML check runs the Nu checker on Java;
# install them when we can (as root with apt).
chromium:
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" && command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless; \
	  else echo "The tests need Chromium and Java: run 'sudo apt-get install chromium default-jre-headless'"; exit 1; fi; }

test: $(STAMP) chromium lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site tests/.artifacts .pytest_cache .mypy_cache .ruff_cache

# Benchmark (not part of the tests): synthetic editions of 50, 200 and 800 pages with and
# without the edition layer, then the real edition (build, and a rebuild under `serve`).
# Quick look: make bench BENCH_ARGS="--sizes 50 --rounds 1"
.PHONY: bench budget profile
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

# What 1.25 x plain MkDocs leaves for the edition, against what its libraries alone cost
budget: $(STAMP)
	$(BIN)/python -m benchmarks.budget $(BUDGET_ARGS)

# Where the time goes: one build of 200 pages, plain and edition, under pyinstrument
profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile $(PROFILE_ARGS)
