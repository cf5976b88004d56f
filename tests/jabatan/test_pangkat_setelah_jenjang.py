"""Issue 19 fresh-eye walk: after a kenaikan jenjang the AK toward the next pangkat counts from the
remainder carried into the new jenjang, against the new jenjang's threshold, and is never "met
since" a day before the jenjang changed (the holder page's ambang, the list's kelayakan in SQL,
and the pure rule agree). Worked examples with JF Pengantar Kerja's thresholds: Ahli Pertama 50
(pangkat) / 100 (jenjang), Ahli Muda 100 / 200."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.core import tenancy
from apps.jabatan import kenaikan, selectors
from apps.jabatan.domain import JenisMutasi, totals
from apps.jabatan.services import mutasi_tambah
from apps.referensi.models import Jenjang
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db

D = Decimal
KJ, KP, AWAL, KONVERSI = (
    JenisMutasi.KENAIKAN_JENJANG, JenisMutasi.KENAIKAN_PANGKAT, JenisMutasi.AWAL, JenisMutasi.KONVERSI,
)  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # The walk's holder: 110,5 at Ahli Pertama; the step uses 100 → 10,5 toward both (not 110,5).
        ([(AWAL, "80"), (KONVERSI, "30.5"), (KJ, "-100")], (D("10.5"), D("10.5"))),
        # docs/panduan-angka-kredit.md §6: 62,5 → kenaikan pangkat −50 → +50 → kenaikan jenjang −100.
        ([(AWAL, "62.5"), (KP, "-50"), (KONVERSI, "50"), (KJ, "-100")], (D("12.5"), D("12.5"))),
        # After the step both grow from the remainder; a later kenaikan pangkat lowers pangkat only.
        ([(AWAL, "110.5"), (KJ, "-100"), (KONVERSI, "95"), (KP, "-100")], (D("5.5"), D("105.5"))),
        # No kenaikan jenjang: unchanged (pangkat spends its own threshold only).
        ([(AWAL, "62.5"), (KP, "-50")], (D("12.5"), D("62.5"))),
    ],
)
def test_totals_worked_examples(rows, expected):
    assert totals((j, D(n)) for j, n in rows) == expected


def _naik_jenjang(pejabat, tmt: date):
    """What "SK terbit" of a kenaikan jenjang does (apps.jabatan.kenaikan.kenaikan_jenjang_terapkan)."""
    usulan = SimpleNamespace(
        pk=None, pejabat_id=pejabat.pk, nomor=f"KJ-{pejabat.pk}",
        jenjang=Jenjang.objects.get(jf=pejabat.jf, kode="ahli_muda"),
        status_changed_at=datetime(tmt.year, tmt.month, tmt.day, 9, 0),
    )  # fmt: skip
    return kenaikan.kenaikan_jenjang_terapkan(usulan, surat_id=None, actor=None)


def test_after_the_kenaikan_jenjang_the_pangkat_figure_counts_in_the_new_jenjang(instansi_a, pk, pic_pk):
    yoga = buat_pejabat(instansi_a, pk, golongan="III/b", nip="199002282015031003", nama="Yoga", tmt=date(2020, 3, 1))
    with tenancy.scope(instansi_a):
        mutasi_tambah(yoga, AWAL, D("80"), oleh=pic_pk, periode_mulai=date(2020, 3, 1))
        mutasi_tambah(
            yoga, KONVERSI, D("30.5"), oleh=pic_pk, periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31),
            predikat="sangat_baik",
        )  # fmt: skip
        [sebelum] = selectors.kelayakan(pejabat_ids=[yoga.pk])
        assert (sebelum.ak_jenjang, sebelum.jenjang_sejak) == (D("110.5"), date(2025, 12, 31))
        yoga = _naik_jenjang(yoga, date(2026, 11, 2))
        a = selectors.ambang(yoga)
        [k] = selectors.kelayakan(pejabat_ids=[yoga.pk])
    assert yoga.jenjang.kode == "ahli_muda"
    # The remainder (10,5) against Ahli Muda's threshold for the next pangkat (100): not due.
    assert (a.ak_pangkat, a.pangkat, a.ak_jenjang, a.jenjang) == (D("10.5"), D("100"), D("10.5"), D("200"))
    assert not a.memenuhi_pangkat and a.kurang_pangkat == D("89.5")
    assert (k.ak_pangkat, k.ambang_pangkat, k.pangkat_sejak, k.ak_jenjang, k.jenjang_sejak) == (
        D("10.5"), D("100"), None, D("10.5"), None,
    )  # fmt: skip
    # A konversi in the new jenjang takes it over the threshold: met since that period, after the step.
    with tenancy.scope(instansi_a):
        mutasi_tambah(
            yoga, KONVERSI, D("95"), oleh=pic_pk, periode_mulai=date(2026, 11, 2), periode_selesai=date(2026, 11, 30),
            predikat="sangat_baik",
        )  # fmt: skip
        a = selectors.ambang(yoga)
        [k] = selectors.kelayakan(pejabat_ids=[yoga.pk])
    assert a.ak_pangkat == k.ak_pangkat == D("105.5")
    assert k.pangkat_sejak == date(2026, 11, 30)
    # The PAK's breakdown toward the next pangkat sums the same: the remainder carried, then the
    # konversi since (apps.penetapan.isi.rincian_ak).
    from apps.jabatan.models import MutasiAK
    from apps.penetapan.isi import rincian_ak

    with tenancy.scope(instansi_a):
        r = rincian_ak(SimpleNamespace(mutasi=list(MutasiAK.objects.filter(pejabat=yoga)), ambang=a))
    assert r["tujuan"] == "pangkat"
    assert r["dasar"] == {
        "uraian": "Sisa angka kredit kenaikan jenjang Ahli Pertama ke Ahli Muda", "tanggal": "per 2 November 2026",
        "ak": "10,5",
    }  # fmt: skip
    assert [b["ak"] for b in r["baris"]] == ["95"] and r["jumlah"] == "105,5"


def test_a_remainder_over_the_new_threshold_is_met_from_the_day_of_the_step(instansi_a, pk, pic_pk):
    """210 at Ahli Pertama (III/b): the step uses 100, the 110 carried meets Ahli Muda's 100 for the
    next pangkat — since the TMT of the step, not since the period that reached 210."""
    rani = buat_pejabat(instansi_a, pk, golongan="III/b", nip="199105052015032001", nama="Rani", tmt=date(2020, 3, 1))
    with tenancy.scope(instansi_a):
        mutasi_tambah(rani, AWAL, D("80"), oleh=pic_pk, periode_mulai=date(2020, 3, 1))
        mutasi_tambah(
            rani, KONVERSI, D("130"), oleh=pic_pk, periode_mulai=date(2024, 1, 1), periode_selesai=date(2024, 12, 31),
            predikat="sangat_baik",
        )  # fmt: skip
        rani = _naik_jenjang(rani, date(2026, 11, 2))
        [k] = selectors.kelayakan(pejabat_ids=[rani.pk])
        a = selectors.ambang(rani)
    assert a.ak_pangkat == k.ak_pangkat == D("110")
    assert k.pangkat_sejak == date(2026, 11, 2)
    assert k.ak_jenjang == D("110") and k.jenjang_sejak is None
