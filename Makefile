# Two commands do everything on a fresh machine (see README):
#   make serve   build and serve the edition at http://127.0.0.1:8000/ with live reload
#   make test    install what the tests need, then run lint, types and every test
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
SERVE_STAMP := $(VENV)/.installed-serve
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve build test test-fast check lint chromium clean venv

# The virtual environment, made again when it was made with a Python the edition does not
# support (the project needs 3.11 or later).
venv:
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
	  echo "$(VENV) was made with $$($(BIN)/python --version 2>&1), older than the 3.11 the edition needs: making it again with $(PYTHON)"; \
	  rm -rf $(VENV); fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "$(PYTHON) is $$($(PYTHON) --version 2>&1); the edition needs Python 3.11 or later: run 'make PYTHON=python3.12 …'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)

# What serving needs (the edition and MkDocs), then what the tests need on top.
$(SERVE_STAMP): pyproject.toml | venv
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(SERVE_STAMP)

$(STAMP): $(SERVE_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# `make serve PORT=8001` serves on another port; a busy one is said in one line.
serve: $(SERVE_STAMP)
	@$(BIN)/python -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null || { \
	  echo "make serve: port $(PORT) is in use (another 'make serve'?) — stop it, or run 'make serve PORT=8001'"; exit 1; }
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:$(PORT)

# A new edition in three commands (README, "A new edition"):
#   make new-edition FOLDER=../briefings TITLE="Briefings on the Caspian"
#   cd ../briefings && make add-document TEXT=~/briefing.txt ID=briefing
#   make serve
.PHONY: new-edition add-document
new-edition: $(SERVE_STAMP)
	@test -n "$(FOLDER)" || { echo "make new-edition: say where, e.g. make new-edition FOLDER=../briefings"; exit 2; }
	$(BIN)/edition new-edition "$(FOLDER)" $(if $(TITLE),--title "$(TITLE)")

add-document: $(SERVE_STAMP)
	@test -n "$(TEXT)" -a -n "$(ID)" || { echo "make add-document: e.g. make add-document TEXT=~/briefing.txt ID=briefing"; exit 2; }
	$(BIN)/edition add-document "$(TEXT)" --id "$(ID)"

# The edition to open from the file system (file://): site-offline/ and site-offline.zip.
.PHONY: offline
offline: $(SERVE_STAMP)
	$(BIN)/mkdocs build --strict -f mkdocs-offline.yml
	rm -f site-offline.zip && $(BIN)/python -m zipfile -c site-offline.zip site-offline/

build: $(SERVE_STAMP)
	$(BIN)/mkdocs build --strict

check: $(SERVE_STAMP)
	$(BIN)/edition check

lint: $(STAMP)
	$(BIN)/ruff check src hooks tests benchmarks tools
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

# Quick: the unit and golden tests, no site builds and no browser (under a minute).
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not browser and not build"

# The two halves of `make test`: the product (on the fixture edition, tests/fixtures/edition/)
# and this repository's own edition (tests/content/).
.PHONY: test-product test-content
test-product: $(STAMP) chromium lint
	$(BIN)/pytest --ignore=tests/content

test-content: $(STAMP)
	$(BIN)/pytest tests/content

clean:
	rm -rf $(VENV) site tests/.artifacts .pytest_cache .mypy_cache .ruff_cache

# Benchmark (not part of the tests): synthetic editions of 200 and 800 pages, each built as the
# edition, as the baselines B1 (footnotes and abbr) and B1f (footnotes), and plain; the devices;
# `mkdocs serve` with and without --dirty; `edition check`; the real edition. Every figure goes to
# benchmarks/results.json. Quick look: make bench BENCH_ARGS="--sizes 20 --rounds 1 --no-serve --no-real"
BENCH_ARGS ?= --devices --json benchmarks/results.json
.PHONY: bench budget profile
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

# What 1.25 x plain MkDocs leaves for the edition, against what its libraries alone cost
budget: $(STAMP)
	$(BIN)/python -m benchmarks.budget $(BUDGET_ARGS)

# Where the time goes: one build of 200 pages, plain and edition, under pyinstrument
profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile $(PROFILE_ARGS)
