"""The rules of inpassing (penyesuaian), as pure functions: no ORM, no request.

Every rule cites its source; numbers that vary per JF or are unverified arrive as parameters
(from the reference data the admin pembina edits), never as constants here. Sources:

* seed 000 — Kemensetneg/Pusbin AKS webinar on inpassing JF AKS (11 Dec 2025);
* seed 002 — KepmenPANRB SKJ.1/2022, standar kompetensi JF Pengantar Kerja;
* seed 003 — Kemnaker, alur inpassing (Permenaker 4/2017 pasal 5);
* seed 004 — Panduan teknis PerBKN 3/2023: jenjang follows the last pangkat (the principle only),
  masa kerja rounding and cap, AK penyesuaian = table value + AK Dasar;
* not in the seeds (domain.md marks them): the golongan → jenjang table (PermenPANRB 1/2023 as
  taught in BKN material [V2]), the predikat percentages and the 2/12 example (BKN training
  slides on PerBKN 3/2023 [V2]), PP 11/2017 pasal 239 (BUP) [V].
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.format import durasi, tgl

# --------------------------------------------------------------------------- dates


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # A month is complete when the day of the month is reached (end of month counts for the
    # last day of shorter months: 31 Jan → 28 Feb is one month).
    last_day = calendar.monthrange(end.year, end.month)[1]
    if end.day < start.day and end.day != last_day:
        months -= 1
    return months


def age_on(birth: date, on: date) -> int:
    """Age in whole years on a date."""
    return full_months_between(birth, on) // 12


# --------------------------------------------------------------------------- NIP


class NipError(ValueError):
    """A NIP that cannot be read; the message names the bad part, in Indonesian."""


@dataclass(frozen=True)
class NipInfo:
    nip: str
    tanggal_lahir: date
    tmt_cpns: date | None  # first day of the TMT CPNS month; None for a PPPK number
    jenis_kelamin: str  # "L" or "P"
    nomor_urut: str
    is_pns: bool

    def formatted(self) -> str:
        return format_nip(self.nip)

    def tidak_sesuai(self, *, tanggal_lahir: date | None, jenis_kelamin: str | None) -> dict[str, str]:
        """field → message for a recorded birth date or sex that disagrees with the NIP (empty
        ones are filled from it). Form, API, XLSX import and the pegawai services all call this."""
        errors = {}
        if tanggal_lahir and tanggal_lahir != self.tanggal_lahir:
            errors["tanggal_lahir"] = _("Tanggal lahir tidak sesuai dengan NIP (%(d)s).") % {
                "d": tgl(self.tanggal_lahir)
            }
        if jenis_kelamin and jenis_kelamin != self.jenis_kelamin:
            errors["jenis_kelamin"] = _("Jenis kelamin tidak sesuai dengan NIP (digit ke-15).")
        return errors


KODE_PPPK = "21"
"""Digits 13–14 of a PPPK number (NI PPPK) in place of the TMT CPNS month. domain.md §5 says only
"a non-month code"; the value 21 is belum terverifikasi [U] and kept here as the one code."""


def normalize_nip(raw: str) -> str:
    """Remove spaces (including non-breaking ones) that people type between the groups."""
    return "".join((raw or "").split())


def format_nip(nip: str) -> str:
    """``198609262015051001`` → ``19860926 201505 1 001``."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def parse_nip(raw: str) -> NipInfo:
    """Read a NIP: ``YYYYMMDD YYYYMM G NNN`` (BKN). Raises :class:`NipError`.

    Digits 13–14 equal to the PPPK code mark a PPPK number: it parses, with ``is_pns=False``, and
    the eligibility rules reject it — never a crash. Any other non-month value is a typing error."""
    nip = normalize_nip(raw)
    if not nip:
        raise NipError(_("NIP wajib diisi."))
    bad = sorted({c for c in nip if not c.isdigit()})
    if bad:
        raise NipError(_("NIP hanya boleh berisi angka; ditemukan: %(chars)s.") % {"chars": " ".join(bad)})
    if len(nip) != 18:
        raise NipError(_("NIP harus 18 digit; yang diisi %(n)d digit.") % {"n": len(nip)})
    try:
        lahir = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(_("Digit 1–8 NIP (%(part)s) bukan tanggal lahir yang valid.") % {"part": nip[0:8]}) from None
    if lahir.year < 1900:
        raise NipError(_("Tahun lahir pada NIP (%(y)s) tidak wajar.") % {"y": nip[0:4]})
    sex_digit = nip[14]
    if sex_digit not in "12":
        raise NipError(_("Digit ke-15 NIP (%(d)s) harus 1 (laki-laki) atau 2 (perempuan).") % {"d": sex_digit})
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    is_pns = 1 <= tmt_month <= 12
    if not is_pns and nip[12:14] != KODE_PPPK:
        raise NipError(
            _(
                "Digit 13–14 NIP (%(d)s) bukan bulan TMT CPNS (01–12) dan bukan kode PPPK (%(pppk)s): "
                "kemungkinan salah ketik, periksa kembali NIP."
            )
            % {"d": nip[12:14], "pppk": KODE_PPPK}
        )
    tmt = None
    if is_pns:
        if tmt_year <= lahir.year:
            raise NipError(
                _("Digit 9–14 NIP (%(part)s): TMT CPNS tidak mungkin sebelum tahun lahir.") % {"part": nip[8:14]}
            )
        tmt = date(tmt_year, tmt_month, 1)
    return NipInfo(
        nip=nip,
        tanggal_lahir=lahir,
        tmt_cpns=tmt,
        jenis_kelamin="L" if sex_digit == "1" else "P",
        nomor_urut=nip[15:],
        is_pns=is_pns,
    )


