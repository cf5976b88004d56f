#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: lint, Django checks, migrations, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
echo "== ruff (lint, format)"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .
echo "== manage.py check"
DJANGO_SETTINGS_MODULE=siaks.settings.test $VENV/bin/python manage.py check --fail-level WARNING
echo "== makemigrations --check"
DJANGO_SETTINGS_MODULE=siaks.settings.test $VENV/bin/python manage.py makemigrations --check --dry-run
echo "== pytest"
mkdir -p test-artifacts
$VENV/bin/pytest --cov --cov-report=term:skip-covered --cov-report=xml:test-artifacts/coverage.xml "$@"
echo "== the rules module is fully covered"
$VENV/bin/coverage report --include=apps/referensi/domain.py --fail-under=100 --show-missing
