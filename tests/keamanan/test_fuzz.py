"""API fuzzing (issue 8, item 5; issue 15, finding 8): schemathesis generates requests from our
OpenAPI schema for every operation and sends them through the WSGI application, authenticated as
each role and as an anonymous client. No response may be a server error, and documented
responses must match their schema. Two phases:

* **fuzzing** — every operation, every role, random input (mostly ids nobody owns: 404s);
* **stateful** — over seeded data (a submitted usulan with its documents, in the pembina's
  inbox), schemathesis follows the links it infers between operations (a list's ids into the
  detail, document, eligibility and timeline routes...), so real 200 bodies are checked
  against the schema. The fuzzing phase alone never reached them: three actions documented as
  paginated answered bare arrays, and a null verifikator was documented as non-null.

The case counts are printed (docs/keamanan.md holds the last figures)."""

from __future__ import annotations

import collections
import contextlib
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("keep_the_test_connection")]
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


def _key(user) -> str:
    from apps.accounts import token

    return token.terbitkan(user, dua_langkah=True)[1]


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
        headers["Authorization"] = f"Token {_key(user)}"
    schema = _schema()
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


# --------------------------------------------------------------------------- stateful phase (issue 15)

STATEFUL_EXAMPLES = int(os.environ.get("SIAKS_FUZZ_STATEFUL", "25"))


@pytest.fixture
def seeded(referensi, instansi_a):
    """A PIC with a submitted usulan (documents uploaded) of JF Pengantar Kerja and a draft;
    the JF's verifikator and admin pembina, who see the submitted one in the inbox, unclaimed."""
    from apps.core import tenancy
    from apps.pengusulan import services
    from apps.referensi.models import Jenjang
    from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory

    pk = referensi["pengantar-kerja"]
    pic = UserFactory(username="fuzz.pic", instansi=instansi_a, roles=["pic_instansi"])
    with tenancy.scope(instansi_a):
        services.formasi_simpan(
            actor=pic, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=5
        )
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data())
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=pk)
        draft_pegawai = services.pegawai_create(actor=pic, data=pegawai_data(nip="19860926 201505 1 009"))
        services.usulan_create(actor=pic, pegawai=draft_pegawai, jf=pk)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(instansi_a):
        usulan = services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
    staf = pk.instansi_pembina
    return {
        "pic": pic,
        "usulan": usulan,
        "verifikator": UserFactory(username="fuzz.v", instansi=staf, roles=["verifikator"]),
        "admin_pembina": UserFactory(username="fuzz.admin", instansi=staf, roles=["admin_pembina"]),
    }


def _schema():
    # Revoking a token would log the run out half-way (tests/keamanan/test_token_otp.py covers it).
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).exclude(
        method="DELETE", path_regex="/akun/token/"
    )


def test_the_array_reads_and_the_inbox_match_their_schema(seeded):
    """Deterministic: the bodies the tester found undocumented, checked against the schema."""
    schema = _schema()
    u = seeded["usulan"].pk
    cases = [
        ("pic", "/api/v1/usulan/{id}/dokumen/", {"id": u}),
        ("pic", "/api/v1/usulan/{id}/eligibilitas/", {"id": u}),
        ("pic", "/api/v1/usulan/{id}/timeline/", {"id": u}),
        ("verifikator", "/api/v1/pembina/usulan/", {}),
        ("verifikator", "/api/v1/pembina/usulan/{id}/", {"id": u}),
    ]
    for role, path, params in cases:
        operation = schema[path]["GET"]
        case = operation.Case(path_parameters=params)
        response = case.call(headers={"Authorization": f"Token {_key(seeded[role])}"})
        assert response.status_code == 200, (path, response.text[:200])
        body = response.json()
        if path.endswith("/pembina/usulan/"):
            assert body["results"] and body["results"][0]["verifikator"] is None  # unclaimed: null
        elif "{id}/" in path and path.startswith("/api/v1/usulan/"):
            assert isinstance(body, list) and body  # a bare, non-empty array
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.parametrize("role", ["pic", "verifikator", "admin_pembina"])
def test_the_stateful_phase_follows_links_over_seeded_data(role, seeded, no_rate_limits, capsys):
    """schemathesis' stateful phase: sequences of calls linked by the ids one response hands to
    the next operation, each response checked for server errors and schema conformance."""
    headers = {"Authorization": f"Token {_key(seeded[role])}"}
    schema = _schema()
    Machine = schema.as_state_machine()
    stats = {"calls": 0, "ok": 0, "failures": [], "ops": collections.Counter()}

    class Workflow(Machine):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            stats["calls"] += 1
            stats["ok"] += response.status_code < 300
            stats["ops"][f"{case.method} {case.path} {response.status_code}"] += 1
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:
                stats["failures"].append(f"{case.method} {case.formatted_path}: {str(exc).splitlines()[0][:200]}")
                raise

    transitions = schema.statistic.transitions.total
    # The failures are collected (and asserted) below.
    with contextlib.suppress(Exception):
        Workflow.run(
            settings=settings(
                max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, deadline=None, database=None,
                derandomize=True, suppress_health_check=list(HealthCheck),
            )
        )  # fmt: skip
    with capsys.disabled():
        print(
            f"\nschemathesis stateful {role}: {transitions} tautan, {stats['calls']} panggilan, "
            f"{stats['ok']} berhasil (2xx), {len(stats['failures'])} gagal"
        )
        if os.environ.get("SIAKS_FUZZ_VERBOSE"):
            print(stats["ops"].most_common())
    assert transitions >= 50
    assert stats["failures"] == []
    assert stats["calls"] >= STATEFUL_EXAMPLES and stats["ok"] > 0
