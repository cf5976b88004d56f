#!/usr/bin/env bash
# `make dokumentasi`: the browser journeys and the sample-letter test, writing the guides'
# screenshots (docs/screenshots/) and sample letters (docs/contoh-surat/) instead of test-artifacts/.
# Like the test command, it stops the embedded servers it started.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
if [ -z "${DATABASE_URL:-}" ]; then
  BEFORE=$($VENV/bin/python -m siaks.embedded running)
  trap '$VENV/bin/python -m siaks.embedded stop-started "$BEFORE"' EXIT
fi
mkdir -p test-artifacts
export SIAKS_DOKUMENTASI=1
$VENV/bin/pytest -q tests/ui "tests/surat/test_surat.py::test_sample_letters_for_the_docs" "$@"
