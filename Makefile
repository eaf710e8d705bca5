# The two commands of the README: `make demo` (the main job on the example data)
# and `make test` (the test suite). Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint debs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pic check --stack prod
	$(BIN)/pic report --stack prod
	$(BIN)/pic plan --stack prod

debs:
	scripts/install-debian-packages

test: $(STAMP) debs
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

bench: $(STAMP)
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_program.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
