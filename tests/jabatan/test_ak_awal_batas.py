"""Issue 19 (AK-awal boundary): an imported holder's AK awal is their last PAK before the portal,
which counted the predikat up to and including its date. A konversi period starting on that date
was accepted (its first day counted twice); it must start after it, refused with a clear message
on the page, the API and the import. Without a PAK date (the AK as of the TMT jabatan) and for an
inpassing SK's AK awal (as of its TMT) a period may start on that date, as before."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core import tenancy
from apps.jabatan import services, xlsx
from apps.jabatan.models import MutasiAK, PejabatFungsional

pytestmark = pytest.mark.django_db

PESAN = (
    "periode mulai 31 Desember 2024 sudah tercakup dalam PAK terakhir pejabat ini sebelum portal (angka kredit awal "
    "per tanggal 31 Desember 2024); predikat kinerja hanya dapat dikonversi untuk periode yang dimulai sesudah "
    "tanggal 31 Desember 2024"
)


def _xlsx(kolom, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in kolom])
    for r in rows:
        ws.append([r.get(k) for k, _h in kolom])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def _impor(client, pk, tanggal_ak):
    row = {"nip": "19860926 201505 1 003", "nama": "Citra", "tempat_lahir": "Bandung", "jenjang": "Ahli Pertama",
           "golongan": "III/a", "tmt_golongan": date(2022, 1, 1), "tmt_jabatan": date(2022, 1, 1), "ak_awal": 40,
           "tanggal_ak": tanggal_ak, "sumber_ak": "PAK 7/2024" if tanggal_ak else None}  # fmt: skip
    page = client.post(
        "/pejabat-fungsional/impor/pejabat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PEJABAT, [row])}
    )
    assert page.context["report"].imported == 1, page.context["report"].errors
    return PejabatFungsional.objects.get(nip="198609262015051003", jf=pk)


def test_a_period_starting_on_the_pre_portal_paks_date_is_refused(client, instansi_a, pk, pic_pk):
    client.force_login(pic_pk)
    with tenancy.scope(instansi_a):
        citra = _impor(client, pk, date(2024, 12, 31))
    # The page's form.
    r = client.post(
        f"/pejabat-fungsional/{citra.pk}/predikat/",
        {"periode_mulai": "2024-12-31", "periode_selesai": "2024-12-31", "predikat": "baik"},
    )
    assert r.status_code == 200 and PESAN in r.content.decode()
    # The API.
    r = client.post(
        f"/api/v1/pejabat-fungsional/{citra.pk}/predikat/",
        {"periode_mulai": "2024-12-31", "periode_selesai": "2024-12-31", "predikat": "baik"},
        content_type="application/json",
    )
    assert r.status_code == 400 and PESAN in r.content.decode()
    # The import: the day after the PAK is the first that may be converted.
    rows = [
        {"nip": citra.nip, "nama": "Citra", "mulai": date(2024, 12, 31), "selesai": date(2024, 12, 31),
         "predikat": "Baik"},
        {"nip": citra.nip, "nama": "Citra", "mulai": date(2025, 1, 1), "selesai": date(2025, 12, 31),
         "predikat": "Baik"},
    ]  # fmt: skip
    page = client.post(
        "/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}
    )
    report = page.context["report"]
    assert report.imported == 1
    assert [(b, x) for b, _k, x in report.errors] == [(2, PESAN)]
    with tenancy.scope(instansi_a):
        assert [m.periode_mulai for m in MutasiAK.objects.filter(pejabat=citra, jenis="konversi")] == [date(2025, 1, 1)]


def test_without_a_pak_date_a_period_may_start_on_the_tmt_jabatan(client, instansi_a, pk, pic_pk):
    client.force_login(pic_pk)
    with tenancy.scope(instansi_a):
        citra = _impor(client, pk, None)
        laporan = services.konversi_massal(
            [services.ItemKonversi(citra.pk, "baik", date(2022, 1, 1), date(2022, 12, 31), tag=2)], oleh=pic_pk
        )
    assert laporan.galat == [] and laporan.dibuat == 1
