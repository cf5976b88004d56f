"""A konversi at a jenjang below the holder's after the TMT in today's jenjang (fresh-eye walk
of issue 19): an Ahli Muda since 1 April 2021 was converted for January–June 2024 as Ahli
Pertama (6/12 × 100 % × 12,5 = 6,25 instead of 12,50). Refused in the form, the XLSX import (per
row) and the API; a period that ends before the TMT may still name the lower jenjang."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core import tenancy
from apps.jabatan import xlsx
from apps.jabatan.models import MutasiAK
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in xlsx.KOLOM_PREDIKAT])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def test_a_lower_jenjang_after_the_tmt_is_refused_in_the_import_the_form_and_the_api(client, instansi_a, pk, pic_pk):
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2021, 4, 1))
    rows = [
        ["198609262015052001", "Ani", date(2024, 1, 1), date(2024, 6, 30), "Baik", "Ahli Pertama"],
        ["198609262015052001", "Ani", date(2021, 1, 1), date(2021, 3, 31), "Baik", "Ahli Pertama"],
    ]
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(rows)})
    report = page.context["report"]
    assert report.imported == 1
    [(baris, kolom, alasan)] = report.errors
    assert (baris, kolom) == (2, "jenjang")
    assert "menduduki jenjang Ahli Muda sejak TMT 1 April 2021" in alasan
    with tenancy.scope(instansi_a):
        # Only January–March 2021, before the TMT, as Ahli Pertama: 3/12 × 100 % × 12,5 = 3,13 (as BKN rounds).
        assert list(MutasiAK.objects.filter(pejabat=muda).values_list("periode_mulai", "nilai", "koefisien")) == [
            (date(2021, 1, 1), Decimal("3.13"), Decimal("12.5"))
        ]
        pertama = muda.jf.jenjang.get(kode="ahli_pertama")
    r = client.post(
        f"/pejabat-fungsional/{muda.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-06-30", "predikat": "baik", "jenjang": pertama.pk},
    )
    assert "menduduki jenjang Ahli Muda sejak TMT" in r.content.decode()
    r = client.post(
        f"/api/v1/pejabat-fungsional/{muda.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-06-30", "predikat": "baik", "jenjang": "ahli_pertama"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "menduduki jenjang Ahli Muda" in str(r.json()), r.content
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=muda).count() == 1
    # Without a jenjang the period takes today's: 6/12 × 100 % × 25 = 12,50.
    r = client.post(
        f"/api/v1/pejabat-fungsional/{muda.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-06-30", "predikat": "baik"},
        content_type="application/json",
    )
    assert r.status_code == 201 and Decimal(r.json()["nilai"]) == Decimal("12.5"), r.content