#: The one message for a PPPK number where a PNS is required (domain.md §5).
PESAN_BUKAN_PNS = _lazy(
    "NIP ini bukan NIP PNS (digit 13–14 bukan bulan): PPPK tidak dapat diusulkan melalui penyesuaian."
)


def nip_pns(raw: str) -> NipInfo:
    """The NIP of a PNS — the only pegawai penyesuaian may propose: :func:`parse_nip`, and a
    PPPK number refused with :data:`PESAN_BUKAN_PNS`. Raises :class:`NipError`. Form, API
    serializer, XLSX import and the pegawai services all call this."""
    info = parse_nip(raw)
    if not info.is_pns:
        raise NipError(str(PESAN_BUKAN_PNS))
    return info


# --------------------------------------------------------------------------- jenjang, masa kerja


@dataclass(frozen=True)
class JenjangParams:
    kode: str
    nama: str
    golongan_min: int  # Golongan.urutan, inclusive
    golongan_maks: int
    pendidikan_min: int  # Pendidikan rank, see PENDIDIKAN_URUTAN
    batas_usia_pensiun: int
    koefisien: Decimal
    #: Where the jenjang's education requirement comes from: the JF's own standar kompetensi when its
    #: persyaratan jabatan are transcribed (``Jenjang.persyaratan``), else empty ("belum terverifikasi").
    sumber_pendidikan: str = ""


def jenjang_for_golongan(golongan_urutan: int, jenjang: Iterable[JenjangParams]) -> JenjangParams | None:
    """The jenjang fixed by the last pangkat/golongan (seed 004 states the principle: "berdasarkan
    pada pangkat dan golongan ruang terakhir"; the golongan ranges are the JF's data, after
    PermenPANRB 1/2023 as taught in BKN material [V2]), or None when the JF has no jenjang for it."""
    for item in jenjang:
        if item.golongan_min <= golongan_urutan <= item.golongan_maks:
            return item
    return None


