"""A process whose first DRF import is ``apps.core.api`` starts: the renderer DRF loads when
``rest_framework.views`` is first imported lives in a module that imports no view (apps.core.renderers),
so it is never asked for while ``apps.core.api`` is half imported (a circular import that failed a
test file that happened to run first in a parallel worker)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_apps_core_api_imports_first_in_a_fresh_process():
    kode = "import django; django.setup(); import apps.core.api, apps.pengusulan.api.serializers; print('ok')"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siaks.settings.test"}
    hasil = subprocess.run([sys.executable, "-c", kode], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert hasil.returncode == 0, hasil.stderr[-2000:]
    assert hasil.stdout.strip().endswith("ok")
