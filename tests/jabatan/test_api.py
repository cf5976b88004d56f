"""The REST API of holders, ledger, predikat and thresholds: behaviour, isolation (another
instansi's holder is 404) and conformance of real bodies to the OpenAPI schema."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.core import tenancy
from apps.jabatan import services
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


@pytest.fixture
def dua(instansi_a, instansi_b, pk, pic_pk):
    a = buat_pejabat(instansi_a, pk)
    b = buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi")
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(a, JenisMutasi.AWAL, Decimal("47"), oleh=pic_pk, periode_mulai=date(2024, 1, 1))
    return a, b


def test_list_detail_ledger_and_predikat(client, dua, pic_pk):
    a, b = dua
    client.force_login(pic_pk)
    rows = client.get("/api/v1/pejabat-fungsional/").json()["results"]
    assert [r["id"] for r in rows] == [a.pk]
    assert client.get("/api/v1/pejabat-fungsional/?jenjang=ahli_muda").json()["results"] == []
    detail = client.get(f"/api/v1/pejabat-fungsional/{a.pk}/").json()
    assert detail["ak_kumulatif"] == "47.000" and detail["ambang"]["ambang_pangkat"] == "50.000"
    assert detail["ambang"]["pangkat_sejak"] is None
    r = client.post(
        f"/api/v1/pejabat-fungsional/{a.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "2024-01-01", "periode_selesai": "2024-03-31"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["nilai"] == "3.130" and r.json()["bulan"] == 3
    again = client.post(
        f"/api/v1/pejabat-fungsional/{a.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "2024-02-01", "periode_selesai": "2024-02-28"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "sudah dikonversi" in again.content.decode()
    bad = client.post(
        f"/api/v1/pejabat-fungsional/{a.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "2024-05-01", "periode_selesai": "2024-06-30", "jenjang": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "jenjang" in bad.json()
    ledger = client.get(f"/api/v1/pejabat-fungsional/{a.pk}/mutasi/").json()
    assert [(m["jenis"], m["nilai"]) for m in ledger] == [("awal", "47.000"), ("konversi", "3.130")]
    memenuhi = client.get("/api/v1/pejabat-fungsional/memenuhi/").json()
    assert [(k["pejabat"], k["pangkat_sejak"]) for k in memenuhi] == [(a.pk, "2024-03-31")]
    for url in (f"/api/v1/pejabat-fungsional/{b.pk}/", f"/api/v1/pejabat-fungsional/{b.pk}/mutasi/"):
        r = client.get(url)
        assert r.status_code == 404 and r.json() == {"detail": "Data tidak ditemukan."}
    r = client.post(
        f"/api/v1/pejabat-fungsional/{b.pk}/predikat/", {"predikat": "baik"}, content_type="application/json"
    )
    # Issue 19 walk: "No PejabatFungsional matches the given query." (English, naming the model).
    assert r.status_code == 404 and r.json() == {"detail": "Data tidak ditemukan."}
    with tenancy.scope(b.instansi_id):
        assert MutasiAK.objects.filter(pejabat=b).count() == 0


def test_the_ppk_reads_but_does_not_write(client, dua, ppk_pk):
    a, _b = dua
    client.force_login(ppk_pk)
    assert client.get(f"/api/v1/pejabat-fungsional/{a.pk}/").status_code == 200
    r = client.post(
        f"/api/v1/pejabat-fungsional/{a.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "2024-01-01", "periode_selesai": "2024-03-31"},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_real_bodies_match_the_schema(dua, pic_pk, staf, keep_the_test_connection):
    from apps.accounts import token

    a, b = dua
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    cases = [
        (pic_pk, "/api/v1/pejabat-fungsional/", {}, 200),
        (pic_pk, "/api/v1/pejabat-fungsional/{id}/", {"id": a.pk}, 200),
        (pic_pk, "/api/v1/pejabat-fungsional/{id}/mutasi/", {"id": a.pk}, 200),
        (pic_pk, "/api/v1/pejabat-fungsional/memenuhi/", {}, 200),
        (staf["admin"], "/api/v1/pejabat-fungsional/{id}/", {"id": b.pk}, 200),  # the JF's pembina
    ]
    for user, path, params, expected in cases:
        key = token.terbitkan(user, dua_langkah=True)[1]
        case = schema[path]["GET"].Case(path_parameters=params)
        response = case.call(headers={"Authorization": f"Token {key}"})
        assert response.status_code == expected, (path, response.text[:200])
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def test_a_refused_predikat_answers_under_non_field_errors_as_documented(client, dua, pic_pk):
    """Issue 19 (fresh-eye walk, LOW): an already-converted period answered ``{"__all__": …}``; the
    OpenAPI GalatValidasi and the guide document ``non_field_errors`` (as the usulan endpoint
    answers). Every refusal of a service without a field is rendered under that key."""
    a, _b = dua
    client.force_login(pic_pk)
    url = f"/api/v1/pejabat-fungsional/{a.pk}/predikat/"
    body = {"predikat": "baik", "periode_mulai": "2024-01-01", "periode_selesai": "2024-03-31"}
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400
    assert list(again.json()) == ["non_field_errors"]
    assert "sudah dikonversi" in " ".join(again.json()["non_field_errors"])
