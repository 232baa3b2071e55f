# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench folds settings-table screenshots install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/glossary db upgrade
	$(BIN)/glossary sync
	$(BIN)/glossary serve --terms terms.yaml --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python bench/annotate.py

# The shipped fold table, after an upgrade of OpenCC or Python (its test says when).
folds: install
	$(BIN)/python -c "from glossary.core.normalize import write_folds_file; print(write_folds_file())"

# The README's configuration table, from the settings declared in glossary/config.py.
settings-table: install
	$(BIN)/python -c "from glossary.config import write_readme_table; write_readme_table('README.md')"

# Needs Debian's chromium and a CJK font: apt-get install chromium fonts-noto-cjk
screenshots: install-dev
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