def masa_kerja_pangkat(
    tmt_pangkat: date,
    on: date,
    *,
    hitung_dari_cpns: bool = False,
    tmt_cpns: date | None = None,
) -> int:
    """Masa kerja in the last pangkat in whole years, 0 meaning "kurang dari 1 tahun", capped at 4.

    PerBKN 3/2023 (seed 004): dibulatkan ke bawah — <1 → kurang 1 tahun, 1–<2 → 1, 2–<3 → 2,
    3–<4 → 3, ≥4 → 4. For a pelaksana in III/a it counts from CPNS (``hitung_dari_cpns``)."""
    start = tmt_cpns if (hitung_dari_cpns and tmt_cpns is not None) else tmt_pangkat
    return min(4, full_months_between(start, on) // 12)


def counts_from_cpns(golongan_kode: str, is_pelaksana: bool) -> bool:
    """PerBKN 3/2023 (seed 004): for a jabatan pelaksana in III/a (Penata Muda), masa kerja in
    pangkat is counted from CPNS."""
    return is_pelaksana and golongan_kode == "III/a"


def tanggal_pensiun(birth: date, batas_usia_pensiun: int) -> date:
    """First day of the month after the BUP birthday (PP 11/2017 pasal 239, TMT pensiun)."""
    bup_day = add_years(birth, batas_usia_pensiun)
    if bup_day.month == 12:
        return date(bup_day.year + 1, 1, 1)
    return date(bup_day.year, bup_day.month + 1, 1)


def years_until_pension(birth: date, batas_usia_pensiun: int, on: date) -> int:
    """Whole years from ``on`` until the TMT pensiun (0 once it has passed)."""
    return full_months_between(on, tanggal_pensiun(birth, batas_usia_pensiun)) // 12


# --------------------------------------------------------------------------- angka kredit

AK_QUANTUM = Decimal("0.001")
"""AK is kept to three decimals, half up; shown with two (2/12 × 100 % × 12,5 = 2,083, printed 2,08
in the BKN training slides on PerBKN 3/2023 [V2], domain.md §4)."""

SUMBER_PREDIKAT = "Slide pelatihan BKN tentang PerBKN 3/2023 [V2; tidak ada dalam seed], domain.md §4"


class Predikat(StrEnum):
    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"


# Predikat kinerja → persentase angka kredit: BKN training slides on PerBKN 3/2023 [V2], not in
# the seeds (domain.md §4) — see SUMBER_PREDIKAT.
PREDIKAT_PERSEN: dict[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal(150),
    Predikat.BAIK: Decimal(100),
    Predikat.BUTUH_PERBAIKAN: Decimal(75),
    Predikat.KURANG: Decimal(50),
    Predikat.SANGAT_KURANG: Decimal(25),
}
PREDIKAT_URUTAN = {p: i for i, p in enumerate(reversed(list(Predikat)))}  # sangat_kurang=0 … sangat_baik=4


def quantize_ak(value: Decimal) -> Decimal:
    return value.quantize(AK_QUANTUM, rounding=ROUND_HALF_UP)


def angka_kredit(predikat: Predikat | str, koefisien: Decimal, bulan: int = 12) -> Decimal:
    """AK earned for ``bulan`` months at a predikat: bulan/12 × persentase × koefisien."""
    if not 0 <= bulan <= 12:
        raise ValueError("bulan must be 0..12")
    persen = PREDIKAT_PERSEN[Predikat(predikat)]
    return quantize_ak(Decimal(bulan) / 12 * persen / 100 * Decimal(koefisien))


def angka_kredit_penyesuaian(nilai_tabel: Decimal, ak_dasar: Decimal) -> Decimal:
    """AK awal on penyesuaian = value from the penyesuaian table + AK Dasar (seed 004)."""
    return quantize_ak(Decimal(nilai_tabel) + Decimal(ak_dasar))


@dataclass(frozen=True)
class AKAwal:
    """AK awal with its provenance: the two reference values it adds and whether each row is
    verified (an AK built on an unverified row cannot go into a rekomendasi or SK)."""

    nilai_tabel: Decimal
    ak_dasar: Decimal
    total: Decimal
    tabel_terverifikasi: bool
    dasar_terverifikasi: bool

    @property
    def terverifikasi(self) -> bool:
        return self.tabel_terverifikasi and self.dasar_terverifikasi


def hitung_ak_awal(
    *,
    golongan_kode: str,
    masa_kerja: int,
    pendidikan: str,
    tabel: dict[tuple[str, int, str], tuple[Decimal, bool]],
    ak_dasar: dict[str, tuple[Decimal, bool]],
) -> AKAwal | None:
    """AK awal from the penyesuaian table (PerBKN 3/2023 Lampiran II angka 5) and AK Dasar.

    ``tabel`` maps (golongan, masa kerja 0–4, pendidikan) → (value, verified); ``ak_dasar`` maps
    golongan → (value, verified). None when the data has no row for the case."""
    row = tabel.get((golongan_kode, masa_kerja, pendidikan))
    dasar = ak_dasar.get(golongan_kode)
    if row is None or dasar is None:
        return None
    return AKAwal(
        nilai_tabel=row[0],
        ak_dasar=dasar[0],
        total=angka_kredit_penyesuaian(row[0], dasar[0]),
        tabel_terverifikasi=row[1],
        dasar_terverifikasi=dasar[1],
    )


# --------------------------------------------------------------------------- eligibility


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    REVIEW = "review"  # a warning the verifier decides


class TafsirUsia(StrEnum):
    """How a JF's maximum age at appointment is read (a JF parameter)."""

    # "maksimal berusia 56 tahun pada saat pengangkatan" (Pusbin AKS letter, domain.md §3):
    # the age in whole years at the TMT is at most the limit, i.e. the TMT is before the next birthday.
    USIA_GENAP = "usia_genap"
    # "belum melewati ulang tahun ke-56": the TMT is on or before the birthday of the limit.
    ULANG_TAHUN = "ulang_tahun"


def hari_terakhir_usia(birth: date, usia_maks: int, tafsir: TafsirUsia | str = TafsirUsia.USIA_GENAP) -> date:
    """The last TMT on which a pegawai born on ``birth`` is still within the age limit."""
    if TafsirUsia(tafsir) == TafsirUsia.ULANG_TAHUN:
        return add_years(birth, usia_maks)
    return date.fromordinal(add_years(birth, usia_maks + 1).toordinal() - 1)


def tmt_paling_lambat(
    birth: date, *, usia_maks: int | None, tafsir: TafsirUsia | str, batas_usia_pensiun: int | None
) -> date | None:
    """The last TMT pengangkatan on which :func:`cek_usia_dan_pensiun` still passes: the last day
    within the JF's age limit (read as the JF configures it; None: no such limit, as for a
    kenaikan jenjang), and the day before the TMT pensiun of the jenjang's BUP, whichever comes
    first. None when neither applies."""
    batas = []
    if usia_maks is not None:
        batas.append(hari_terakhir_usia(birth, usia_maks, tafsir))
    if batas_usia_pensiun is not None:
        batas.append(tanggal_pensiun(birth, batas_usia_pensiun) - timedelta(days=1))
    return min(batas) if batas else None


def cek_usia_dan_pensiun(
    birth: date, tmt: date, *, usia_maks: int | None, tafsir: TafsirUsia | str, batas_usia_pensiun: int | None
) -> list[str]:
    """Why a pegawai cannot be appointed on ``tmt`` (empty: he or she can): the JF's age limit
    read as the JF configures it (``usia_maks`` None: none, as for a holder's kenaikan jenjang),
    and the BUP of the jenjang (PP 11/2017 pasal 239)."""
    problems = []
    terakhir = hari_terakhir_usia(birth, usia_maks, tafsir) if usia_maks is not None else None
    if terakhir is not None and tmt > terakhir:
        problems.append(
            _("Pada TMT %(tmt)s berusia %(age)d tahun, melewati batas usia %(max)d tahun (batas TMT %(last)s).")
            % {
                "tmt": tgl(tmt),
                "age": age_on(birth, tmt),
                "max": usia_maks,
                "last": tgl(terakhir),
            }
        )
    if batas_usia_pensiun is not None and tmt >= tanggal_pensiun(birth, batas_usia_pensiun):
        problems.append(
            _("Pada TMT %(tmt)s telah mencapai batas usia pensiun %(bup)d tahun (pensiun TMT %(p)s).")
            % {
                "tmt": tgl(tmt),
                "bup": batas_usia_pensiun,
                "p": tgl(tanggal_pensiun(birth, batas_usia_pensiun)),
            }
        )
    return problems


class Pendidikan(StrEnum):
    SLTA = "slta"
    D3 = "d3"
    S1 = "s1"  # S1 or D-IV
    S2 = "s2"
    S3 = "s3"


PENDIDIKAN_URUTAN = {
    Pendidikan.SLTA: 0,
    Pendidikan.D3: 1,
    Pendidikan.S1: 2,
    Pendidikan.S2: 3,
    Pendidikan.S3: 4,
}


class TingkatHukuman(StrEnum):
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"


@dataclass(frozen=True)
class PegawaiSnapshot:
    """What the rules need to know about a pegawai, as entered by the PIC."""

    nip: str
    tanggal_lahir: date | None
    jenis_kelamin: str | None  # "L" / "P"
    golongan_urutan: int | None
    golongan_kode: str
    tmt_golongan: date | None
    pendidikan: Pendidikan | None
    pengalaman_bulan: int  # months of experience in the JF's field, attested by the unit head
    predikat: dict[int, Predikat] = field(default_factory=dict)  # year → predikat kinerja
    hukuman_disiplin: Sequence[tuple[date, TingkatHukuman]] = ()


@dataclass(frozen=True)
class JFParams:
    """The rule parameters of one JF, from its reference data."""

    nama: str
    usia_maks: int
    pengalaman_min_tahun: int
    predikat_min: Predikat
    predikat_tahun: int
    disiplin_tahun: int
    jenjang: tuple[JenjangParams, ...]
    sumber_usia: str = ""
    sumber_pengalaman: str = ""
    sumber_kinerja: str = ""
    sumber_disiplin: str = ""
    usia_tafsir: TafsirUsia = TafsirUsia.USIA_GENAP
    # Seed 000: predikat below the minimum or a medium/heavy sanction bars the appointment; a
    # JF may choose to let the verifier decide instead (REVIEW).
    kinerja_disiplin_status: Status = Status.FAILED


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    status: Status
    message: str
    source: str

    @property
    def passed(self) -> bool:
        return self.status == Status.PASSED


@dataclass(frozen=True)
class Eligibility:
    outcomes: tuple[RuleOutcome, ...]
    jenjang: JenjangParams | None

    @property
    def hard_failures(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == Status.FAILED)

    @property
    def warnings(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == Status.REVIEW)

    @property
    def eligible(self) -> bool:
        """No hard failure; warnings remain for the verifier."""
        return not self.hard_failures

    def outcome(self, rule: str) -> RuleOutcome:
        return next(o for o in self.outcomes if o.rule == rule)


SRC_NIP = "BKN: struktur NIP PNS (PP 11/2017; Peraturan BKN tentang NIP)"
SRC_JENJANG = (
    "Seed 004 (prinsip: jenjang berdasarkan pangkat/golongan ruang terakhir); tabel golongan → jenjang menurut "
    "PermenPANRB 1/2023 sebagaimana diajarkan dalam materi BKN [V2]"
)
#: A JF's rule cites that JF's own source, never another JF's (issue 13): where the JF's sources do not
#: state it, the rule says so.
SRC_PENDIDIKAN_BELUM = (
    "Belum terverifikasi: persyaratan pendidikan per jenjang JF ini belum termuat dalam sumbernya; "
    "pendidikan minimal sementara dari data referensi JF — periksa"
)
SRC_DISIPLIN_BELUM = "Belum terverifikasi: ketentuan hukuman disiplin JF ini belum termuat dalam sumbernya — periksa"
SRC_BUP = "PP 11/2017 pasal 239: batas usia pensiun"


def check_eligibility(p: PegawaiSnapshot, jf: JFParams, on: date) -> Eligibility:
    """Every rule's outcome for proposing ``p`` into ``jf`` on date ``on``.

    Hard failures (NIP, PPPK, age, experience, golongan outside the JF's jenjang) block the
    submission; ``review`` outcomes are warnings the verifier decides."""
    out: list[RuleOutcome] = []

    def add(rule: str, status: Status, message: str, source: str) -> None:
        out.append(RuleOutcome(rule, status, message, source))

    # NIP: valid, PNS, and agreeing with the recorded birth date and sex.
    nip: NipInfo | None = None
    try:
        nip = parse_nip(p.nip)
    except NipError as exc:
        add("nip", Status.FAILED, str(exc), SRC_NIP)
    if nip is not None:
        if not nip.is_pns:
            add(
                "nip",
                Status.FAILED,
                str(PESAN_BUKAN_PNS),
                SRC_NIP,
            )
        else:
            mismatches = []
            if p.tanggal_lahir and p.tanggal_lahir != nip.tanggal_lahir:
                mismatches.append(_("tanggal lahir"))
            if p.jenis_kelamin and p.jenis_kelamin != nip.jenis_kelamin:
                mismatches.append(_("jenis kelamin"))
            if mismatches:
                add(
                    "nip",
                    Status.FAILED,
                    _("Data tidak cocok dengan NIP: %(what)s.") % {"what": ", ".join(mismatches)},
                    SRC_NIP,
                )
            else:
                add("nip", Status.PASSED, _("NIP valid dan cocok dengan data pegawai."), SRC_NIP)

    # Age: the birth date from the NIP decides (domain.md §5), else the recorded one.
    birth = nip.tanggal_lahir if nip is not None else p.tanggal_lahir
    if birth is None:
        add("usia", Status.FAILED, _("Tanggal lahir belum diisi."), jf.sumber_usia)
    else:
        limit_day = hari_terakhir_usia(birth, jf.usia_maks, jf.usia_tafsir)
        age = age_on(birth, on)
        if on <= limit_day:
            add(
                "usia",
                Status.PASSED,
                _("Usia %(age)d tahun, tidak melebihi batas %(max)d tahun.") % {"age": age, "max": jf.usia_maks},
                jf.sumber_usia,
            )
        else:
            add(
                "usia",
                Status.FAILED,
                _("Usia melebihi batas %(max)d tahun (batas terakhir %(day)s).")
                % {"max": jf.usia_maks, "day": tgl(limit_day)},
                jf.sumber_usia,
            )

    # Jenjang from golongan.
    jenjang = None
    if p.golongan_urutan is None:
        add("jenjang", Status.FAILED, _("Pangkat/golongan terakhir belum diisi."), SRC_JENJANG)
    else:
        jenjang = jenjang_for_golongan(p.golongan_urutan, jf.jenjang)
        if jenjang is None:
            add(
                "jenjang",
                Status.FAILED,
                _("Golongan %(gol)s tidak termasuk jenjang mana pun pada JF %(jf)s.")
                % {"gol": p.golongan_kode, "jf": jf.nama},
                SRC_JENJANG,
            )
        else:
            add(
                "jenjang",
                Status.PASSED,
                _("Golongan %(gol)s → jenjang %(jenjang)s.") % {"gol": p.golongan_kode, "jenjang": jenjang.nama},
                SRC_JENJANG,
            )

    # Experience: at least N years cumulative in the JF's field.
    # One way of writing it everywhere (apps.core.format.durasi): "7 tahun", not "7 tahun 0 bulan".
    need = jf.pengalaman_min_tahun * 12
    if p.pengalaman_bulan >= need:
        add(
            "pengalaman",
            Status.PASSED,
            _("Pengalaman %(d)s (minimal %(min)d tahun).")
            % {"d": durasi(p.pengalaman_bulan), "min": jf.pengalaman_min_tahun},
            jf.sumber_pengalaman,
        )
    else:
        add(
            "pengalaman",
            Status.FAILED,
            _("Pengalaman %(d)s, kurang dari %(min)d tahun.")
            % {"d": durasi(p.pengalaman_bulan), "min": jf.pengalaman_min_tahun},
            jf.sumber_pengalaman,
        )

    # Education against the jenjang's minimum: a warning (equivalence is for the verifier).
    if jenjang is not None:
        src_pendidikan = (
            f"{jenjang.sumber_pendidikan}: persyaratan pendidikan per jenjang"
            if jenjang.sumber_pendidikan
            else SRC_PENDIDIKAN_BELUM
        )
        if p.pendidikan is None:
            add("pendidikan", Status.REVIEW, _("Pendidikan terakhir belum diisi."), src_pendidikan)
        elif PENDIDIKAN_URUTAN[Pendidikan(p.pendidikan)] >= jenjang.pendidikan_min:
            add("pendidikan", Status.PASSED, _("Pendidikan memenuhi syarat jenjang."), src_pendidikan)
        else:
            add(
                "pendidikan",
                Status.REVIEW,
                _("Pendidikan di bawah syarat minimal jenjang %(j)s; perlu keputusan verifikator.")
                % {"j": jenjang.nama},
                src_pendidikan,
            )

    # Performance: at least the minimum predikat in each of the last N years.
    years_needed = [on.year - i for i in range(1, jf.predikat_tahun + 1)]
    missing = [y for y in years_needed if y not in p.predikat]
    low = [
        y
        for y in years_needed
        if y in p.predikat and PREDIKAT_URUTAN[Predikat(p.predikat[y])] < PREDIKAT_URUTAN[jf.predikat_min]
    ]
    if low:
        add(
            "kinerja",
            jf.kinerja_disiplin_status,
            _("Predikat kinerja di bawah %(min)s pada tahun %(years)s.")
            % {"min": _predikat_label(jf.predikat_min), "years": ", ".join(map(str, sorted(low)))},
            jf.sumber_kinerja,
        )
    elif missing:
        add(
            "kinerja",
            Status.REVIEW,
            _("Predikat kinerja tahun %(years)s belum diisi.") % {"years": ", ".join(map(str, sorted(missing)))},
            jf.sumber_kinerja,
        )
    else:
        add(
            "kinerja",
            Status.PASSED,
            _("Predikat kinerja minimal %(min)s dalam %(n)d tahun terakhir.")
            % {"min": _predikat_label(jf.predikat_min), "n": jf.predikat_tahun},
            jf.sumber_kinerja,
        )

    # Discipline: no medium/heavy sanction in the last N years.
    since = add_years(on, -jf.disiplin_tahun)
    serious = [d for d, tingkat in p.hukuman_disiplin if tingkat != TingkatHukuman.RINGAN and d >= since]
    if serious:
        add(
            "disiplin",
            jf.kinerja_disiplin_status,
            _("Pernah dijatuhi hukuman disiplin sedang/berat dalam %(n)d tahun terakhir.") % {"n": jf.disiplin_tahun},
            jf.sumber_disiplin or SRC_DISIPLIN_BELUM,
        )
    else:
        add(
            "disiplin",
            Status.PASSED,
            _("Tidak ada hukuman disiplin sedang/berat dalam %(n)d tahun terakhir.") % {"n": jf.disiplin_tahun},
            jf.sumber_disiplin or SRC_DISIPLIN_BELUM,
        )

    # Retirement age of the jenjang: past it cannot be appointed; under a year is a warning.
    if jenjang is not None and birth is not None:
        pensiun = tanggal_pensiun(birth, jenjang.batas_usia_pensiun)
        if on >= pensiun:
            add(
                "pensiun",
                Status.FAILED,
                _("Telah mencapai batas usia pensiun %(bup)d tahun.") % {"bup": jenjang.batas_usia_pensiun},
                SRC_BUP,
            )
        elif years_until_pension(birth, jenjang.batas_usia_pensiun, on) < 1:
            add(
                "pensiun",
                Status.REVIEW,
                _("Pensiun kurang dari 1 tahun lagi (TMT %(d)s).") % {"d": tgl(pensiun)},
                SRC_BUP,
            )
        else:
            add(
                "pensiun",
                Status.PASSED,
                _("%(n)d tahun lagi menuju batas usia pensiun.")
                % {"n": years_until_pension(birth, jenjang.batas_usia_pensiun, on)},
                SRC_BUP,
            )

    return Eligibility(outcomes=tuple(out), jenjang=jenjang)


def _predikat_label(predikat: Predikat) -> str:
    return {
        Predikat.SANGAT_BAIK: _("Sangat Baik"),
        Predikat.BAIK: _("Baik"),
        Predikat.BUTUH_PERBAIKAN: _("Butuh Perbaikan"),
        Predikat.KURANG: _("Kurang"),
        Predikat.SANGAT_KURANG: _("Sangat Kurang"),
    }[Predikat(predikat)]
