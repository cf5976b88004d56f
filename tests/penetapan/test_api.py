"""The REST API of the usulan penetapan AK: the same services and visibility as the pages."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from apps.penetapan import services
from tests.pdfs import pdf_dokumen
from tests.penetapan.conftest import bentuk_tim, buat_pejabat

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    from apps.accounts import token

    client = APIClient()
    _row, key = token.terbitkan(user, dua_langkah=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_usulan_through_the_api_and_another_instansi_gets_404(pic_kab, pic_kab2, kab, prov, jfak, admin_lan):
    tim = bentuk_tim(prov, jfak, "provinsi", n=3)
    # 58 on the 1st of this month, TMT pensiun the 1st of the next: she "telah memasuki batas usia
    # pensiun" (seed 001 BAB IV C) and is still in service, so today is always allowed.
    from django.utils import timezone

    hari = timezone.localdate()
    lahir = date(hari.year - 58, hari.month, 1)
    pejabat = buat_pejabat(kab, jfak, nip=f"{lahir:%Y%m%d}1990011001", nama="Sri Lestari", lahir=lahir)
    api = _api(pic_kab)
    r = api.post("/api/v1/penetapan/usulan/", {"pejabat": pejabat.pk}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["pejabat_nama"] == "Sri Lestari"
    r = api.post(f"/api/v1/penetapan/usulan/{pk}/ajukan/")
    assert r.status_code == 400 and "Lengkapi dokumen" in r.json()["non_field_errors"][0]
    for jenis in services.DOKUMEN_WAJIB:
        from django.core.files.uploadedfile import SimpleUploadedFile

        berkas = SimpleUploadedFile(f"{jenis}.pdf", pdf_dokumen(jenis), "application/pdf")
        r = api.post(f"/api/v1/penetapan/usulan/{pk}/dokumen/", {"jenis": jenis, "berkas": berkas},
                     format="multipart")  # fmt: skip
        assert r.status_code == 201, r.content
    r = api.post(f"/api/v1/penetapan/usulan/{pk}/ajukan/")
    assert r.status_code == 200 and r.json()["status"] == "diajukan"
    diajukan = r.json()

    other = _api(pic_kab2)
    assert other.get(f"/api/v1/penetapan/usulan/{pk}/").status_code == 404
    assert other.post(f"/api/v1/penetapan/usulan/{pk}/batalkan/").status_code == 404
    assert other.get("/api/v1/penetapan/usulan/").json()["count"] == 0
    assert other.post("/api/v1/penetapan/usulan/", {"pejabat": pejabat.pk}, format="json").status_code == 404

    stp = _api(tim["sekretariat"])
    assert [u["id"] for u in stp.get("/api/v1/penetapan/usulan/").json()["results"]] == [pk]
    r = stp.post(f"/api/v1/penetapan/usulan/{pk}/periksa/", {"lengkap": False, "catatan": ""}, format="json")
    assert r.status_code == 400 and "Tuliskan catatan" in r.json()["non_field_errors"][0]
    r = stp.post(f"/api/v1/penetapan/usulan/{pk}/periksa/", {"lengkap": False, "catatan": "SKP kurang"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "dikembalikan"
    assert r.json()["catatan_sekretariat"] == "SKP kurang"
    # A member may not check completeness; the PIC may not assess.
    member = _api(tim["anggota"][2].user)
    r = member.post(f"/api/v1/penetapan/usulan/{pk}/periksa/", {"lengkap": True}, format="json")
    assert r.status_code == 400 and "Peran Anda" in r.json()["non_field_errors"][0]
    assert api.post(f"/api/v1/penetapan/usulan/{pk}/nilai/", {"rekomendasi": "setuju"},
                    format="json").status_code in (400, 403)  # fmt: skip

    rekap = _api(admin_lan).get("/api/v1/pembina/penetapan/rekap/")
    assert rekap.status_code == 200
    assert rekap.json() == [{"jf": jfak.nama, "tahun": diajukan["tahun"], "periode": diajukan["periode"],
                             "diajukan": 1, "pak": 0, "hapak": 0, "proses": 1}]  # fmt: skip
    assert _api(pic_kab).get("/api/v1/pembina/penetapan/rekap/").status_code == 403


def test_the_schema_documents_the_penetapan_api(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for p in ("/api/v1/penetapan/usulan/", "/api/v1/penetapan/usulan/{id}/periksa/",
              "/api/v1/penetapan/usulan/{id}/nilai/", "/api/v1/pembina/penetapan/rekap/"):  # fmt: skip
        assert p in paths, p
    assert "UsulanPenetapan" in schema["components"]["schemas"]


def test_every_write_route_of_the_penetapan_and_jabatan_api_documents_its_400(client):
    """Issue 19 fresh-eye walk: the refusals (400) of the penetapan and jabatan routes were not in
    the schema. Every POST/PUT/PATCH under them documents the refusal's body: reasons per field,
    ``non_field_errors`` for the rest."""
    schema = client.get("/api/schema/?format=json").json()
    tanpa, dicek = [], 0
    for path, ops in schema["paths"].items():
        if not path.startswith(("/api/v1/penetapan/", "/api/v1/pejabat-fungsional/")):
            continue
        for method in ("post", "put", "patch"):
            if method not in ops:
                continue
            dicek += 1
            body = ops[method]["responses"].get("400", {}).get("content", {}).get("application/json", {})
            skema = body.get("schema", {})
            if "$ref" in skema:
                skema = schema["components"]["schemas"][skema["$ref"].rsplit("/", 1)[1]]
            if "non_field_errors" not in skema.get("properties", {}) or "additionalProperties" not in skema:
                tanpa.append(f"{method.upper()} {path}")
    assert dicek >= 15 and tanpa == []
