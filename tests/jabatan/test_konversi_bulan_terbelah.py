"""Each calendar month is converted once (fresh-eye walk of issue 19, F0): two periods of one holder
that split a month (1–15 April Baik, 16 April–30 June Sangat Baik) both counted April in full, so 3
months were paid as 4 (2,08 + 9,38 for an Ahli Muda), and a year split at a mid-month jenjang TMT
as 13 months. The month goes to the period recorded first; the later one converts the months left
(and is refused, naming the month and the other period, when none is left). Covered through the
API, the page form, the XLSX import and the bulk path (in one chunk and across chunks)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from openpyxl import Workbook

from apps.core import tenancy
from apps.jabatan import services, xlsx
from apps.jabatan.domain import bulan_periode, nama_bulan
from apps.jabatan.models import MutasiAK
from apps.jabatan.services import ItemKonversi
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db

API = "/api/v1/pejabat-fungsional/{}/predikat/"


def _bulan(pejabat) -> int:
    return MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi").aggregate(s=Sum("bulan"))["s"] or 0


def test_months_of_a_period_by_number():
    assert [nama_bulan(b) for b in bulan_periode(date(2026, 4, 16), date(2026, 6, 30))] == [
        "April 2026", "Mei 2026", "Juni 2026",
    ]  # fmt: skip
    assert len(bulan_periode(date(2025, 1, 1), date(2025, 12, 31))) == 12


def test_two_periods_splitting_april_convert_april_once_through_the_api(client, instansi_a, pk, pic_pk):
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1))
    client.force_login(pic_pk)
    a = client.post(
        API.format(muda.pk), {"predikat": "baik", "periode_mulai": "2026-04-01", "periode_selesai": "2026-04-15"},
        content_type="application/json",
    )  # fmt: skip
    assert a.status_code == 201 and a.json()["bulan"] == 1 and Decimal(a.json()["nilai"]) == Decimal("2.08"), a.content
    b = client.post(
        API.format(muda.pk),
        {"predikat": "sangat_baik", "periode_mulai": "2026-04-16", "periode_selesai": "2026-06-30"},
        content_type="application/json",
    )
    # May and June only: 2/12 × 150 % × 25 = 6,25 (not 3/12 → 9,38).
    assert b.status_code == 201 and b.json()["bulan"] == 2 and Decimal(b.json()["nilai"]) == Decimal("6.25"), b.content
    with tenancy.scope(instansi_a):
        row = MutasiAK.objects.get(pk=b.json()["id"])
        assert row.rincian["rumus"].startswith("2/12 ×")
        assert row.rincian["bulan_sudah_dihitung"] == [{"bulan": "April 2026", "periode": ["2026-04-01", "2026-04-15"]}]
        assert _bulan(muda) == 3
        # A changed predikat for the later period applies to its 2 months, not 3.
        k = services.konversi_koreksi(row, predikat="baik", oleh=pic_pk, keterangan="SKP direvisi")
        assert (k.bulan, k.nilai) == (2, Decimal("4.17") - Decimal("6.25"))


def test_a_period_left_without_months_is_refused_naming_the_month_and_the_other_period(client, instansi_a, pk, pic_pk):
    """Recorded the other way round: 16 April–30 June first (3 months), then 1–15 April has no
    month left: refused in the API and the page form (the input kept), nothing written."""
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1))
    client.force_login(pic_pk)
    b = client.post(
        API.format(muda.pk),
        {"predikat": "sangat_baik", "periode_mulai": "2026-04-16", "periode_selesai": "2026-06-30"},
        content_type="application/json",
    )
    assert b.status_code == 201 and b.json()["bulan"] == 3
    a = client.post(
        API.format(muda.pk), {"predikat": "baik", "periode_mulai": "2026-04-01", "periode_selesai": "2026-04-15"},
        content_type="application/json",
    )  # fmt: skip
    teks = a.content.decode()
    assert a.status_code == 400 and "bulan April 2026 sudah dihitung" in teks, teks
    assert "16 April 2026 – 30 Juni 2026" in teks
    page = client.post(
        f"/pejabat-fungsional/{muda.pk}/predikat/",
        {"periode_mulai": "2026-04-01", "periode_selesai": "2026-04-15", "predikat": "baik"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "bulan April 2026 sudah dihitung" in html and "2026-04-15" in html
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=muda).count() == 1 and _bulan(muda) == 3


@pytest.mark.parametrize("ukuran", [5000, 1], ids=["satu-chunk", "antar-chunk"])
def test_a_year_split_at_a_mid_month_jenjang_tmt_is_twelve_months_in_the_bulk_path(instansi_a, pk, pic_pk, ukuran):
    """Ahli Muda since 16 July 2025: 1 January–15 July as Ahli Pertama (7 months, July included)
    and 16 July–31 December as Ahli Muda count 12 months together, not 13."""
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 7, 16))
    pertama = muda.jf.jenjang.get(kode="ahli_pertama")
    with tenancy.scope(instansi_a):
        laporan = services.konversi_massal(
            [
                ItemKonversi(muda.pk, "baik", date(2025, 1, 1), date(2025, 7, 15), jenjang_id=pertama.pk, tag=2),
                ItemKonversi(muda.pk, "baik", date(2025, 7, 16), date(2025, 12, 31), tag=3),
            ],
            oleh=pic_pk, ukuran=ukuran,
        )  # fmt: skip
        assert laporan.galat == [] and laporan.dibuat == 2
        rows = list(MutasiAK.objects.filter(pejabat=muda).order_by("periode_mulai").values_list("bulan", "nilai"))
        # 7/12 × 100 % × 12,5 = 7,29; 5/12 × 100 % × 25 = 10,42.
        assert rows == [(7, Decimal("7.29")), (5, Decimal("10.42"))]
        assert _bulan(muda) == 12 and laporan.total_ak == Decimal("17.71")


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in xlsx.KOLOM_PREDIKAT])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def test_the_xlsx_import_converts_a_split_month_once(client, instansi_a, pk, pic_pk):
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1))
    rows = [
        ["198609262015052001", "Ani", date(2026, 4, 1), date(2026, 4, 15), "Baik", "Ahli Muda"],
        ["198609262015052001", "Ani", date(2026, 4, 16), date(2026, 6, 30), "Sangat Baik", "Ahli Muda"],
        ["198609262015052001", "Ani", date(2026, 6, 20), date(2026, 6, 30), "Baik", "Ahli Muda"],  # overlaps row 3
    ]
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(rows)})
    report = page.context["report"]
    assert report.imported == 2 and [e[0] for e in report.errors] == [4], report.errors
    with tenancy.scope(instansi_a):
        got = list(MutasiAK.objects.filter(pejabat=muda).order_by("periode_mulai").values_list("bulan", "nilai"))
        assert got == [(1, Decimal("2.08")), (2, Decimal("6.25"))] and _bulan(muda) == 3
