"""The database restarting under a running application (issue 8, item 6): while PostgreSQL is
down, pages and API answer a clean 503 (translated, Retry-After) instead of a 500 or a hang; once
it is back, the same application serves again — no restart of the app."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connections

from siaks import embedded

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.EMBEDDED_POSTGRES, reason="stops the embedded PostgreSQL server"),
]


def _wait_until_up(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connections.close_all()
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
            return
        except Exception:
            time.sleep(0.3)
    raise AssertionError("PostgreSQL did not come back")


def test_requests_fail_cleanly_then_recover_without_restarting_the_app(pic_a):
    from django.test import Client

    client = Client(raise_request_exception=False)  # what a browser gets, not the test client's re-raise
    client.force_login(pic_a)
    assert client.get("/beranda/").status_code == 200
    connections.close_all()
    assert embedded.stop_postgres()
    try:
        started = time.monotonic()
        page = client.get("/beranda/")
        assert page.status_code == 503 and page["Retry-After"] == "30"
        assert "Basis data sedang tidak dapat dihubungi" in page.content.decode()
        api = client.get("/api/v1/pegawai/")
        assert api.status_code == 503 and "Basis data" in api.json()["detail"]
        ready = client.get("/sehat/siap/")
        assert ready.status_code == 503 and ready.json()["cek"]["database"].startswith("gagal")
        assert client.get("/sehat/hidup/").status_code == 200  # liveness does not depend on the database
        assert time.monotonic() - started < 20  # fails fast (connect_timeout), no hang
    finally:
        embedded.start_postgres_again()
        _wait_until_up()
    # The same client and application: the session is still valid and pages work again.
    assert client.get("/beranda/").status_code == 200
    assert client.get("/api/v1/pegawai/").status_code == 200
    assert client.get("/sehat/siap/").json()["status"] == "ok"


def test_with_the_connection_pool_an_outage_fails_fast(pic_a):
    """Production runs with psycopg's pool: while PostgreSQL is down, a request waits at most the
    pool's timeout (2 s) once, not at every query, and later requests fail at once."""
    from django.test import Client

    from apps.core.db.backend import base as backend

    default = connections["default"]
    default.close()
    default.settings_dict["OPTIONS"]["pool"] = {"min_size": 1, "max_size": 2, "timeout": settings.DB_POOL_TIMEOUT}
    try:
        client = Client(raise_request_exception=False)
        client.force_login(pic_a)
        assert client.get("/beranda/").status_code == 200
        assert default.pool is not None
        connections.close_all()
        assert embedded.stop_postgres()
        try:
            for path in ("/beranda/", "/api/v1/pegawai/", "/beranda/", "/sehat/siap/"):
                started = time.monotonic()
                response = client.get(path)
                took = time.monotonic() - started
                assert response.status_code == 503, path
                assert took < 3.5, f"{path} took {took:.1f}s"
            time.sleep(backend.FAIL_FAST_SECONDS)
        finally:
            embedded.start_postgres_again()
            deadline = time.monotonic() + 60
            while client.get("/sehat/siap/").status_code != 200:
                assert time.monotonic() < deadline, "no recovery"
                time.sleep(0.5)
        assert client.get("/beranda/").status_code == 200
    finally:
        default.close()
        default.close_pool()
        default.settings_dict["OPTIONS"].pop("pool", None)
