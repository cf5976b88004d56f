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
