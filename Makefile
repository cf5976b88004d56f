# siaks — the two commands of the README:
#   make run    set everything up, start the portal with demo data, a Celery worker and beat
#   make test   set everything up and run the whole test suite (what CI runs)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test setup python-deps node-deps browser check lint format stop clean-data

run: setup
	$(PY) manage.py run_portal

test: setup browser
	bash scripts/test.sh

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

# UI tests drive Debian's Chromium through Playwright (executable_path); no browser download.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

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
