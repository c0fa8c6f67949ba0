# Every target sets itself up: a fresh clone needs only `make run` or `make test`.
# Installs are reproducible: exact versions and hashes from the lock files (`make lock`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# The lock files cover Python 3.11 and newer, on every platform.
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet

.PHONY: run test lint typecheck bench sandbox lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies only, exactly as locked (every file's hash is checked), then the
# project itself without resolving anything again.
$(RUNTIME): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The runtime plus the development tools (the dev lock pins the runtime's versions too).
$(DEV): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(RUNTIME)

## Run the bot: the real one with TELEGRAM_BOT_TOKEN (environment or .env), else the offline sandbox.
run: $(RUNTIME)
	$(BIN)/python -m bot.launch

## Lint, type-check, then the whole test suite (end-to-end through the local Bot API stand-in).
test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(DEV)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

## Benchmarks (write their results to the terminal; copy them into BENCHMARKS.md).
bench: $(DEV)
	$(BIN)/python -m benchmarks

sandbox: $(RUNTIME)
	$(BIN)/python -m sandbox

## Refresh the lock files after changing dependencies in pyproject.toml (keeps every other pin);
## `make lock UPGRADE=--upgrade` moves everything to the newest allowed versions.
lock: $(DEV)
	$(COMPILE) $(UPGRADE) --extra dev -o requirements-dev.lock
	$(COMPILE) -c requirements-dev.lock -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
