# Two commands on a fresh clone:  make serve  |  make test
# The first run creates .venv and installs the pinned versions (constraints.txt).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

# Material prints an end-of-life banner on every build; PLATFORM.md says where we stand.
export NO_MKDOCS_2_WARNING = 1

.PHONY: serve serve-full test lint docs-build unit figures notebooks update-outputs drift bench lighthouse clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, this is " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[docs,test]'
	touch $@

# --dirty: a save rebuilds only the pages it changed (and, for a package edit, the API
# reference and the labs: hooks/dirty_serve.py); the print page and search wait for a
# restart. serve-full rebuilds everything on every save (CONTRIBUTING.md, the authoring loop).
SERVE_FLAGS ?= --dirty

serve: $(STAMP)  ## the site on http://127.0.0.1:8000, rebuilt on every edit (pages you changed)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 $(SERVE_FLAGS)

serve-full: $(STAMP)  ## as serve, but every save rebuilds the whole site (print page, search)
	$(MAKE) serve SERVE_FLAGS=

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

# axe-core for the accessibility tests (tests/browser/test_accessibility.py), pinned.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --silent
	touch $@

unit: $(STAMP) tests/browser/node_modules/.installed  ## unit tests, doc-tests of every page in both languages, browser tests (Node for axe-core)
	$(BIN)/pytest $(PYTEST_PARALLEL)

figures: $(STAMP)  ## redraw docs/assets/figures from the package
	$(BIN)/python -m autograd_guide.figures docs/assets/figures

notebooks: $(STAMP)  ## regenerate notebooks/ from the chapter pages
	$(BIN)/python tools/notebooks.py

update-outputs: $(STAMP)  ## rewrite every ```text block from what its code prints now; shows the diff
	PYTHONPATH=tests $(BIN)/python -m docharness.update

# TORCH=<version>: its own venv in .venv-drift/<version> (.venv untouched); the
# differences go to drift/torch-<version>.diff; "not installable here" exits 2.
drift: $(STAMP)  ## what the pages would print with another PyTorch: make drift TORCH=2.14.0
	@test -n "$(TORCH)" || { echo "usage: make drift TORCH=<version>" >&2; exit 2; }
	$(BIN)/python tools/drift.py $(TORCH)

bench: $(STAMP)  ## issue 13's table: build, live preview, doc-tests, tests as ratios to a torch import
	$(BIN)/python benchmarks/bench_docs.py

benchmarks/node_modules/.installed: benchmarks/package.json benchmarks/package-lock.json
	cd benchmarks && npm ci --silent
	touch $@

lighthouse: $(STAMP) benchmarks/node_modules/.installed  ## Lighthouse scores, both languages (Node 20+, Chromium)
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf site .cache $(VENV)
