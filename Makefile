# policykg — run `make help` for the targets.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: help setup run test lint docs terms clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(BIN)/policykg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

setup: $(BIN)/policykg ## Create .venv and install policykg with its test tools

run: setup ## Extract -> validate -> every query -> policykg-out/graph.ttl, on data/policies
	$(BIN)/policykg run data/policies -o policykg-out

test: setup ## Run the test suite (what CI runs)
	$(BIN)/python -m pytest -q

lint: setup ## ruff over src/ and tests/
	$(BIN)/ruff check src tests scripts benchmarks

docs: setup ## Regenerate queries/README.md and shapes/README.md
	$(BIN)/python scripts/gen_docs.py

terms: setup ## Regenerate ontology/dpv-terms.{txt,ttl} from ../shared/dpv
	$(BIN)/python scripts/dpv_terms.py

clean: ## Remove the virtualenv and outputs
	rm -rf $(VENV) policykg-out .pytest_cache
