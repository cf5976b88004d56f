"""Angka kredit rules after the SK (PermenPANRB 1/2023, PerBKN 3/2023; domain.md §4, seed 004).

Pure functions: no database. The numbers they take (koefisien per jenjang, percentage per
predikat, thresholds) are reference data per JF, never constants here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from apps.core.format import BULAN, bulatkan_ak
from apps.referensi.domain import quantize_ak


class JenisMutasi(StrEnum):
    AWAL = "awal"
    KONVERSI = "konversi"
    KOREKSI = "koreksi"
    PENETAPAN = "penetapan"
    KENAIKAN_PANGKAT = "kenaikan_pangkat"
    KENAIKAN_JENJANG = "kenaikan_jenjang"


JENIS_LABELS = {
    JenisMutasi.AWAL: _("AK awal"),
    JenisMutasi.KONVERSI: _("Konversi predikat kinerja"),
    JenisMutasi.KOREKSI: _("Koreksi"),
    JenisMutasi.PENETAPAN: _("Penetapan angka kredit"),
    JenisMutasi.KENAIKAN_PANGKAT: _("Kenaikan pangkat"),
    JenisMutasi.KENAIKAN_JENJANG: _("Kenaikan jenjang"),
}


def bulatkan(nilai: Decimal) -> Decimal:
    """Round an angka kredit as the portal keeps it: three decimals, half up; letters and pages
    print two (``apps.core.format.format_ak``: 2,083 → "2,08", as BKN prints it; domain.md §4)."""
    return quantize_ak(Decimal(nilai))


def ak_konversi(*, bulan: int, persentase: Decimal, koefisien: Decimal) -> Decimal:
    """AK of one period: bulan/12 × persentase × koefisien (PerBKN 3/2023; domain.md §4).

    ``persentase`` is in percent (100 for Baik). A full year is 12 months.

    Rounded to two decimals, half up, as BKN prints it (2/12 × 100 % × 12,5 = 2,08; domain.md §4):
    the row keeps the figure the pages, the PAK and the HAPAK print, so the printed rows add up to
    the printed saldo and thresholds by hand (issue 19 walk: two rows of 2,083 printed 2,08 each
    beside a saldo printed 66,67)."""
    if not 1 <= bulan <= 12:
        raise ValueError(_("Jumlah bulan harus 1 sampai 12."))
    if persentase < 0 or koefisien < 0:
        raise ValueError(_("Persentase dan koefisien tidak boleh negatif."))
    return bulatkan(bulatkan_ak(Decimal(bulan) / Decimal(12) * Decimal(persentase) / Decimal(100) * Decimal(koefisien)))


def jumlah_bulan(mulai: date, selesai: date) -> int:
    """Whole months of a period from ``mulai`` to ``selesai`` inclusive (1 Jan – 31 Dec = 12,
    1 Jan – 29 Feb = 2). A month counts once it is entered (PerBKN 3/2023 counts predikat per
    month of a periodic SKP)."""
    if selesai < mulai:
        raise ValueError(_("Akhir periode tidak boleh sebelum awal periode."))
    return (selesai.year - mulai.year) * 12 + (selesai.month - mulai.month) + 1


def bulan_periode(mulai: date, selesai: date) -> range:
    """The calendar months a period touches, each as one number (year × 12 + month − 1): the
    months :func:`jumlah_bulan` counts. Two periods of one holder that split a month (1–15 April
    and 16 April–30 June) both touch April; it is converted once (issue 19 walk), by the period
    recorded first (``apps.jabatan.services.konversi_massal``)."""
    return range(mulai.year * 12 + mulai.month - 1, selesai.year * 12 + selesai.month)


def nama_bulan(nomor: int) -> str:
    """A month number of :func:`bulan_periode` as words: "April 2026"."""
    return f"{BULAN[nomor % 12]} {nomor // 12}"


#: The ledger's two running totals (PermenPANRB 1/2023: AK kumulatif for kenaikan pangkat and for
#: kenaikan jenjang). A kenaikan row records the AK it used as a negative value, so the excess
#: carries over; each total leaves out the other kind of kenaikan (a kenaikan pangkat inside a
#: jenjang does not use up the AK that counts toward the next jenjang, and vice versa).
#: Example, Ahli Pertama (50 for pangkat, 100 for jenjang): +50 → pangkat 50, jenjang 50;
#: kenaikan pangkat −50 → 0, 50; +50 → 50, 100; kenaikan jenjang −100 and pangkat −50 → 0, 0.
#: A kenaikan jenjang also starts the new jenjang's count toward the next pangkat: from then on
#: the pangkat total is the remainder carried into the new jenjang (:func:`totals`).
#: The earliest period a predikat kinerja may be converted for. A typing slip (year 1, 0202) must
#: not become an AK row: no JF holder of the portal has a period before 2000 (the JFs it hosts
#: date from PermenPAN 45/2013 at the earliest), so earlier years are refused with a message. The
#: latest is the current year: a period that has not started is refused too.
PERIODE_PALING_AWAL = date(2000, 1, 1)

TANPA_UNTUK_PANGKAT = frozenset({JenisMutasi.KENAIKAN_JENJANG})
TANPA_UNTUK_JENJANG = frozenset({JenisMutasi.KENAIKAN_PANGKAT})


def totals(rows) -> tuple[Decimal, Decimal]:
    """The two totals (toward the next pangkat, toward the next jenjang) of a ledger given as
    ``(jenis, nilai)`` in ledger order (period, then as recorded: ``apps.jabatan.selectors``).

    A kenaikan pangkat row lowers the pangkat total only, a kenaikan jenjang row the jenjang total
    (the threshold each used). A kenaikan jenjang moves the holder to a new jenjang with its own
    threshold for the next pangkat: the AK toward it counts from the remainder carried into the new
    jenjang ("sisa angka kredit di atas ambang dibawa ke jenjang baru", docs/panduan-angka-kredit.md
    §7), not from the old jenjang's pangkat total. Worked example (issue 19 walk): Ahli Pertama
    III/b, AK 110,5; kenaikan jenjang −100 → 10,5 toward Ahli Madya and 10,5 toward the next pangkat
    (not 110,5). NOT stated in the seeds (domain.md §4 gives the thresholds only) [U, unverified],
    like the carry-over itself: the kenaikan jenjang row says ``aturan_sisa_terverifikasi: false``.
    The set-based ``apps.jabatan.selectors.kelayakan_iter`` computes the same in SQL."""
    pangkat = jenjang = Decimal(0)
    for jenis, nilai in rows:
        nilai = Decimal(nilai)
        if jenis == JenisMutasi.KENAIKAN_JENJANG:
            jenjang += nilai
            pangkat = jenjang  # the new jenjang starts from the carried remainder
            continue
        if jenis not in TANPA_UNTUK_PANGKAT:
            pangkat += nilai
        if jenis not in TANPA_UNTUK_JENJANG:
            jenjang += nilai
    return pangkat, jenjang


def ambang_pangkat_berlaku(ambang_pangkat, *, golongan_id, golongan_maks_id):
    """The AK threshold for the next pangkat that applies to a holder: none at the top pangkat of
    their jenjang (an Ahli Pertama in III/b: the jenjang holds III/a–III/b), where the next pangkat
    comes only with kenaikan jenjang, so only the jenjang's threshold applies. Source: PermenPANRB
    1/2023 as in seed 004 (the pangkat within a jenjang, domain.md §3's table) — the rule that the
    pangkat threshold stops at the jenjang's top pangkat is NOT stated in domain.md [U, unverified].
    The one place the rule lives: :func:`apps.jabatan.selectors.ambang` and the set-based
    ``kelayakan`` both call it, and the list, the holder page, the penilai figures and the
    PAK/HAPAK follow them."""
    if golongan_id is not None and golongan_maks_id is not None and golongan_id == golongan_maks_id:
        return None
    return ambang_pangkat


@dataclass(frozen=True)
class Ambang:
    """A holder's standing against the jenjang's thresholds."""

    ak_pangkat: Decimal
    ak_jenjang: Decimal
    pangkat: Decimal | None
    jenjang: Decimal | None

    @property
    def memenuhi_pangkat(self) -> bool:
        return self.pangkat is not None and self.ak_pangkat >= self.pangkat

    @property
    def memenuhi_jenjang(self) -> bool:
        return self.jenjang is not None and self.ak_jenjang >= self.jenjang

    @property
    def kurang_pangkat(self) -> Decimal | None:
        return None if self.pangkat is None else max(Decimal(0), self.pangkat - self.ak_pangkat)

    @property
    def kurang_jenjang(self) -> Decimal | None:
        return None if self.jenjang is None else max(Decimal(0), self.jenjang - self.ak_jenjang)


def tujuan_ak(a: Ambang) -> str:
    """Which of the holder's two totals counts now — the one the next PAK states
    (apps.penetapan.selectors.ak_dan_syarat): toward the next jenjang when only that threshold is
    met or the jenjang has no next pangkat (its top pangkat), else toward the next pangkat."""
    if (a.memenuhi_jenjang and not a.memenuhi_pangkat) or a.pangkat is None:
        return "jenjang"
    return "pangkat"
