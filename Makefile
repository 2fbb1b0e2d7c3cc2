# Two entry points: `make run` (extract the bundled samples) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test fuzz bench serve clean

run: $(VENV)/.installed
	$(BIN)/quotetrail extract samples/*.txt --format table

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# The property tests with 20 times the CI budget and fresh random seeds.
fuzz: $(VENV)/.installed-test
	QUOTETRAIL_FUZZ_FACTOR=20 $(BIN)/python -m pytest -q tests/test_fuzz.py

# Store the bundled samples in samples.db (stored ones are skipped) and browse them on port 8000.
serve: $(VENV)/.installed-web
	$(BIN)/quotetrail ingest samples/*.txt --db samples.db
	$(BIN)/quotetrail serve --db samples.db

bench: $(VENV)/.installed
	$(BIN)/python bench/throughput.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed: on Debian install it with: apt-get install -y python3-venv" >&2; \
	  [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get install -y -q python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

$(VENV)/.installed-web: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[web]'
	touch $@

clean:
	rm -rf $(VENV)
