#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: lint, Django checks, migrations, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
# The suite stops what it started: embedded servers that were not up before it are stopped at the
# end, whatever the outcome (servers someone left running, e.g. by `make run`, stay up).
if [ -z "${DATABASE_URL:-}" ]; then
  BEFORE=$($VENV/bin/python -m siaks.embedded running)
  trap '$VENV/bin/python -m siaks.embedded stop-started "$BEFORE"' EXIT
fi
# The suite leaves the work tree as it found it (screenshots and sample letters: `make dokumentasi`).
TREE_BEFORE=$(git status --porcelain 2>/dev/null || true)
echo "== ruff (lint, format)"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .
echo "== manage.py check"
DJANGO_SETTINGS_MODULE=siaks.settings.test $VENV/bin/python manage.py check --fail-level WARNING
echo "== makemigrations --check"
DJANGO_SETTINGS_MODULE=siaks.settings.test $VENV/bin/python manage.py makemigrations --check --dry-run
echo "== pytest"
mkdir -p test-artifacts
# In parallel (pytest-xdist): SIAKS_TEST_WORKERS processes, 2 by default (CI's 2 cores), each with its
# own embedded PostgreSQL, Redis and media (siaks/settings/test.py); a test file stays on one worker.
# SIAKS_TEST_WORKERS=0 runs everything in this one process, in file order (for debugging). With
# REDIS_URL set the workers would share one broker's queues, so the default is then one process.
WORKERS=${SIAKS_TEST_WORKERS:-$([ -z "${REDIS_URL:-}" ] && echo 2 || echo 0)}
# Coverage. Python 3.11 has no low-cost tracing (sys.monitoring is 3.12+): any active tracer slows
# every line of the whole suite, about 1.5-1.8x measured, also when it records one module. So by
# default the suite runs untraced, and the rules module's 100 % is checked on its own unit tests
# first (tests/referensi/test_domain.py, seconds, no database). SIAKS_COVERAGE=semua traces all of
# apps/ and siaks/ through the whole suite and reports it.
SUITE=($VENV/bin/pytest -n "$WORKERS" --dist loadfile --durations=40)
if [ "${SIAKS_COVERAGE:-}" = "semua" ]; then
  "${SUITE[@]}" --cov --cov-report=term:skip-covered --cov-report=xml:test-artifacts/coverage.xml "$@"
elif [ $# -eq 0 ]; then
  echo "== the rules module is fully covered by its unit tests"
  $VENV/bin/pytest -q tests/referensi/test_domain.py \
    --cov=apps.referensi.domain --cov-report=term-missing --cov-fail-under=100
  "${SUITE[@]}" -p no:cov --ignore=tests/referensi/test_domain.py
else
  "${SUITE[@]}" -p no:cov "$@"
fi
echo "== the work tree is as the suite found it"
TREE_AFTER=$(git status --porcelain 2>/dev/null || true)
if [ "$TREE_BEFORE" != "$TREE_AFTER" ]; then
  echo "The test run changed the work tree:"
  diff <(echo "$TREE_BEFORE") <(echo "$TREE_AFTER") || true
  exit 1
fi
