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
# Coverage: by default only the rules module is traced (its 100 % is checked below); tracing every
# line of apps/ and siaks/ costs CI minutes. SIAKS_COVERAGE=semua measures and reports all of it.
if [ "${SIAKS_COVERAGE:-}" = "semua" ]; then
  COV=(--cov --cov-report=term:skip-covered --cov-report=xml:test-artifacts/coverage.xml)
else
  COV=(--cov=apps.referensi.domain --cov-report=)
fi
$VENV/bin/pytest -n "$WORKERS" --dist loadfile --durations=40 "${COV[@]}" "$@"
echo "== the rules module is fully covered"
$VENV/bin/coverage report --include=apps/referensi/domain.py --fail-under=100 --show-missing
echo "== the work tree is as the suite found it"
TREE_AFTER=$(git status --porcelain 2>/dev/null || true)
if [ "$TREE_BEFORE" != "$TREE_AFTER" ]; then
  echo "The test run changed the work tree:"
  diff <(echo "$TREE_BEFORE") <(echo "$TREE_AFTER") || true
  exit 1
fi
