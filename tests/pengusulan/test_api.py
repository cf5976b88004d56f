from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.pengusulan import services
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Usulan
from apps.referensi.models import PersyaratanDokumen
from tests.factories import PASSWORD
from tests.pdfs import javascript_open_action_pdf
from tests.pengusulan.conftest import PEGAWAI, pdf_upload, pegawai_data, surat_pak, usulan_draf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(pic):
    from apps.accounts import token

    client = APIClient()
    _row, key = token.terbitkan(pic, dua_langkah=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_is_obtained_with_username_and_password(pic):
    response = APIClient().post("/api/v1/token/", {"username": pic.username, "password": PASSWORD})
    assert response.status_code == 200 and len(response.json()["token"]) == 40
    assert APIClient().get("/api/v1/pegawai/").status_code in (401, 403)


def test_the_pic_journey_through_the_api(api, pic, aks, formasi_aks):
    pegawai = api.post("/api/v1/pegawai/", PEGAWAI, format="json")
    assert pegawai.status_code == 201, pegawai.json()
    body = pegawai.json()
    assert (body["nip"], body["tanggal_lahir"], body["jenis_kelamin"], body["tmt_cpns"]) == (
        "198609262015051001", "1986-09-26", "L", "2015-05-01",
    )  # fmt: skip
    usulan = api.post("/api/v1/usulan/", {"pegawai": body["id"], "jf": "aks"}, format="json").json()
    assert (usulan["status"], usulan["jenjang"]) == ("draft", "ahli_muda")
    assert api.post("/api/v1/usulan/", {"pegawai": body["id"], "jf": "aks"}, format="json").json()["id"] == usulan["id"]

    eligibilitas = api.get(f"/api/v1/usulan/{usulan['id']}/eligibilitas/").json()
    assert {e["rule"]: e["status"] for e in eligibilitas}["jenjang"] == "passed"

    refused = api.post(f"/api/v1/usulan/{usulan['id']}/ajukan/")
    assert refused.status_code == 400
    assert "Dokumen wajib belum diunggah: SK pengangkatan CPNS." in refused.json()["non_field_errors"]

    for p in PersyaratanDokumen.objects.filter(jf=aks, wajib=True, level="usulan", jenis_usulan="penyesuaian"):
        up = api.post(
            f"/api/v1/usulan/{usulan['id']}/dokumen/",
            {"persyaratan": p.kode, "berkas": pdf_upload(), **surat_pak(p)},
            format="multipart",
        )
        assert up.status_code == 201, up.json()
    with tenancy.scope(pic.instansi):
        for p in PersyaratanDokumen.objects.filter(jf=aks, wajib=True, level="instansi"):
            services.dokumen_upload(actor=pic, jf=aks, persyaratan=p, upload=pdf_upload())
    versions = api.get(f"/api/v1/usulan/{usulan['id']}/dokumen/").json()
    assert (
        len(versions)
        == PersyaratanDokumen.objects.filter(jf=aks, wajib=True, level="usulan", jenis_usulan="penyesuaian").count()
    )
    download = api.get(versions[0]["unduh"])
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"

    pengantar = {"pengantar_nomor": "800/123/BKD/2026", "pengantar_tanggal": "2026-06-10"}
    submitted = api.post(f"/api/v1/usulan/{usulan['id']}/ajukan/", pengantar, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "diajukan"
    timeline = api.get(f"/api/v1/usulan/{usulan['id']}/timeline/").json()
    assert timeline[0]["action"] == "usulan.dibuat" and timeline[-1]["action"] == "usulan.diajukan"
    formasi = api.get("/api/v1/formasi/", {"jf": "aks"}).json()
    assert (formasi[0]["jumlah"], formasi[0]["terpakai"], formasi[0]["sisa"]) == (2, 1, 1)
    withdrawn = api.post(f"/api/v1/usulan/{usulan['id']}/batalkan/")
    assert withdrawn.json()["status"] == "dibatalkan"
    assert api.get("/api/v1/formasi/", {"jf": "aks"}).json()[0]["sisa"] == 2


def test_bad_input_gets_field_errors_in_indonesian(api, referensi):
    response = api.post("/api/v1/pegawai/", {**PEGAWAI, "nip": "1986", "golongan": "V/x"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["nip"] == ["NIP harus 18 digit; yang diisi 4 digit."]
    assert "golongan" in errors


def test_a_hostile_upload_is_a_400_with_the_reason(api, pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    response = api.post(
        f"/api/v1/usulan/{usulan.pk}/dokumen/",
        {"persyaratan": "sk_cpns", "berkas": pdf_upload("x.pdf", javascript_open_action_pdf())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "memuat" in response.json()["non_field_errors"][0]
    with tenancy.scope(pic.instansi):
        assert not Dokumen.objects.exists()


def test_every_api_route_answers_404_for_another_instansis_objects(api, pic_lain, aks, formasi_aks):
    with tenancy.scope(pic_lain.instansi):
        pegawai = services.pegawai_create(actor=pic_lain, data=pegawai_data(nip="19790101 200501 1 002"))
        usulan = services.usulan_create(actor=pic_lain, pegawai=pegawai, jf=aks)
        p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        dokumen = services.dokumen_upload(actor=pic_lain, jf=aks, persyaratan=p, upload=pdf_upload(), usulan=usulan)
    routes = [
        ("get", f"/api/v1/pegawai/{pegawai.pk}/"),
        ("patch", f"/api/v1/pegawai/{pegawai.pk}/"),
        ("get", f"/api/v1/usulan/{usulan.pk}/"),
        ("post", f"/api/v1/usulan/{usulan.pk}/ajukan/"),
        ("post", f"/api/v1/usulan/{usulan.pk}/batalkan/"),
        ("get", f"/api/v1/usulan/{usulan.pk}/eligibilitas/"),
        ("get", f"/api/v1/usulan/{usulan.pk}/timeline/"),
        ("get", f"/api/v1/usulan/{usulan.pk}/dokumen/"),
        ("post", f"/api/v1/usulan/{usulan.pk}/dokumen/"),
        ("get", f"/api/v1/dokumen/{dokumen.pk}/"),
        ("get", f"/api/v1/dokumen/{dokumen.pk}/unduh/"),
    ]
    for method, url in routes:
        assert getattr(api, method)(url, {}, format="json").status_code == 404, url
    assert api.post("/api/v1/usulan/", {"pegawai": pegawai.pk, "jf": "aks"}, format="json").status_code == 404
    assert api.get("/api/v1/pegawai/").json()["count"] == 0
    assert [f["id"] for f in api.get("/api/v1/formasi/", {"jf": "aks"}).json()] == [formasi_aks.pk]
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.DRAFT


def test_list_endpoints_have_a_fixed_query_count(api, pic, aks, make_pegawai):
    usulan_draf(make_pegawai, pic, aks, 2, 0)
    api.get("/api/v1/pegawai/")  # the token's last use is stamped once (then at most every 5 minutes), here
    counts = {}
    for url in ("/api/v1/pegawai/", "/api/v1/usulan/"):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        counts[url] = len(captured)
    usulan_draf(make_pegawai, pic, aks, 15, 100)
    for url, n in counts.items():
        with CaptureQueriesContext(connection) as captured:
            assert len(api.get(url).json()["results"]) == 17
        assert len(captured) == n, url


def test_the_schema_and_a_locally_served_swagger_ui(client, pic):
    client.force_login(pic)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/usulan/{id}/ajukan/" in text and "/api/v1/formasi/" in text
    ui = client.get("/api/docs/").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in ui
    assert "cdn" not in ui.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_roles_without_the_capability_are_refused(referensi, verifikator):
    client = APIClient()
    client.force_authenticate(verifikator)
    assert client.get("/api/v1/pegawai/").status_code == 403
    assert client.post("/api/v1/usulan/", {}, format="json").status_code == 403


def test_posting_a_formasi_row_finds_the_jenjang_within_the_jf(api, aks, referensi):
    """Issue 15, finding 7: every JF has "ahli_muda", so the code looked up across JFs was a
    MultipleObjectsReturned 500 on every POST."""
    from apps.referensi.models import Jenjang

    assert Jenjang.objects.filter(kode="ahli_muda").count() > 1
    created = api.post("/api/v1/formasi/", {"jf": "aks", "jenjang": "ahli_muda", "jumlah": 4}, format="json")
    assert created.status_code == 200, created.content
    assert (created.json()["jenjang"], created.json()["jumlah"]) == ("ahli_muda", 4)
    again = api.post("/api/v1/formasi/", {"jf": "aks", "jenjang": "ahli_muda", "jumlah": 6}, format="json")
    assert again.json()["id"] == created.json()["id"] and again.json()["jumlah"] == 6  # an upsert
    unknown = api.post("/api/v1/formasi/", {"jf": "aks", "jenjang": "utama", "jumlah": 1}, format="json")
    assert unknown.status_code == 400 and "tidak ada pada JF" in unknown.json()["jenjang"][0]
