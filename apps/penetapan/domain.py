"""Rules of the penetapan angka kredit (seed 001, PerBKN 3/2023; domain.md §4 and §8), pure.

* Periods (seed 001 BAB IV C, Tabel 1): a submission window in a month (JFAK: the first week of
  October → PAK in January → kenaikan pangkat in April; the first week of April → July →
  October). A PAK or kenaikan-pangkat month not after the submission month is in the next year.
* Outside a period only a holder who "telah memasuki batas usia pensiun" (seed 001 BAB IV C) may
  propose: one who has reached the BUP (PP 11/2017 art. 239, per jenjang) and is not yet retired
  (:func:`boleh_luar_periode`).
* The assessing team (seed 001 E.6): the instansi's own team; without one, the nearest — its
  province's team — else the pusat team of the JF.
* A member never assesses an usulan of his or her own (seed 001 E.7): same user or same NIP.
* Quorum (seed 001 BAB IV D.3-4): the sidang may open when ⌈2/3⌉ of the members have assessed;
  its result is valid with ⌈2/3⌉ of the members attending.

The workflow of an usulan is the table ``TRANSITIONS`` (same shape as ``pengusulan.domain``);
``apps.penetapan.alur.pindahkan`` is the only code that changes ``UsulanPenetapanAK.status``."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from apps.core.transisi import transisi_boleh, transisi_cari

# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Jendela:
    """One occurrence of a period in a year."""

    periode_id: int
    nama: str
    tahun: int
    mulai: date
    selesai: date
    pak: date  # first day of the PAK month
    kenaikan_pangkat: date  # first day of the kenaikan pangkat month


def jendela(periode, tahun: int) -> Jendela:
    """``periode`` has bulan_pengajuan, hari_mulai, hari_selesai, bulan_pak, bulan_kenaikan_pangkat.
    A PAK (or kenaikan pangkat) month before the submission month falls in the next year (seed
    001: October → January); the submission month itself is that month, after the window."""
    akhir = calendar.monthrange(tahun, periode.bulan_pengajuan)[1]
    mulai = date(tahun, periode.bulan_pengajuan, min(periode.hari_mulai, akhir))
    selesai = date(tahun, periode.bulan_pengajuan, min(periode.hari_selesai, akhir))

    def bulan(b: int) -> date:
        return date(tahun + (1 if b < periode.bulan_pengajuan else 0), b, 1)

    return Jendela(
        periode.pk, periode.nama, tahun, mulai, selesai, bulan(periode.bulan_pak), bulan(periode.bulan_kenaikan_pangkat)
    )


def urutan_bulan_benar(bulan_pengajuan: int, bulan_pak: int, bulan_kenaikan_pangkat: int) -> bool:
    """Whether a period's months follow the calendar of seed 001 (submission → PAK → kenaikan
    pangkat, e.g. October → January → April): counted from the submission month as :func:`jendela`
    does (an earlier month is in the next year), the kenaikan pangkat month comes after the PAK
    month. The PAK month may be the submission month itself (after the window: the demo period,
    ``demo_data``); the kenaikan pangkat month may not be the PAK month."""

    def jarak(b: int) -> int:
        return (b - bulan_pengajuan) % 12

    return jarak(bulan_kenaikan_pangkat) > jarak(bulan_pak)


def jendela_bertumpuk(a, b) -> bool:
    """Whether two periods' submission windows share a day (same submission month, overlapping
    days): an usulan would fall in both (issue 19 walk: 3–10 April beside the April period, 1–7 April)."""
    return a.bulan_pengajuan == b.bulan_pengajuan and a.hari_mulai <= b.hari_selesai and b.hari_mulai <= a.hari_selesai


def hari_terbanyak(bulan: int) -> int:
    """The last day a month ever has: 29 for February (leap years; 28 otherwise, where
    :func:`jendela` clamps it), 30 for April, June, September and November, else 31. A period
    opening or closing on a later day is refused (issue 19: "25 Februari – 31 Februari")."""
    return calendar.monthrange(2024, bulan)[1]  # 2024 is a leap year


def jendela_terbuka(periode_list: Iterable, pada: date) -> Jendela | None:
    """The window open on ``pada`` (inclusive at both ends), if any."""
    for periode in periode_list:
        j = jendela(periode, pada.year)
        if j.mulai <= pada <= j.selesai:
            return j
    return None


def jendela_berikut(periode_list: Iterable, pada: date) -> Jendela | None:
    """The first window that opens after ``pada`` (this year or the next)."""
    periode_list = list(periode_list)
    calon = [jendela(p, t) for t in (pada.year, pada.year + 1) for p in periode_list]
    calon = [j for j in calon if j.mulai > pada]
    return min(calon, key=lambda j: j.mulai) if calon else None


def tanggal_bup(lahir: date, usia_bup: int) -> date:
    """The day the holder reaches the batas usia pensiun (29 February → 28 February)."""
    tahun = lahir.year + usia_bup
    hari = min(lahir.day, calendar.monthrange(tahun, lahir.month)[1])
    return date(tahun, lahir.month, hari)


def boleh_luar_periode(lahir: date, usia_bup: int, pada: date) -> bool:
    """The BUP exception, as seed 001 words it (BAB IV C, under Tabel 1): "Pengusulan dan
    penetapan PAK dimungkinkan untuk dapat dilakukan diluar periode tersebut apabila JFAK yang
    akan mengajukan DUPAK telah memasuki batas usia pensiun." — the holder *has reached* the BUP
    (PP 11/2017 art. 239, per jenjang) on the day the usulan is made or submitted, and is still in
    service: before the TMT pensiun, the first day of the month after the BUP birthday (a retired
    holder is no longer a JFAK who may submit). The same rule with or without periods configured:
    the seed gives no window before the BUP (not "within twelve months", not "before the next PAK
    month" — readings the portal used before, issue 19 fresh-eye walk)."""
    from apps.referensi.domain import tanggal_pensiun

    if lahir is None or pada is None:
        return False
    return tanggal_bup(lahir, usia_bup) <= pada < tanggal_pensiun(lahir, usia_bup)


PESAN_LUAR_PERIODE = _(
    "Pengusulan penetapan angka kredit hanya dapat diajukan pada periode yang ditetapkan. Periode berikutnya: "
    "%(nama)s, %(mulai)s s.d. %(selesai)s (PAK %(pak)s). Di luar periode hanya bagi pejabat fungsional yang telah "
    "memasuki batas usia pensiun (%(bup)d tahun: bagi pejabat ini mulai %(tanggal_bup)s sampai sebelum TMT pensiun "
    "%(tmt)s)."
)
PESAN_PENSIUN = _(
    "%(nama)s sudah mencapai batas usia pensiun (%(bup)d tahun pada %(tanggal_bup)s; TMT pensiun %(tmt)s): usulan "
    "penetapan angka kredit tidak dapat diajukan lagi."
)
PESAN_TANPA_PERIODE = _(
    "Usulan penetapan angka kredit belum dapat diajukan: belum ada periode penilaian untuk JF ini (di luar periode "
    "hanya bagi pejabat fungsional yang telah memasuki batas usia pensiun, mulai %(tanggal_bup)s); hubungi admin "
    "pembina."
)

# --------------------------------------------------------------------------- teams


@dataclass(frozen=True)
class CalonTim:
    pk: int
    instansi_id: int
    tingkat: str
    masa_mulai: date
    masa_selesai: date


def tim_penilai_untuk(
    instansi_id: int, provinsi_id: int | None, calon: Iterable[CalonTim], pada: date
) -> CalonTim | None:
    """Seed 001 E.6: the instansi's own team, else its province's, else the pusat team; only
    teams whose term covers ``pada``; the newest term first."""
    aktif = sorted(
        (t for t in calon if t.masa_mulai <= pada <= t.masa_selesai), key=lambda t: t.masa_mulai, reverse=True
    )
    sendiri = [t for t in aktif if t.instansi_id == instansi_id and t.tingkat != "pusat"]
    if sendiri:
        return sendiri[0]
    if provinsi_id is not None:
        prov = [t for t in aktif if t.instansi_id == provinsi_id and t.tingkat == "provinsi"]
        if prov:
            return prov[0]
    pusat = [t for t in aktif if t.tingkat == "pusat"]
    return pusat[0] if pusat else None


#: Seed 001 BAB II D.1: a team's term is 3 years; BAB III F: the sekretariat's is one year.
MASA_TIM_TAHUN = 3
MASA_SEKRETARIAT_TAHUN = 1
#: Seed 001 BAB II B.2: besides the ketua and the sekretaris, at least 3 members in the pusat team
#: (BKN, KemenPAN-RB, Ahli Utama) and at least 1 in an instansi or daerah team.
MIN_ANGGOTA_LAIN = {"pusat": 3}
MIN_ANGGOTA_LAIN_BAWAAN = 1


def masa_selesai(mulai: date, tahun: int) -> date:
    """The last day of a term of ``tahun`` years starting ``mulai`` (1-1-2027, 3 → 31-12-2029)."""
    from datetime import timedelta

    from apps.referensi.domain import add_years

    return add_years(mulai, tahun) - timedelta(days=1)


def tingkat_instansi(jenis: str) -> str:
    """The level of the team an instansi forms itself (seed 001 definitions 4-6): a province's is
    provinsi, a kabupaten's or kota's kabupaten/kota, a ministry's or agency's instansi."""
    return {"provinsi": "provinsi", "kabupaten": "kabupaten_kota", "kota": "kabupaten_kota"}.get(jenis, "instansi")


@dataclass(frozen=True)
class CalonAnggota:
    user_id: int
    nama: str
    peran: str  # ketua / sekretaris / anggota / pengganti
    bersertifikat: bool


def validasi_susunan(
    tingkat: str, anggota: list[CalonAnggota], mulai: date | None, riwayat: dict[int, list[tuple[date, date]]]
) -> list[str]:
    """Every rule of seed 001 BAB II (domain.md §8) the membership breaks, as messages: odd
    membership of ketua, sekretaris and members (substitutes do not count), one ketua and one
    sekretaris, the minimum members of the level, at least 2 holding a bimtek certificate, nobody
    twice, and no third consecutive term (``riwayat``: a user's earlier terms in teams of the same
    owner and JF). The rules of the inpassing team (``apps.verifikasi.domain``) are the same."""
    from apps.verifikasi import domain as tim_domain

    errors: list[str] = []
    if len({a.user_id for a in anggota}) != len(anggota):
        errors.append(str(_("Seorang pengguna tercantum lebih dari sekali.")))
    reguler = [a for a in anggota if a.peran != "pengganti"]
    specs = [tim_domain.AnggotaSpec(a.user_id, a.nama, a.peran, a.bersertifikat) for a in reguler]
    # The term is fixed at 3 years (masa_selesai), so the inpassing rule's term check always holds;
    # without a start date the consecutive-term check waits for one.
    awal = mulai or date(1900, 1, 1)
    errors += tim_domain.validasi_tim(specs, awal, masa_selesai(awal, MASA_TIM_TAHUN), riwayat if mulai else {})
    lain = sum(1 for a in reguler if a.peran == "anggota")
    minimum = MIN_ANGGOTA_LAIN.get(tingkat, MIN_ANGGOTA_LAIN_BAWAAN)
    if lain < minimum:
        errors.append(
            str(
                _("%(tingkat)s memerlukan paling sedikit %(min)d anggota selain ketua dan sekretaris (sekarang %(n)d).")
                % {"tingkat": dict(TINGKAT_LABEL).get(tingkat, tingkat), "min": minimum, "n": lain}
            )
        )
    if mulai:
        for a in anggota:
            if a.peran == "pengganti" and tim_domain.masa_berturut(riwayat.get(a.user_id, []), mulai) >= 2:
                errors.append(
                    str(
                        _(
                            "%(nama)s sudah %(n)d masa jabatan berturut-turut; "
                            "dapat diangkat lagi setelah jeda satu masa jabatan."
                        )
                        % {"nama": a.nama, "n": 2}
                    )
                )
    return errors


TINGKAT_LABEL = (
    ("pusat", _("Tim Penilai Pusat")),
    ("instansi", _("Tim Penilai Instansi")),
    ("provinsi", _("Tim Penilai Provinsi")),
    ("kabupaten_kota", _("Tim Penilai Kabupaten/Kota")),
)


def menilai_diri_sendiri(
    *, anggota_user_id: int, anggota_nip: str, pejabat_user_id: int | None, pejabat_nip: str
) -> bool:
    """Seed 001 E.7: the member is the holder (same account or same NIP)."""
    if pejabat_user_id is not None and anggota_user_id == pejabat_user_id:
        return True
    return bool(anggota_nip) and anggota_nip.strip() == (pejabat_nip or "").strip()


PESAN_DIRI_SENDIRI = _(
    "Anggota tim penilai tidak dapat menilai usulan atas nama dirinya sendiri. Ketua tim menunjuk anggota "
    "pengganti untuk usulan ini."
)


#: How far ahead a sidang may be scheduled (days from today): a sidang is held in the period
#: after the submissions it covers (seed 001 BAB IV C: about three months), never years ahead.
SIDANG_MAKS_HARI = 90


def kuorum(jumlah_anggota: int) -> int:
    """⌈2/3 × n⌉ (seed 001 BAB IV D.3-4): 5 members → 4, 3 → 2, 6 → 4."""
    return -(-2 * jumlah_anggota // 3)


@dataclass(frozen=True)
class Suara:
    """One finished assessment of an usulan by a member attending the sidang: agrees with the
    computed AK or not; ``usang``: it agreed with a figure the ledger no longer holds."""

    setuju: bool
    usang: bool = False


@dataclass(frozen=True)
class HasilSidang:
    """The sidang's result for one usulan (seed 001 BAB IV D.4 and E): the computed AK stands
    when a strict majority of the attending members who assessed it agree with it (an agreement
    with a figure that has changed since does not count as one); then a PAK if it meets the
    requirement, else a HAPAK; an AK the team does not confirm is a HAPAK too."""

    setuju: int
    tidak_setuju: int
    usang: int
    memenuhi: bool

    @property
    def jumlah(self) -> int:
        return self.setuju + self.tidak_setuju + self.usang

    @property
    def ak_disetujui(self) -> bool:
        return 2 * self.setuju > self.jumlah

    @property
    def pak(self) -> bool:
        return self.ak_disetujui and self.memenuhi


def hasil_sidang(suara: Iterable[Suara], *, memenuhi: bool) -> HasilSidang:
    suara = list(suara)
    return HasilSidang(
        setuju=sum(1 for s in suara if s.setuju and not s.usang),
        tidak_setuju=sum(1 for s in suara if not s.setuju),
        usang=sum(1 for s in suara if s.setuju and s.usang),
        memenuhi=memenuhi,
    )


#: The PAK's tembusan for a JF whose own list (``JabatanFungsional.tembusan_pak``, seed 001 BAB IV
#: E.3 for JF Analis Kebijakan) is not configured: the same five lines, the first naming the JF's
#: pembina instansi and its unit as configured (never a placeholder). ``{pembina}``,
#: ``{unit_pembina}``, ``{instansi}``: as ``JabatanFungsional.tembusan_pak_untuk`` fills them.
TEMBUSAN_PAK = (
    "Pimpinan {pembina} selaku instansi pembina u.p. {unit_pembina}",
    "Sekretaris Tim Penilai",
    "Kepala Biro/Badan Kepegawaian Daerah/Badan Kepegawaian {instansi}",
    "Pejabat lain yang berkepentingan",
    "Arsip",
)

# --------------------------------------------------------------------------- workflow


class Status(StrEnum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    DIKEMBALIKAN = "dikembalikan"
    PENILAIAN = "penilaian"
    SIDANG = "sidang"
    PAK = "pak"
    HAPAK = "hapak"
    DIBATALKAN = "dibatalkan"


STATUS_LABELS = {
    Status.DRAFT: _("Draf"),
    Status.DIAJUKAN: _("Diajukan, menunggu pemeriksaan sekretariat"),
    Status.DIKEMBALIKAN: _("Dikembalikan untuk dilengkapi"),
    Status.PENILAIAN: _("Penilaian oleh tim penilai"),
    Status.SIDANG: _("Dalam sidang tim penilai"),
    Status.PAK: _("PAK ditetapkan"),
    Status.HAPAK: _("HAPAK diterbitkan"),
    Status.DIBATALKAN: _("Dibatalkan"),
}
SELESAI = frozenset({Status.PAK, Status.HAPAK, Status.DIBATALKAN})
DAPAT_DIUBAH = frozenset({Status.DRAFT, Status.DIKEMBALIKAN})

#: Roles of the workflow. Accounts roles (pic_instansi, sekretariat_tim) plus the two a user
#: holds on one usulan through the team that assesses it (``selectors.peran_pada``).
KETUA_TIM_AK = "ketua_tim_ak"
ANGGOTA_TIM_AK = "anggota_tim_ak"
#: Who submits: the instansi's PIC, and the holder for their own record where the JF allows it
#: (``JabatanFungsional.pejabat_boleh_mengajukan_ak``; ``selectors.peran_pada`` grants it).
PENGAJU_INSTANSI = frozenset({"pic_instansi"})
PEJABAT_PENGAJU = "pejabat_fungsional"
PENGAJU = PENGAJU_INSTANSI | {PEJABAT_PENGAJU}
SEKRETARIAT = frozenset({"sekretariat_tim"})


@dataclass(frozen=True)
class Transition:
    """One move: the roles that may make it, from where to where, the audit entry (``aksi``,
    ``pesan``) and who hears of it (``penerima``: "pengaju" — the instansi's PIC, "sekretariat"
    — the team's sekretariat, "tim" — the team's members, "pic_bila_diajukan_pejabat" — the
    instansi's PIC when the holder made the move themselves) with the notice's title."""

    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[str]
    label: str
    aksi: str
    pesan: str
    penerima: tuple[str, ...]
    judul: str
    aksi_ulang: str = ""
    pesan_ulang: str = ""


def _t(action, sources, target, roles, label, jejak, penerima, judul, ulang=("", "")) -> Transition:
    return Transition(
        action,
        frozenset(sources),
        target,
        frozenset(roles),
        label,
        jejak[0],
        jejak[1],
        tuple(penerima),
        judul,
        ulang[0],
        ulang[1],
    )


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t(
            "ajukan",
            {Status.DRAFT, Status.DIKEMBALIKAN},
            Status.DIAJUKAN,
            PENGAJU,
            _("Ajukan"),
            ("penetapan.diajukan", _("Usulan penetapan angka kredit diajukan ke %(tim)s.")),
            ["sekretariat", "pic_bila_diajukan_pejabat"],
            _("Usulan penetapan AK baru: %(nama)s"),
            ulang=("penetapan.diajukan_ulang", _("Usulan diajukan ulang setelah dilengkapi.")),
        ),
        _t(
            "batalkan",
            {Status.DRAFT, Status.DIKEMBALIKAN},
            Status.DIBATALKAN,
            PENGAJU,
            _("Batalkan"),
            ("penetapan.dibatalkan", _("Usulan dibatalkan.")),
            [],
            "",
        ),
        _t(
            "kembalikan",
            {Status.DIAJUKAN},
            Status.DIKEMBALIKAN,
            SEKRETARIAT,
            _("Kembalikan untuk dilengkapi"),
            ("penetapan.dikembalikan", _("Dikembalikan oleh sekretariat tim penilai:")),
            ["pengaju"],
            _("Usulan penetapan AK perlu dilengkapi: %(nama)s"),
        ),
        _t(
            "nyatakan_lengkap",
            {Status.DIAJUKAN},
            Status.PENILAIAN,
            SEKRETARIAT,
            _("Lengkap"),
            ("penetapan.lengkap", _("Dinyatakan lengkap oleh sekretariat; diteruskan ke tim penilai.")),
            ["pengaju", "tim"],
            _("Usulan penetapan AK siap dinilai: %(nama)s"),
        ),
        _t(
            "sidangkan",
            {Status.PENILAIAN},
            Status.SIDANG,
            SEKRETARIAT,
            _("Masukkan ke sidang"),
            ("penetapan.disidangkan", _("Dimasukkan ke sidang tim penilai %(sidang)s.")),
            ["tim"],
            _("Sidang tim penilai: %(nama)s"),
        ),
        _t(
            "tetapkan_pak",
            {Status.SIDANG},
            Status.PAK,
            {KETUA_TIM_AK},
            _("Tetapkan PAK"),
            ("penetapan.pak", _("Memenuhi syarat; PAK %(surat)s diterbitkan, menunggu tanda tangan PYB.")),
            ["pengaju", "sekretariat"],
            # The sidang issues the PAK; the PYB sets it by signing (seed 001 BAB IV E.2).
            _("PAK diterbitkan, menunggu tanda tangan PYB: %(nama)s"),
        ),
        _t(
            "terbitkan_hapak",
            {Status.SIDANG},
            Status.HAPAK,
            {KETUA_TIM_AK},
            _("Terbitkan HAPAK"),
            ("penetapan.hapak", _("Belum memenuhi syarat; HAPAK %(surat)s diterbitkan.")),
            ["pengaju", "sekretariat"],
            _("HAPAK diterbitkan: %(nama)s"),
        ),
    )
}


#: Each move as the end of the refusal "Usulan berstatus <status> tidak dapat …."
FRASA_TOLAK = {
    "ajukan": _("diajukan"),
    "batalkan": _("dibatalkan"),
    "kembalikan": _("dikembalikan untuk dilengkapi"),
    "nyatakan_lengkap": _("dinyatakan lengkap"),
    "sidangkan": _("dimasukkan ke sidang"),
    "tetapkan_pak": _("ditetapkan PAK-nya"),
    "terbitkan_hapak": _("diterbitkan HAPAK-nya"),
}


def transition_for(action: str, status: str, roles) -> Transition:
    """The transition ``action`` from ``status`` for ``roles``, or
    ``apps.core.transisi.TransitionError``."""
    return transisi_cari(TRANSITIONS, action, Status(status), roles, STATUS_LABELS, FRASA_TOLAK)


def allowed_actions(status: str, roles) -> list[Transition]:
    return transisi_boleh(TRANSITIONS, Status(status), roles)
