# The two set-up commands of the README: `make run` and `make test`. Both install what is
# missing first: a virtual environment in .venv and the viewer's npm packages (lockfile).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := viewer/web/node_modules/.installed
PYTEST_ARGS ?=

.PHONY: install run test lint bench clean

install: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(NODE_STAMP): viewer/web/package.json viewer/web/package-lock.json
	cd viewer/web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(BIN)/twin serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks (not tests): one table of medians and targets, written to docs/performance.md.
BENCH_POSTGRES ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
BENCH_MQTT ?= mqtt://127.0.0.1:1883
# Debian packages of the benches: the load generator, and GDAL for the pygeoapi peer's OGR provider.
BENCH_DEBS := wrk python3-gdal
bench: install
	@dpkg -s $(BENCH_DEBS) >/dev/null 2>&1 || { echo "installing $(BENCH_DEBS)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_DEBS); }
	$(BIN)/python -m bench --postgres $(BENCH_POSTGRES) --mqtt $(BENCH_MQTT)

clean:
	rm -rf $(VENV) viewer/web/node_modules var .pytest_cache .mypy_cache .ruff_cache
