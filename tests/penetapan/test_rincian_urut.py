"""The PAK/HAPAK's breakdown lists the konversi in the order of the periods they cover, whatever
the order they were entered in (fresh-eye walk, issue 19: Nov–Dec 2025 printed above Jan–Oct)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.core import tenancy
from apps.jabatan import selectors, services
from apps.jabatan.domain import JenisMutasi
from apps.penetapan.isi import rincian_ak
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def test_the_konversi_rows_print_in_period_order(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("20"), oleh=pic_pk)
        services.mutasi_tambah(
            pejabat, JenisMutasi.KONVERSI, Decimal("2.08"), oleh=pic_pk, predikat="baik",
            periode_mulai=date(2025, 11, 1), periode_selesai=date(2025, 12, 31), bulan=2,
        )  # fmt: skip
        services.mutasi_tambah(
            pejabat, JenisMutasi.KONVERSI, Decimal("15.63"), oleh=pic_pk, predikat="sangat_baik",
            periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 10, 31), bulan=10,
        )  # fmt: skip
        angka = SimpleNamespace(mutasi=list(selectors.mutasi_dari(pejabat)), ambang=selectors.ambang(pejabat))
    r = rincian_ak(angka)
    assert [b["dari"] for b in r["baris"]] == ["1 Januari 2025", "1 November 2025"]
    assert [b["ak"] for b in r["baris"]] == ["15,63", "2,08"]
    assert r["jumlah"] == "37,71" and r["masa_teks"] == "1 Januari 2025 s.d. 31 Desember 2025"
