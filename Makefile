# CivicGrid — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed
DEV_STAMP   := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench
# The OpenAPI schema takes integer bounds from the database backend; generate it on one backend always.
SCHEMA := DATABASE_URL=sqlite:///$(CURDIR)/var/schema.sqlite3 $(BIN)/civicgrid spectacular --validate --fail-on-warn

.PHONY: install install-dev run test lint schema vendor bench clean

# Installs exactly the locked runtime versions (what a server runs), then the project itself (editable), once
# per lock change. requirements-dev.lock adds the development tools (`make test`), requirements-bench.lock DuckDB
# (`make bench`); both are supersets of requirements.lock at the same versions (decision 0004).
install: $(STAMP)
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install-dev: $(DEV_STAMP)
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $@

$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock -r requirements-bench.lock
	touch $@

# Migrates the embedded database, loads the demo district when empty, prints the logins, serves.
run: install
	mkdir -p var
	DEBUG=$${DEBUG:-true} DEMO_MODE=$${DEMO_MODE:-true} $(BIN)/civicgrid migrate --no-input
	DEBUG=$${DEBUG:-true} DEMO_MODE=$${DEMO_MODE:-true} $(BIN)/civicgrid seed_demo
	DEBUG=$${DEBUG:-true} DEMO_MODE=$${DEMO_MODE:-true} $(BIN)/civicgrid serve --port $(PORT)

# Lint, migration drift, OpenAPI drift, then the whole suite on two cores: transactional tests
# (live server, real commits) last, since they empty the tables whose default rows migrate loaded — the browser ones in
# a session of their own: after another transactional test in the same session, a test that drives Chromium
# finds the restored data missing (Playwright's event loop in the test thread; see decision 0005).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/civicgrid makemigrations --check --dry-run
	mkdir -p var
	$(SCHEMA) --file var/openapi.generated.yaml
	diff -u docs/openapi.yaml var/openapi.generated.yaml || (echo "docs/openapi.yaml is stale: run 'make schema'" && exit 1)
	$(BIN)/pytest -n 2 --dist loadfile -m "not transactional and not production and not queue"
	$(BIN)/pytest -n 2 --dist loadfile -m "transactional and browser and not production and not queue"
	$(BIN)/pytest -n 2 --dist loadfile -m "transactional and not browser and not production and not queue"

lint: install-dev
	$(BIN)/ruff check .

# Rewrites the committed OpenAPI schema after an API change.
schema: install
	mkdir -p var
	$(SCHEMA) --file docs/openapi.yaml

WORKBOX_MODULES := core routing strategies expiration cacheable-response

# Refreshes the vendored browser libraries from package.json (needs npm; the result is committed).
vendor:
	npm install --no-audit --no-fund --ignore-scripts
	mkdir -p civicgrid/web/static/vendor/leaflet civicgrid/web/static/vendor/htmx civicgrid/web/static/vendor/echarts
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css civicgrid/web/static/vendor/leaflet/
	# No source maps are shipped: a reference to a missing map makes the production collectstatic fail.
	sed -i '/^\/\/# sourceMappingURL=/d' civicgrid/web/static/vendor/leaflet/leaflet.js
	cp -r node_modules/leaflet/dist/images civicgrid/web/static/vendor/leaflet/
	cp node_modules/htmx.org/dist/htmx.min.js civicgrid/web/static/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js civicgrid/web/static/vendor/echarts/
	cp node_modules/leaflet/LICENSE civicgrid/web/static/vendor/leaflet/LICENSE
	cp node_modules/htmx.org/LICENSE civicgrid/web/static/vendor/htmx/LICENSE
	cp node_modules/echarts/LICENSE civicgrid/web/static/vendor/echarts/LICENSE
	# The field app's service worker (workbox-sw loads the modules below from /static/vendor/workbox/, production
	# builds only: the worker sets debug false) and its IndexedDB wrapper.
	mkdir -p civicgrid/web/static/vendor/workbox civicgrid/web/static/vendor/idb
	cp node_modules/workbox-sw/build/workbox-sw.js civicgrid/web/static/vendor/workbox/
	for m in $(WORKBOX_MODULES); do cp node_modules/workbox-$$m/build/workbox-$$m.prod.js civicgrid/web/static/vendor/workbox/; done
	cp node_modules/workbox-sw/LICENSE civicgrid/web/static/vendor/workbox/LICENSE
	sed -i '/^\/\/# sourceMappingURL=/d' civicgrid/web/static/vendor/workbox/*.js
	cp node_modules/idb/build/umd.js civicgrid/web/static/vendor/idb/idb.js
	cp node_modules/idb/LICENSE civicgrid/web/static/vendor/idb/LICENSE
	sed -i '/^\/\/# sourceMappingURL=/d' civicgrid/web/static/vendor/idb/idb.js

bench: $(BENCH_STAMP)
	$(BIN)/python bench/locate.py
	$(BIN)/python bench/seed.py

clean:
	rm -rf $(VENV) var/*.sqlite3* node_modules
