# The two commands a newcomer types: `make run` and `make test`.
# Both install what is missing (system packages when root, the virtualenv, the project).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ARGS   ?=

# Tests run with the thorough hypothesis profile in CI.
ifeq ($(CI),true)
export HYPOTHESIS_PROFILE := ci
endif

.PHONY: run test test-fast lint format typecheck pytest pytest-fast install system-deps-run system-deps-test \
        screenshots bench dist icons clean

run: system-deps-run $(STAMP)
	$(BIN)/alegra-wizard $(ARGS)

test: system-deps-test $(STAMP) lint typecheck pytest

# The quick loop while developing: everything but the frozen build (`frozen`), the Debian
# package (`deb`) and the slow fault deadlines (`slow`), in parallel workers, each with its
# own Secret Service and HOME (tests/helpers/secret_service.py). `make test` runs them all.
# Six workers on two cores: many tests wait (a server's answer, a screen reader, a window
# painting), and a waiting worker leaves its core to another; worksteal evens out the end.
FAST_WORKERS ?= 6
test-fast: system-deps-test $(STAMP) lint typecheck pytest-fast

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,dev,dist]'
	touch $(STAMP)

system-deps-run:
	@bash scripts/install-system-deps.sh run

system-deps-test:
	@bash scripts/install-system-deps.sh test

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite runs inside a throwaway HOME with a real, unlocked Secret Service, with
# Python's own bytecode cache (this machine's PYTHONDONTWRITEBYTECODE would have every
# process and child compile wizard/ and rewrite pytest's plugins from source again).
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE

pytest: $(STAMP)
	$(TEST_ENV) bash scripts/with-keyring.sh $(BIN)/python -m pytest -q -p no:cacheprovider

pytest-fast: $(STAMP)
	$(TEST_ENV) bash scripts/with-keyring.sh $(BIN)/python -m pytest -q -p no:cacheprovider \
		-n $(FAST_WORKERS) --dist worksteal -m "not frozen and not deb and not slow"

screenshots: system-deps-test $(STAMP)
	bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" \
		env QT_QPA_PLATFORM=xcb $(BIN)/python scripts/screenshots.py
	bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" \
		env QT_QPA_PLATFORM=xcb $(BIN)/python scripts/screenshots_connections.py
	bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" \
		env QT_QPA_PLATFORM=xcb $(BIN)/python scripts/screenshots_brand.py

bench: system-deps-test $(STAMP)
	bash scripts/with-keyring.sh $(BIN)/python benchmarks/run_all.py

icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_icons.py

dist: system-deps-test $(STAMP)
	bash packaging/build-linux.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
