"""Test database: made and migrated by the owner role, used by the application role.

pytest-django would otherwise create the test database through ``default`` — the application
role, which may not create databases or tables. Here the owner connection creates and migrates
``test_siaks`` and ``default`` is pointed at it, so tests run under the same role and
row-level security as production."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests check behaviour, not speed: on a loaded 2-core CI machine Hypothesis's default
# 200 ms deadline and its "generation is slow" health check fail tests whose logic is fine.
hypothesis_settings.register_profile("siaks", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("siaks")

# The shared fixtures (users per tenant, dossiers in each state): every test module may use them.
pytest_plugins = [
    "tests.perlengkapan.pengguna",
    "tests.perlengkapan.berkas",
    "tests.perlengkapan.dunia",
    "tests.perlengkapan.ttd",
]


#: The longest test files (``--durations``, 2 cores), started first: ``make test`` hands whole files
#: to its two processes in collection order (pytest-xdist ``--dist loadfile``), so a five-minute
#: file collected last would keep one process busy while the other has nothing left to do.
LAMA_DULU = (
    "tests/keamanan/test_masukan_salah.py",
    "tests/ui/test_aksesibilitas.py",
    "tests/ui/test_perjalanan_lengkap.py",
    "tests/keamanan/test_fuzz.py",
    "tests/keamanan/test_probe.py",
    "tests/surat/test_robust.py",
    "tests/ui/test_angka_kredit_journey.py",
)


def pytest_collection_modifyitems(session, config, items):
    urutan = {path: i for i, path in enumerate(LAMA_DULU)}

    def kunci(pasangan):
        i, item = pasangan
        path = item.nodeid.split("::", 1)[0]
        return (urutan.get(path, len(LAMA_DULU)), i)

    items[:] = [item for _i, item in sorted(enumerate(items), key=kunci)]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    # django_db_modify_db_settings: under pytest-xdist each worker's test database gets its own
    # name (test_siaks_gw0, ...), as pytest-django does, also when DATABASE_URL names a shared server.
    owner = connections[settings.MIGRATION_DATABASE]
    old_name = owner.settings_dict["NAME"]
    with django_db_blocker.unblock():
        test_name = owner.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        default = connections["default"]
        default.close()
        default.settings_dict["NAME"] = test_name
        settings.DATABASES["default"]["NAME"] = test_name
    yield
    with django_db_blocker.unblock():
        for conn in connections.all():
            conn.close()
        owner.creation.destroy_test_db(old_name, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _stop_test_redis_at_the_end():
    """The suite's own Redis (siaks.settings.test) does not outlive the test run."""
    yield
    from siaks import embedded

    if getattr(settings, "TEST_REDIS_SOCKET", None):
        embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)


def pytest_unconfigure(config):
    """A parallel worker (pytest -n) stops the servers of its own data folder (siaks/settings/test.py)
    once its tests are done. The controller of a parallel run runs no test, so the session fixture
    above never stops the suite's Redis its settings started: it does so here."""
    from siaks import embedded

    if hasattr(config, "workerinput"):
        if os.environ.get("SIAKS_XDIST_WORKER_DATA"):
            embedded.stop_all_in(embedded.data_dir())
    elif getattr(config.option, "numprocesses", 0) and settings.configured:
        sock = getattr(settings, "TEST_REDIS_SOCKET", None)
        if sock:
            embedded.stop_redis(sock, settings.TEST_REDIS_DIR)


@pytest.fixture
def keep_the_test_connection():
    """For a test that serves the WSGI app itself (a real HTTP server, schemathesis): as Django's
    test client does, the app must not close the test's DB connection at the end of a request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
