"""Calendar months that konversi rows recorded before the month rule count twice: found, corrected.

Each calendar month is converted once per holder (``apps.jabatan.services.konversi_massal``, since
commit 0b7fb86, issue 19): the period recorded first converts a month it touches; a later period
of the same holder converts only the months no earlier period touches (1–15 April, then
16 April–30 June: 1 + 2 months, not 1 + 3). Ledgers written before that rule may count a month
twice, and a holder's AK kumulatif is then too high.

:func:`temukan` lists them (read only, in the caller's scope); :func:`koreksi_pejabat` appends to
one holder's ledger, under the holder's lock, one ``koreksi`` row per later konversi that counted
months twice: the AK of those months removed, the months it now counts, and in ``rincian`` where
the correction comes from (the operator command, the rule, who ran it). No row is edited or
deleted. A konversi row's months in force are those of its latest correction that states months
(a corrected predikat keeps them, :func:`bulan_berlaku`), so a second run finds nothing. Caller:
``manage.py koreksi_bulan_ganda`` (docs/operasi.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import format_ak, tgl
from apps.jabatan.domain import JenisMutasi, ak_konversi, bulan_periode, bulatkan, nama_bulan
from apps.jabatan.models import MutasiAK, PejabatFungsional

SUMBER = "koreksi_bulan_ganda"
PERINTAH = "manage.py koreksi_bulan_ganda --terapkan"
ATURAN = (
    "Setiap bulan kalender dikonversi satu kali per pejabat: bulan yang disentuh dua periode dihitung oleh "
    "periode yang tercatat lebih dahulu (issue 19, commit 0b7fb86)"
)


@dataclass(frozen=True)
class Temuan:
    """One later konversi row that counts months an earlier konversi of the holder already counts."""

    pejabat_id: int
    instansi_id: int
    nip: str
    nama: str
    mutasi_id: int
    periode: tuple[date, date]
    #: month number (apps.jabatan.domain.bulan_periode) → (id, mulai, selesai) of the earlier konversi
    ganda: dict[int, tuple[int, date, date]]
    bulan_tercatat: int
    bulan_benar: int
    persentase: Decimal | None
    koefisien: Decimal | None
    nilai_tercatat: Decimal
    nilai_benar: Decimal

    @property
    def dikurangi(self) -> Decimal:
        """The AK to remove (positive)."""
        return self.nilai_tercatat - self.nilai_benar

    def bulan_teks(self) -> str:
        return ", ".join(nama_bulan(b) for b in sorted(self.ganda))

    def baris_teks(self) -> str:
        lain = sorted({(i, m, s) for i, m, s in self.ganda.values()})
        return "; ".join(f"#{i} ({tgl(m)} – {tgl(s)})" for i, m, s in lain) + (
            f"; #{self.mutasi_id} ({tgl(self.periode[0])} – {tgl(self.periode[1])})"
        )


def bulan_berlaku(mutasi: MutasiAK, koreksi: list[MutasiAK] | None = None) -> int | None:
    """The months a konversi row counts now: those of its latest correction that states months (a
    month-count correction of this module, or a corrected predikat, which keeps them), else its own."""
    if koreksi is None:
        koreksi = list(mutasi.koreksi.order_by("id"))
    for k in sorted(koreksi, key=lambda k: k.pk, reverse=True):
        if k.bulan is not None:
            return k.bulan
    return mutasi.bulan


def _berlaku(row: MutasiAK, koreksi: list[MutasiAK]) -> tuple[Decimal, Decimal, Decimal]:
    """(AK so far, persentase, koefisien) of a konversi row with its corrections."""
    nilai = row.nilai + sum((k.nilai for k in koreksi), Decimal(0))
    persen = next((k.persentase for k in sorted(koreksi, key=lambda k: -k.pk) if k.persentase is not None), None)
    return nilai, persen if persen is not None else row.persentase, row.koefisien


def _pejabat_kandidat() -> list[int]:
    """Holders with two konversi rows that touch one calendar month (a superset: a month split
    after 0b7fb86 is counted once and :func:`_temuan_pejabat` finds nothing there)."""
    lebih_dulu = (
        MutasiAK.objects.filter(pejabat_id=OuterRef("pejabat_id"), jenis=JenisMutasi.KONVERSI, id__lt=OuterRef("id"))
        .annotate(awal=TruncMonth("periode_mulai"), akhir=TruncMonth("periode_selesai"))
        .filter(awal__lte=OuterRef("bulan_akhir"), akhir__gte=OuterRef("bulan_awal"))
    )
    return sorted(
        set(
            MutasiAK.objects.filter(jenis=JenisMutasi.KONVERSI, periode_mulai__isnull=False)
            .annotate(bulan_awal=TruncMonth("periode_mulai"), bulan_akhir=TruncMonth("periode_selesai"))
            .filter(Exists(lebih_dulu))
            .values_list("pejabat_id", flat=True)
        )
    )


def _temuan_pejabat(pejabat: PejabatFungsional) -> list[Temuan]:
    rows = list(MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.KONVERSI).order_by("id"))
    koreksi: dict[int, list[MutasiAK]] = {}
    for k in MutasiAK.objects.filter(mengoreksi__in=rows, jenis=JenisMutasi.KOREKSI).order_by("id"):
        koreksi.setdefault(k.mengoreksi_id, []).append(k)
    terhitung: dict[int, tuple[int, date, date]] = {}  # month → the earliest recorded konversi touching it
    hasil = []
    for row in rows:
        bulan = bulan_periode(row.periode_mulai, row.periode_selesai)
        ganda = {b: terhitung[b] for b in bulan if b in terhitung}
        benar = len(bulan) - len(ganda)
        sekarang = bulan_berlaku(row, koreksi.get(row.pk, []))
        if ganda and sekarang is not None and sekarang > benar:
            nilai, persen, koef = _berlaku(row, koreksi.get(row.pk, []))
            if not benar:
                nilai_benar = Decimal(0)
            elif persen is None or koef is None:  # a row without its formula: the AK per month it recorded
                nilai_benar = bulatkan(nilai * benar / sekarang)
            else:
                nilai_benar = ak_konversi(bulan=benar, persentase=persen, koefisien=koef)
            hasil.append(
                Temuan(
                    pejabat_id=pejabat.pk, instansi_id=pejabat.instansi_id, nip=pejabat.nip, nama=pejabat.nama,
                    mutasi_id=row.pk, periode=(row.periode_mulai, row.periode_selesai), ganda=ganda,
                    bulan_tercatat=sekarang, bulan_benar=benar, persentase=persen, koefisien=koef,
                    nilai_tercatat=nilai, nilai_benar=nilai_benar,
                )
            )  # fmt: skip
        for b in bulan:
            terhitung.setdefault(b, (row.pk, row.periode_mulai, row.periode_selesai))
    return hasil


def temukan() -> list[Temuan]:
    """Every later konversi that counts a month twice, in the caller's scope (the command's: every
    instansi), by holder and row. Read only."""
    ids = _pejabat_kandidat()
    hasil = []
    for pejabat in PejabatFungsional.objects.filter(pk__in=ids).order_by("pk"):
        hasil.extend(_temuan_pejabat(pejabat))
    return hasil


@transaction.atomic
def koreksi_pejabat(pejabat_id: int, *, oleh, dijalankan_oleh: str) -> list[Temuan]:
    """Correct one holder's ledger: the holder locked (as every konversi path does,
    ``apps.jabatan.services._kunci_pejabat``), the months counted twice found again under the lock,
    and one ``koreksi`` row appended per later konversi. ``oleh``: the portal account named to the
    command (or None); ``dijalankan_oleh``: who ran it (account and system user), recorded in the
    row and the audit entry. Returns what was corrected (nothing on a second run)."""
    from apps.jabatan.services import mutasi_tambah

    pejabat = PejabatFungsional.objects.select_for_update().get(pk=pejabat_id)
    temuan = _temuan_pejabat(pejabat)
    aktor = oleh if getattr(oleh, "is_authenticated", False) else None
    for t in temuan:
        konversi = MutasiAK.objects.get(pk=t.mutasi_id)
        rincian = {
            "sumber": SUMBER, "perintah": PERINTAH, "aturan": ATURAN, "dijalankan_oleh": dijalankan_oleh,
            "sebelum": str(t.nilai_tercatat), "sesudah": str(t.nilai_benar),
            "bulan_sebelum": t.bulan_tercatat, "bulan_sesudah": t.bulan_benar,
            "bulan_sudah_dihitung": [
                {"bulan": nama_bulan(b), "periode": [m.isoformat(), s.isoformat()], "mutasi": i}
                for b, (i, m, s) in sorted(t.ganda.items())
            ],
        }  # fmt: skip
        keterangan = _(
            "Koreksi bulan ganda: %(bulan)s sudah dihitung pada konversi periode %(lain)s; konversi periode ini "
            "menghitung %(benar)d bulan, bukan %(tercatat)d (setiap bulan kalender dikonversi satu kali)."
        ) % {
            "bulan": t.bulan_teks(),
            "lain": "; ".join(sorted({f"{tgl(m)} – {tgl(s)}" for _i, m, s in t.ganda.values()})),
            "benar": t.bulan_benar,
            "tercatat": t.bulan_tercatat,
        }
        mutasi = mutasi_tambah(
            pejabat, JenisMutasi.KOREKSI, -t.dikurangi, oleh=aktor, periode_mulai=t.periode[0],
            periode_selesai=t.periode[1], persentase=t.persentase, koefisien=t.koefisien, bulan=t.bulan_benar,
            jenjang=konversi.jenjang_id, rincian=rincian, mengoreksi=konversi, keterangan=keterangan,
            audit_entry=False,
        )  # fmt: skip
        audit.record_objek(
            "ak.koreksi_bulan_ganda",
            pejabat,
            actor=aktor,
            message=_("Koreksi bulan ganda %(nama)s: %(bulan)s, angka kredit dikurangi %(ak)s (%(oleh)s).")
            % {"nama": pejabat.nama, "bulan": t.bulan_teks(), "ak": format_ak(t.dikurangi), "oleh": dijalankan_oleh},
            data={"mutasi": mutasi.pk, "konversi": t.mutasi_id, "nilai": str(-t.dikurangi), **rincian},
        )
    return temuan
