# `make` sets everything up and builds all outputs; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYS    := $(VENV)/.system-packages
OUT    := dist

SOURCES   := $(wildcard source/*.md)
NAMES     := $(basename $(notdir $(SOURCES)))
CODE      := build.py $(wildcard qadeck/*.py qadeck/renderers/*.py)
TEMPLATES := $(wildcard templates/*/*)
DEPS      := $(CODE) $(STAMP)

.PHONY: all setup anki pdf html check test fuzz bench lint clean
all: anki pdf html

setup: $(STAMP) $(SYS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml scripts/anki-mathjax.sh | $(VENV)/bin/python
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	bash scripts/anki-mathjax.sh $(PY) $(VENV)/anki-mathjax
	touch $@

$(SYS): scripts/system-packages.sh | $(VENV)/bin/python
	bash scripts/system-packages.sh
	touch $@

anki: $(NAMES:%=$(OUT)/%.apkg)
pdf:  $(NAMES:%=$(OUT)/%.pdf)
html: $(NAMES:%=$(OUT)/%.html)

$(OUT)/%.apkg: source/%.md $(DEPS) $(wildcard templates/anki/*)
	$(PY) build.py anki $< --out $(OUT)

$(OUT)/%.pdf: source/%.md $(DEPS) $(SYS) $(wildcard templates/pdf/*)
	$(PY) build.py pdf $< --out $(OUT)

$(OUT)/%.html: source/%.md $(DEPS) $(wildcard templates/html/*)
	$(PY) build.py html $< --out $(OUT)

check: $(STAMP)
	$(PY) build.py check $(SOURCES)

lint: $(STAMP)
	$(VENV)/bin/ruff check qadeck tests bench build.py
	$(VENV)/bin/ruff format --check qadeck tests build.py

test: $(STAMP) $(SYS)
	$(VENV)/bin/ruff check qadeck tests bench build.py
	$(PY) -m pytest

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests/test_fuzz.py tests/test_fastblock.py tests/test_markup.py tests/test_linear_time.py

bench: $(STAMP) $(SYS)
	@command -v pandoc >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq pandoc >/dev/null; } || echo "pandoc missing: the pandoc comparison is skipped"
	$(PY) bench/run.py

clean:
	-[ -x $(PY) ] && $(PY) -c "import pathlib, shutil; from qadeck.cache import cache_dir; shutil.rmtree(cache_dir(pathlib.Path('$(OUT)')), ignore_errors=True)"
	rm -rf $(OUT) .pytest_cache .hypothesis
