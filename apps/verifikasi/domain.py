"""Tim Penilai and sidang rules (seed 001, draft Perkalan JFAK; sensible defaults for all JFs).
Pure functions: no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from apps.referensi.domain import add_years

MASA_JABATAN_TAHUN = 3  # seed 001 D.1: masa jabatan Tim Penilai 3 tahun
MAKS_BERTURUT = 2  # seed 001 D.2: setelah 2 masa jabatan berturut-turut, jeda satu masa jabatan
MIN_BERSERTIFIKAT = 2  # domain.md §8: paling sedikit 2 anggota bersertifikat bimtek
# Seed 001 D.2: "dapat diangkat kembali setelah melampaui masa tenggang yaitu 1 kali masa jabatan":
# an earlier term counts as consecutive unless a full term (3 years) lies between them.


@dataclass(frozen=True)
class AnggotaSpec:
    user_id: int
    nama: str
    peran: str  # ketua / sekretaris / anggota
    bersertifikat: bool


def validasi_tim(
    anggota: list[AnggotaSpec],
    mulai: date | None,
    selesai: date | None,
    riwayat: dict[int, list[tuple[date, date]]],
) -> list[str]:
    """Every rule a new team breaks, as messages (empty list: valid).

    ``riwayat`` maps a member to the terms (start, end) of his or her earlier teams of the JF.
    Without a date the rules on the term are left out (the form reports the missing date)."""
    errors: list[str] = []
    n = len(anggota)
    if n == 0 or n % 2 == 0:
        errors.append(_("Jumlah anggota tim harus ganjil (sekarang %(n)d).") % {"n": n})
    if len({a.user_id for a in anggota}) != n:
        errors.append(_("Seorang anggota tercantum lebih dari sekali."))
    for peran, label in (("ketua", _("ketua")), ("sekretaris", _("sekretaris"))):
        count = sum(1 for a in anggota if a.peran == peran)
        if count != 1:
            errors.append(_("Tim harus memiliki tepat satu %(peran)s (sekarang %(n)d).") % {"peran": label, "n": count})
    certified = sum(1 for a in anggota if a.bersertifikat)
    if certified < MIN_BERSERTIFIKAT:
        errors.append(
            _("Paling sedikit %(min)d anggota harus bersertifikat bimtek penilai (sekarang %(n)d).")
            % {"min": MIN_BERSERTIFIKAT, "n": certified}
        )
    if mulai is None or selesai is None:
        pass
    elif selesai <= mulai:
        errors.append(_("Akhir masa jabatan harus setelah awal masa jabatan."))
    elif selesai > add_years(mulai, MASA_JABATAN_TAHUN):
        errors.append(_("Masa jabatan tim paling lama %(n)d tahun.") % {"n": MASA_JABATAN_TAHUN})
    for a in anggota:
        if mulai is not None and masa_berturut(riwayat.get(a.user_id, []), mulai) >= MAKS_BERTURUT:
            errors.append(
                _(
                    "%(nama)s sudah %(n)d masa jabatan berturut-turut; "
                    "dapat diangkat lagi setelah jeda satu masa jabatan."
                )
                % {"nama": a.nama, "n": MAKS_BERTURUT}
            )
    return errors


def masa_berturut(terms: list[tuple[date, date]], mulai_baru: date) -> int:
    """How many terms in a row end right before ``mulai_baru``."""
    count = 0
    start = mulai_baru
    for t_start, t_end in sorted(terms, key=lambda t: t[1], reverse=True):
        if t_end >= start:
            continue  # overlapping or later: not a preceding term
        if start > add_years(t_end, MASA_JABATAN_TAHUN):
            break  # a gap of at least one full term resets the count
        count += 1
        start = t_start
    return count


def tim_berlaku(mulai: date, selesai: date, on: date) -> bool:
    """A team acts (is assigned dossiers, holds a sidang) only within its term."""
    return mulai <= on <= selesai


def pangkat_cukup(anggota_golongan: int | None, dinilai_golongan: int | None) -> bool:
    """Seed 001 C.2: a member holds a pangkat at least equal to that of the pegawai assessed.
    An unknown golongan is not enough."""
    return anggota_golongan is not None and dinilai_golongan is not None and anggota_golongan >= dinilai_golongan


def dua_pertiga(bagian: int, total: int) -> bool:
    """At least two thirds, in integers: exactly 2/3 passes, one short fails (seed 001 D.3, D.4)."""
    return total > 0 and 3 * bagian >= 2 * total


def konflik_kepentingan(
    *,
    penilai_instansi_id: int | None,
    penilai_nip: str,
    usulan_instansi_id: int,
    pegawai_nip: str,
    boleh_instansi_sendiri: bool,
) -> str | None:
    """Why a penilai may not assess a dossier, or None (seed 001 E.7; domain.md §8)."""
    if penilai_nip and penilai_nip == pegawai_nip:
        return _("Penilai tidak boleh menilai usulan atas nama dirinya sendiri.")
    if not boleh_instansi_sendiri and penilai_instansi_id == usulan_instansi_id:
        return _("Penilai tidak boleh menilai usulan dari instansinya sendiri.")
    return None


def sebut_tim(nama: str) -> str:
    """A team's name in a sentence: "Tim Penilai Setneg" as it is, "Setneg 2026" as "Tim Setneg
    2026" — never "Tim Tim Penilai"."""
    nama = (nama or "").strip()
    return nama if nama.lower().startswith("tim ") or nama.lower() == "tim" else f"Tim {nama}"


def dihitung_per_usulan(isi: dict) -> list[int]:
    """From a berita acara's ``isi``: for each pegawai decided, how many members present count for
    the quorum on that pegawai (those present, less those below its pangkat or with a declared
    conflict of interest on it). Seed 001 C.2 excludes a member only for the dossier above their
    pangkat, so the count can differ per usulan (fresh-eye walk 1, M1)."""
    hadir = [a.get("nama") for a in isi.get("anggota", []) if a.get("hadir")]
    out = []
    for h in isi.get("hasil", []):
        keluar = set(h.get("tidak_memutuskan") or []) | set(h.get("tidak_memutuskan_konflik") or [])
        out.append(sum(1 for n in hadir if n not in keluar))
    return out


def kehadiran_teks(hadir: int, anggota: int, dihitung: list[int]) -> str:
    """Attendance in one sentence that is true for every usulan of the sidang: everyone present; how
    many count for the quorum when that is the same for every usulan; otherwise that the quorum is
    counted per usulan, with its range (the berita acara's table says who did not decide on whom)."""
    teks = _("%(h)d dari %(m)d anggota hadir") % {"h": hadir, "m": anggota}
    if not dihitung or min(dihitung) == max(dihitung) == hadir:
        return teks
    if min(dihitung) == max(dihitung):
        return _("%(t)s, %(k)d dihitung dalam kuorum") % {"t": teks, "k": dihitung[0]}
    return _(
        "%(t)s; kuorum dihitung per usulan: %(a)d sampai %(b)d anggota dihitung, menurut pangkat pegawai yang "
        "dinilai dan konflik kepentingan (lihat hasil sidang)"
    ) % {"t": teks, "a": min(dihitung), "b": max(dihitung)}
