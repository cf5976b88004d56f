"""Benchmarks run against a throw-away database made like the test database (owner creates and
migrates it, the application role uses it), so they never touch the demo data."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaks.settings.test")


@contextmanager
def bench_database(name: str = "bench"):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    owner = connections[settings.MIGRATION_DATABASE]
    owner.settings_dict["TEST"] = {**owner.settings_dict.get("TEST", {}), "NAME": f"bench_{name}"}
    old = owner.settings_dict["NAME"]
    test_name = owner.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    default = connections["default"]
    default.close()
    default.settings_dict["NAME"] = test_name
    try:
        yield
    finally:
        for conn in connections.all():
            conn.close()
        owner.creation.destroy_test_db(old, verbosity=0)
