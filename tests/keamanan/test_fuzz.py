"""API fuzzing (issue 8, item 5): schemathesis generates requests from our OpenAPI schema for
every operation and sends them through the WSGI application, authenticated as each role and as
an anonymous client. No response may be a server error, and documented responses must match
their schema. The case count per role is printed (docs/keamanan.md holds the last figures)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
# Per operation and role, derandomized so CI is repeatable; SIAKS_FUZZ_EXAMPLES=200 for a deep run.
EXAMPLES = int(os.environ.get("SIAKS_FUZZ_EXAMPLES", "10"))

ROLES = {
    "anonim": None,
    "pic": ("pic_instansi", "a"),
    "ppk": ("ppk", "a"),
    "verifikator": ("verifikator", "pembina"),
    "admin_pembina": ("admin_pembina", "pembina"),
    "ketua_tim": ("ketua_tim", "pembina"),
    "penilai": ("penilai", "pembina"),
}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI app must not close the test's DB connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_rate_limits(monkeypatch, settings):
    rates = {"user": "100000/minute", "anon": "100000/minute"}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    settings.SIAKS_RATE_UNGGAH = 100000
    settings.SIAKS_RATE_VERIFIKASI = 100000


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_fails_with_a_server_error(role, referensi, instansi_a, no_rate_limits, capsys):
    headers = {}
    if ROLES[role]:
        name, where = ROLES[role]
        instansi = instansi_a if where == "a" else referensi["pengantar-kerja"].instansi_pembina
        user = UserFactory(username=f"fuzz.{role}", instansi=instansi, roles=[name])
        headers["Authorization"] = f"Token {Token.objects.create(user=user).key}"
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    failures, cases, operations = [], 0, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case):
            nonlocal cases
            cases += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # collect every operation's failure, not only the first
                failures.append(f"{case.method} {case.formatted_path}: {str(exc).splitlines()[0][:200]}")
                raise

        before = len(failures)
        try:
            run()
        except Exception as exc:
            if len(failures) == before:  # not a response check: generation or transport broke
                failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:200]}")
    with capsys.disabled():
        print(f"\nschemathesis {role}: {operations} operasi, {cases} kasus, {len(failures)} gagal")
    assert operations >= 30 and cases >= operations * 2
    assert failures == []
