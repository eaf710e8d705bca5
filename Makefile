# The two commands of the README: `make demo` (the main job on the example data)
# and `make test` (the test suite). Both set up what they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint debs bench clean toolchain lab lab-down

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

# As root (or with PIC_TOOLCHAIN set) the Pulumi toolchain is built or reused first: the lab tests need it.
test: $(STAMP) debs
	@if [ "$$(id -u)" -eq 0 ] || [ -n "$${PIC_TOOLCHAIN:-}" ]; then lab/toolchain/build; \
	else echo "not root: the Pulumi toolchain is not built (make toolchain); the lab tests will be skipped"; fi
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/mypy lab/program/__main__.py

bench: $(STAMP)
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_program.py

# The Pulumi CLI, language host and plugins, built from the Go module proxy into
# $(PIC_TOOLCHAIN) (default /var/cache/pic-toolchain), reused when present.
toolchain: $(STAMP)
	lab/toolchain/build

# The lab: the hosts as network namespaces, the lab program applied by the Pulumi engine.
lab: $(STAMP) debs
	lab/up

lab-down:
	lab/down

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
