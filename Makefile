# Two commands on a fresh clone:  make serve  |  make test
# The first run creates .venv and installs the pinned versions (constraints.txt).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

# Material prints an end-of-life banner on every build; the README says where we stand.
export NO_MKDOCS_2_WARNING = 1

.PHONY: serve test lint docs-build unit figures notebooks update-outputs bench lighthouse clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, this is " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[docs,test]'
	touch $@

serve: $(STAMP)  ## the site on http://127.0.0.1:8000, rebuilt on every edit
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# The unit run builds the site once (--strict) and every test that needs a site reads
# that build (tests/conftest.py), so `test` does not build it separately.
test: lint unit  ## everything CI runs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

docs-build: $(STAMP)  ## the site in site/, as the Pages workflow builds it
	$(BIN)/mkdocs build --strict

# One worker per core; --dist loadfile keeps each page in one process, in order,
# which continuation blocks need.
PYTEST_PARALLEL = -n auto --dist loadfile

unit: $(STAMP)  ## unit tests, doc-tests of every page in both languages, browser tests
	$(BIN)/pytest $(PYTEST_PARALLEL)

figures: $(STAMP)  ## redraw docs/assets/figures from the package
	$(BIN)/python -m autograd_guide.figures docs/assets/figures

notebooks: $(STAMP)  ## regenerate notebooks/ from the chapter pages
	$(BIN)/python tools/notebooks.py

update-outputs: $(STAMP)  ## rewrite every ```text block from what its code prints now; shows the diff
	PYTHONPATH=tests $(BIN)/python -m docharness.update

bench: $(STAMP)  ## doc-test time against a bare torch import, mkdocs build times
	$(BIN)/python benchmarks/bench_docs.py

benchmarks/node_modules/.installed: benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && npm ci --silent
	touch $@

lighthouse: $(STAMP) benchmarks/node_modules/.installed  ## Lighthouse scores, both languages (Node 20+, Chromium)
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf site $(VENV)
