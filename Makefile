# The help desk's two commands: `make dev` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: dev test lint bench deps clean system-tools texts texts-update

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.venv-tasks/.installed: requirements-tasks-emulator.txt
	test -x .venv-tasks/bin/python || $(PYTHON) -m venv .venv-tasks
	.venv-tasks/bin/python -m pip install --quiet -r requirements-tasks-emulator.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium (no browser downloads here); the deploy scripts are
# checked with shellcheck. Both come from Debian's packages, installed when missing.
system-tools:
	@command -v chromium >/dev/null && command -v shellcheck >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium shellcheck)

deps: $(VENV)/.installed .venv-tasks/.installed node_modules/.installed

# The texts' catalogues (shared/texts): compiled for the functions (deploy.sh does the same in
# each bundle); `texts-update` brings messages.pot and the .po files up to date with the code.
BABEL := $(PY) -m babel.messages.frontend -q
TEXTS := shared/texts/locales
texts: $(VENV)/.installed
	$(BABEL) compile -d $(TEXTS) -D helpdesk

texts-update: $(VENV)/.installed
	$(BABEL) extract -F babel.cfg --omit-header --no-location --sort-output \
	  -o shared/texts/messages.pot shared
	$(BABEL) update -i shared/texts/messages.pot -d $(TEXTS) -D helpdesk -w 100 \
	  --no-fuzzy-matching --ignore-obsolete

## Run the whole help desk locally: emulators, every function, the demo organisation.
dev: deps texts
	$(PY) -m tools.dev

## Run every test, lint included (CI runs exactly this).
test: deps system-tools lint texts
	$(PY) -m pytest -n auto --dist loadgroup
	@cat build/bench-quick.txt 2>/dev/null || true

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## Benchmarks (not tests): figures as ratios against baselines measured in the same run.
bench: deps
	$(PY) -m tools.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-tasks node_modules .dev
