# The two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv and install CMDesk (editable) with what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
APP    := $(VENV)/.stamp-app
TESTS  := $(VENV)/.stamp-test

.PHONY: demo run test lint forms translations bench clean

demo: $(APP)
	$(PY) -m cmdesk demo

run: $(APP)
	$(PY) -m cmdesk gui

test: $(TESTS)
	$(PY) scripts/run_tests.py

lint: $(TESTS)
	$(VENV)/bin/ruff check .

forms: $(TESTS)
	$(PY) scripts/build_forms.py

translations: $(TESTS)
	$(PY) scripts/build_translations.py

bench: $(TESTS)
	$(PY) benchmarks/run.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(APP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $(APP)

$(TESTS): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test,e2e]'
	touch $(APP) $(TESTS)

clean:
	rm -rf $(VENV) build dist *.egg-info
