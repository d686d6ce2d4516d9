# Everything a fresh machine needs: `make run` starts the app, `make test` runs the tests.
# Both create .venv and install the project with what it needs on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Two workers, one file per worker at a time. A worker that crashes ends the whole run at once
# (xdist would otherwise replace it and, with --dist loadfile, can wait forever for the lost
# file); `timeout` is the last guard so no run ever waits for CI's limit.
PYTEST_PARALLEL := -n 2 --dist loadfile --max-worker-restart=0
PYTEST_GUARD := timeout --kill-after=30 1500

.PHONY: run test test-slow bench fuzz fuzz-ci screenshots package clean system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run: start the desktop app (checks Qt's system libraries first)
run: $(STAMP)
	@$(BIN)/python -m newsreader.sysdeps --check
	$(BIN)/newsreader

## system-deps: install the system packages the window and the tests need (Debian/Ubuntu)
system-deps:
	@./scripts/system-deps.sh

## test: lint, types, layering, then the default test suite (slow suites: make test-slow)
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen PYTHONFAULTHANDLER=1 $(PYTEST_GUARD) $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_ARGS)

## test-slow: the slow suites (packaging build and the like)
test-slow: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen PYTHONFAULTHANDLER=1 $(PYTEST_GUARD) $(BIN)/python -m pytest -m slow $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

bench: $(STAMP)
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/export.py
	$(BIN)/python benchmarks/sync.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/ui.py

## fuzz: each parser fuzz target (fuzz/run.py, atheris) for FUZZ_SECONDS; crashes in fuzz/crashes/
FUZZ_SECONDS ?= 60
fuzz: $(VENV)/.fuzz-installed
	$(BIN)/python fuzz/run.py --seconds $(FUZZ_SECONDS)

## fuzz-ci: each fuzz target on a fixed replay of inputs (same on every machine), as CI runs it
fuzz-ci: $(VENV)/.fuzz-installed
	$(BIN)/python fuzz/run.py --replay

$(VENV)/.fuzz-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	@touch $@

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py

## package: the one-folder app in dist/newsreader/ (+ the Linux .tar.gz); see packaging/README.md
package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[package]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/newsreader.spec
	$(BIN)/python packaging/build_archive.py

clean:
	rm -rf build dist .mypy_cache .pytest_cache .ruff_cache
