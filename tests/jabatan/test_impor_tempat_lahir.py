"""Issue 19 (F11): the holders import (pejabat fungsional in the JF before the portal) lacked a
tempat lahir column, which the holder's record and letters print with the birth date. The
template has the column, each row is checked (missing, too long, not a place), the record keeps
it, the API and the page show it, and the holder's PAK/HAPAK print "Tempat, tanggal lahir"."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from apps.accounts import token
from apps.core import tenancy
from apps.jabatan import xlsx
from apps.jabatan.models import PejabatFungsional
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab = pc.jfak, pc.prov, pc.kab


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in xlsx.KOLOM_PEJABAT])
    for r in rows:
        ws.append([r.get(k) for k, _h in xlsx.KOLOM_PEJABAT])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def _baris(nip: str, nama: str, tempat) -> dict:
    return {"nip": nip, "nama": nama, "tempat_lahir": tempat, "jenjang": "Ahli Pertama", "golongan": "III/a",
            "tmt_golongan": date(2022, 1, 1), "tmt_jabatan": date(2022, 1, 1), "ak_awal": 10}  # fmt: skip


def test_the_template_has_a_tempat_lahir_column(client, pic_pk):
    client.force_login(pic_pk)
    r = client.get("/pejabat-fungsional/impor/pejabat/templat/")
    wb = load_workbook(io.BytesIO(r.content))
    header, contoh = list(wb.worksheets[0].iter_rows(values_only=True))[:2]
    i = list(header).index("Tempat lahir")
    assert contoh[i] and any(c.isalpha() for c in contoh[i])
    petunjuk = " ".join(str(c) for row in wb["Petunjuk"].iter_rows(values_only=True) for c in row if c)
    assert "Tempat lahir" in petunjuk


def test_the_import_keeps_the_tempat_lahir_and_reports_a_bad_one_per_row(client, instansi_a, pk, pic_pk):
    rows = [
        _baris("19860926 201505 1 003", "Citra", "Kabupaten Banyumas"),
        _baris("19860926 201505 1 004", "Dedi", None),
        _baris("19860926 201505 1 005", "Eko", "x" * 81),
        _baris("19860926 201505 1 006", "Fajar", date(1986, 9, 26)),
    ]
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/pejabat/", {"jf": pk.kode, "berkas": _xlsx(rows)})
    report = page.context["report"]
    assert report.imported == 1, report.errors
    alasan = {b: (k, r) for b, k, r in report.errors}
    assert alasan[3] == ("Tempat lahir", "wajib diisi: dicetak bersama tanggal lahir pada surat pejabat")
    assert alasan[4] == ("Tempat lahir", "paling banyak 80 karakter")
    assert alasan[5][0] == "Tempat lahir" and "isi nama kota atau kabupaten" in alasan[5][1]
    with tenancy.scope(instansi_a):
        citra = PejabatFungsional.objects.get(nip="198609262015051003", jf=pk)
    assert citra.tempat_lahir == "Kabupaten Banyumas"
    # The record shows it with the birth date (from the NIP), the API gives it.
    detail = client.get(f"/pejabat-fungsional/{citra.pk}/").content.decode()
    assert "Kabupaten Banyumas, 26 September 1986" in detail
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.terbitkan(pic_pk, dua_langkah=False)[1]}")
    assert api.get(f"/api/v1/pejabat-fungsional/{citra.pk}/").json()["tempat_lahir"] == "Kabupaten Banyumas"


def test_the_holders_pak_prints_tempat_and_tanggal_lahir(kab, jfak):
    """The PAK/HAPAK content snapshot carries both (apps.penetapan.isi)."""
    from types import SimpleNamespace

    from apps.penetapan import isi

    p = pc.buat_pejabat(kab, jfak, lahir=date(1986, 9, 26))
    with tenancy.scope(kab):
        PejabatFungsional.objects.filter(pk=p.pk).update(tempat_lahir="Purwokerto")
        p = PejabatFungsional.objects.get(pk=p.pk)
    usulan = SimpleNamespace(
        pejabat_nama=p.nama, pejabat_nip=p.nip, jenjang=p.jenjang, instansi=SimpleNamespace(nama=kab.nama)
    )
    data = isi._pejabat(usulan, p)
    assert (data["tempat_lahir"], data["tanggal_lahir"]) == ("Purwokerto", "26 September 1986")


def test_sk_terbit_copies_the_pegawais_tempat_lahir_to_the_record(diputuskan, instansi_a, ppk_pk):
    from apps.jabatan import services
    from apps.pengusulan.models import Usulan

    lulus, _t, _s = diputuskan(1, 0)
    with tenancy.scope(instansi_a):
        usulan = Usulan.objects.get(pk=lulus[0].pk)
        data = {**(usulan.data_pegawai or {}), "tempat_lahir": " Semarang "}
        Usulan.objects.filter(pk=usulan.pk).update(data_pegawai=data)
        usulan.refresh_from_db()
        pejabat = services.pejabat_dari_sk(usulan, surat_id=None, actor=ppk_pk)
    assert pejabat.tempat_lahir == "Semarang"
