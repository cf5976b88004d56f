"""manage.py koreksi_bulan_ganda: months counted twice by konversi written before the month rule
(commit 0b7fb86, issue 19) are listed (dry run by default) and, with --terapkan, corrected by an
audited koreksi row of the later konversi (no row edited or deleted), across every instansi; a
second run finds nothing, and a ledger without a month counted twice is left as it is."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan import services
from apps.jabatan.models import MutasiAK
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def _konversi_lama(pejabat, mulai, selesai, predikat, persen, bulan):
    """A konversi row as the code before 0b7fb86 wrote it: every month of the period counted."""
    koef = pejabat.jenjang.koefisien_ak
    nilai = (Decimal(bulan) / 12 * Decimal(persen) / 100 * koef).quantize(Decimal("0.01"))
    with tenancy.scope(pejabat.instansi_id):
        return services.mutasi_tambah(
            pejabat, "konversi", nilai, oleh=None, periode_mulai=mulai, periode_selesai=selesai, predikat=predikat,
            persentase=Decimal(persen), koefisien=koef, bulan=bulan, jenjang=pejabat.jenjang,
        )  # fmt: skip


def _april_dua_kali(instansi, jf, nip="198609262015052001"):
    muda = buat_pejabat(instansi, jf, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1), nip=nip)
    a = _konversi_lama(muda, date(2026, 4, 1), date(2026, 4, 15), "baik", 100, 1)  # 2,08
    b = _konversi_lama(muda, date(2026, 4, 16), date(2026, 6, 30), "sangat_baik", 150, 3)  # 9,38: April again
    return muda, a, b


def _ledger(pejabat):
    with tenancy.scope(pejabat.instansi_id):
        return list(
            MutasiAK.objects.filter(pejabat=pejabat).order_by("id").values_list("id", "jenis", "nilai", "bulan")
        )


def _ak(pejabat) -> Decimal:
    with tenancy.scope(pejabat.instansi_id):
        return MutasiAK.objects.filter(pejabat=pejabat).aggregate(s=Sum("nilai"))["s"]


def _audit() -> int:
    with tenancy.all_tenants(reason="test: every audit entry"):
        return AuditLog.objects.count()


def _jalankan(*args) -> str:
    out = io.StringIO()
    call_command("koreksi_bulan_ganda", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_holder_month_rows_and_ak_and_changes_nothing(instansi_a, instansi_b, pk):
    muda, a, b = _april_dua_kali(instansi_a, pk)
    lain, _a2, _b2 = _april_dua_kali(instansi_b, pk, nip="199001012015031001")
    sebelum, audit_sebelum = (_ledger(muda), _ledger(lain)), _audit()
    teks = _jalankan()
    baris = [t for t in teks.splitlines() if "bulan ganda: April 2026" in t]
    assert len(baris) == 2, teks  # both instansi
    assert f"NIP {muda.nip}" in baris[0] and instansi_a.kode in baris[0]
    assert f"#{a.pk} (1 April 2026 – 15 April 2026)" in baris[0] and f"#{b.pk} (16 April 2026" in baris[0]
    # 9,38 recorded for 3 months; 2 months (May, June) are 6,25: 3,13 too much.
    assert "3 → 2 bulan" in baris[0] and "AK dikurangi 3,13" in baris[0]
    assert "2 pejabat" in teks and "tidak ada yang diubah" in teks
    assert (_ledger(muda), _ledger(lain)) == sebelum and _audit() == audit_sebelum


def test_terapkan_appends_an_audited_correction_in_every_instansi_and_a_second_run_finds_nothing(
    instansi_a, instansi_b, pk, pic_pk, superadmin
):
    muda, _a, b = _april_dua_kali(instansi_a, pk)
    lain, _a2, b2 = _april_dua_kali(instansi_b, pk, nip="199001012015031001")
    asli = _ledger(muda)
    teks = _jalankan("--terapkan", "--oleh", "superadmin")
    assert "2 pejabat dikoreksi: 2 mutasi koreksi" in teks, teks
    ledger = _ledger(muda)
    assert ledger[: len(asli)] == asli  # the konversi rows as they were
    assert len(ledger) == len(asli) + 1
    with tenancy.scope(instansi_a):
        k = MutasiAK.objects.get(pk=ledger[-1][0])
    assert (k.jenis, k.nilai, k.bulan, k.mengoreksi_id) == ("koreksi", Decimal("-3.13"), 2, b.pk)
    assert k.dibuat_oleh == superadmin
    assert k.rincian["sumber"] == "koreksi_bulan_ganda" and "koreksi_bulan_ganda" in k.rincian["perintah"]
    assert "satu kali" in k.rincian["aturan"] and "superadmin" in k.rincian["dijalankan_oleh"]
    assert k.rincian["bulan_sudah_dihitung"][0]["bulan"] == "April 2026" and "April 2026" in k.keterangan
    # April once: 2,08 + 6,25, in both instansi.
    assert _ak(muda) == Decimal("8.33") and _ak(lain) == Decimal("8.33")
    with tenancy.all_tenants(reason="test"):
        entri = AuditLog.objects.filter(action="ak.koreksi_bulan_ganda")
        assert sorted(e.data["konversi"] for e in entri) == sorted([b.pk, b2.pk])
        assert all(e.actor == superadmin and "3,13" in e.message for e in entri)

    # Idempotent: nothing left to find, nothing appended.
    assert "0 pejabat" in _jalankan() and "0 pejabat dikoreksi" in _jalankan("--terapkan")
    assert len(_ledger(muda)) == len(asli) + 1

    # A predikat corrected afterwards applies to the 2 months the row now counts: 4,17 − 6,25.
    with tenancy.scope(instansi_a):
        baru = services.konversi_koreksi(b, predikat="baik", oleh=pic_pk, keterangan="SKP direvisi")
    assert (baru.bulan, baru.nilai, baru.rincian["predikat_sebelum"]) == (2, Decimal("-2.08"), "sangat_baik")
    assert _ak(muda) == Decimal("6.25") and "0 pejabat" in _jalankan()


def test_a_ledger_without_a_month_counted_twice_is_untouched(client, instansi_a, pk, pic_pk):
    # The split month after the rule (1 + 2 months), and two periods that share no month.
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1))
    pertama = buat_pejabat(instansi_a, pk, nip="199001012015031001", tmt=date(2025, 1, 1))
    with tenancy.scope(instansi_a):
        for mulai, selesai in [(date(2026, 4, 1), date(2026, 4, 15)), (date(2026, 4, 16), date(2026, 6, 30))]:
            services.konversi_catat(muda, predikat="baik", periode_mulai=mulai, periode_selesai=selesai, oleh=pic_pk)
    _konversi_lama(pertama, date(2025, 1, 1), date(2025, 6, 30), "baik", 100, 6)
    _konversi_lama(pertama, date(2025, 7, 1), date(2025, 12, 31), "baik", 100, 6)
    sebelum = (_ledger(muda), _ledger(pertama))
    assert "0 pejabat, 0 konversi" in _jalankan()
    assert "0 pejabat dikoreksi" in _jalankan("--terapkan")
    assert (_ledger(muda), _ledger(pertama)) == sebelum
