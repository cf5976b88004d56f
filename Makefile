# siaks — the two commands of the README:
#   make run    set everything up, start the portal with demo data, a Celery worker and beat
#   make test   set everything up and run the whole test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test dokumentasi system-deps setup python-deps node-deps browser check lint format stop clean-data

run: setup
	$(PY) manage.py run_portal

test: setup system-deps
	bash scripts/test.sh

# Screenshots of the guides (docs/screenshots/) and sample letters (docs/contoh-surat/): the browser
# journeys and the sample-letter test, writing into docs/ instead of test-artifacts/.
dokumentasi: setup system-deps
	bash scripts/dokumentasi.sh

setup: python-deps node-deps

python-deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the tests need: Chromium (Playwright drives it through executable_path, no browser
# download), poppler-utils (pdftotext reads the letters' layout) and pgbouncer (the pooled-database test).
browser: system-deps
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -x /usr/sbin/pgbouncer ] || command -v pgbouncer >/dev/null 2>&1 || missing="$$missing pgbouncer"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: python-deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Stop the embedded PostgreSQL and Redis (they keep running between commands otherwise).
stop: python-deps
	$(PY) -m siaks.embedded stop

clean-data: stop
	rm -rf .data
