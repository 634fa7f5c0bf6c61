# 民政事业“十四五”规划比较 — make targets. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ECHARTS_VERSION := 6.1.0
ECHARTS := .cache/echarts.min.js
FFLATE_VERSION := 0.8.3
FFLATE := .cache/fflate.min.js
DB := data/processed/plans.duckdb
RAW := $(wildcard data/raw/*)
CODE := $(wildcard analysis/*.py analysis/*/*.py data/reference/* data/curation/*)
QUERIES := $(wildcard queries/*.sql)

.DEFAULT_GOAL := help
.PHONY: help venv build report test test-fast lab strip bench check docs clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (plans)" >/dev/null
	touch $@

venv: $(BIN)/.installed ## create .venv and install the project with its dependencies

$(ECHARTS): ## fetch echarts.min.js from the npm registry into a git-ignored cache (offline reports)
	mkdir -p .cache/npm
	cd .cache/npm && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
	  tar -xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js && \
	  mv package/dist/echarts.min.js ../echarts.min.js && rm -rf package echarts-$(ECHARTS_VERSION).tgz

$(FFLATE): ## fetch fflate's inflate (MIT, 33 kB) from the npm registry: compressed libraries and data in the reports
	mkdir -p .cache/npm
	cd .cache/npm && npm pack --silent fflate@$(FFLATE_VERSION) >/dev/null && \
	  tar -xzf fflate-$(FFLATE_VERSION).tgz package/umd/index.js && \
	  mv package/umd/index.js ../fflate.min.js && rm -rf package fflate-$(FFLATE_VERSION).tgz

$(DB): $(BIN)/.installed $(RAW) $(CODE)
	$(BIN)/plans build

build: $(BIN)/.installed ## build data/processed/plans.duckdb and targets.csv/.parquet from data/raw
	$(BIN)/plans build

REPORT_ARGS ?=
report: $(BIN)/.installed $(ECHARTS) $(FFLATE) $(DB) ## build the database, execute the notebooks, write figures/*.html (REPORT_ARGS="--city 晋中市" …)
	$(BIN)/plans report $(REPORT_ARGS)

test: $(BIN)/.installed $(ECHARTS) $(FFLATE) ## lint (ruff) and run the whole test suite
	$(BIN)/ruff check analysis tests bench
	$(BIN)/python -m pytest

test-fast: $(BIN)/.installed ## the tests without notebooks and browser
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: $(BIN)/.installed ## open the notebooks in JupyterLab with the project's kernel (outputs are stripped before a commit: make strip)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

strip: ## remove outputs and execution counts from notebooks/*.ipynb (commit notebooks without outputs)
	$(BIN)/nbstripout --keep-id --extra-keys "metadata.widgets metadata.papermill cell.metadata.papermill cell.metadata.execution" notebooks/*.ipynb

bench: $(BIN)/.installed $(ECHARTS) $(FFLATE) ## benchmark at national scale (N = 300 and 3,300 generated documents)
	$(BIN)/python bench/run.py

docs: $(BIN)/.installed ## regenerate the column tables in README.md and docs/architecture.md from data/reference/columns.yaml
	$(BIN)/python -c 'from pathlib import Path; from analysis.columns import update_docs; c = update_docs(Path("README.md"), Path("docs/architecture.md")); print(*(c or ["up to date"]))'

check: $(BIN)/.installed ## list the quality flags of the current database
	$(BIN)/plans check

clean: ## remove generated files (never data/raw, data/reference or data/curation)
	rm -rf data/processed figures/screenshots figures/*.html figures/charts figures/data/*.csv figures/data/*.parquet figures/data/*.xlsx figures/passages figures/bench figures/executed .pytest_cache
