"""The usulan workflow, declared as data (seeds 000, 003, 004; domain.md §2).

Each row of ``TRANSITIONS`` is everything one move needs: the roles that may make it, its source
and target states, the audit entry it writes, who hears of it and what the notice says.
``apps.pengusulan.alur.pindahkan`` is the only code that changes ``Usulan.status``; it looks the
move up here, and so does the notice task (``apps.pengusulan.tasks``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from apps.core.transisi import transisi_boleh, transisi_cari


class Status(StrEnum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    VERIFIKASI = "verifikasi"
    PERBAIKAN = "perbaikan"
    TIDAK_MEMENUHI_SYARAT = "tidak_memenuhi_syarat"
    LULUS_ADMINISTRASI = "lulus_administrasi"
    PENILAIAN = "penilaian"
    LULUS = "lulus"
    TIDAK_LULUS = "tidak_lulus"
    DIREKOMENDASIKAN = "direkomendasikan"
    SK_TERBIT = "sk_terbit"
    DIBATALKAN = "dibatalkan"


class Jenis(StrEnum):
    """What an usulan asks for. Both run the same workflow (verifikasi → uji kompetensi by the
    Tim Penilai → sidang → rekomendasi → SK); they differ in what is checked at submission, the
    standard scored (the proposed jenjang) and the SK's wording.

    ``penyesuaian``: inpassing into the JF (seeds 000, 003, 004).
    ``kenaikan_jenjang``: a holder whose AK kumulatif meets the next jenjang's threshold (seed 004,
    "Promosi": uji kompetensi, the Tim Penilai Kinerja's consideration, rekomendasi, SK)."""

    PENYESUAIAN = "penyesuaian"
    KENAIKAN_JENJANG = "kenaikan_jenjang"


JENIS_LABELS = {
    Jenis.PENYESUAIAN: _("Penyesuaian (inpassing)"),
    Jenis.KENAIKAN_JENJANG: _("Kenaikan jenjang"),
}


STATUS_LABELS = {
    Status.DRAFT: _("Draf"),
    Status.DIAJUKAN: _("Diajukan"),
    Status.VERIFIKASI: _("Verifikasi administrasi"),
    Status.PERBAIKAN: _("Perlu perbaikan"),
    Status.TIDAK_MEMENUHI_SYARAT: _("Tidak memenuhi syarat"),
    Status.LULUS_ADMINISTRASI: _("Lulus administrasi"),
    Status.PENILAIAN: _("Penilaian kompetensi"),
    Status.LULUS: _("Lulus uji kompetensi"),
    Status.TIDAK_LULUS: _("Tidak lulus uji kompetensi"),
    Status.DIREKOMENDASIKAN: _("Direkomendasikan"),
    Status.SK_TERBIT: _("SK terbit"),
    Status.DIBATALKAN: _("Dibatalkan"),
}

#: States in which an usulan holds a formasi position. Leaving them frees it.
MEMAKAI_FORMASI = frozenset(
    {
        Status.DIAJUKAN,
        Status.VERIFIKASI,
        Status.PERBAIKAN,
        Status.LULUS_ADMINISTRASI,
        Status.PENILAIAN,
        Status.LULUS,
        Status.DIREKOMENDASIKAN,
        Status.SK_TERBIT,
    }
)
#: States that end an usulan; a pegawai may be proposed again to the same JF after these.
SELESAI = frozenset({Status.TIDAK_MEMENUHI_SYARAT, Status.TIDAK_LULUS, Status.DIBATALKAN, Status.SK_TERBIT})
#: The PIC may edit the dossier (data and documents) only here.
DAPAT_DIUBAH_PIC = frozenset({Status.DRAFT, Status.PERBAIKAN})


@dataclass(frozen=True)
class Jejak:
    """The audit entry a move writes: its action and message. The message's placeholders are
    filled from the caller's ``konteks`` plus ``tenggat`` (the usulan's perbaikan deadline)."""

    aksi: str
    pesan: str


@dataclass(frozen=True)
class Penerima:
    """Who hears of a move (domain.md §1): the staff with ``roles`` on one ``pihak`` — "pembina"
    (the JF's instansi pembina) or "instansi" (the proposing instansi). ``tautan`` is the URL name
    the notice links to; empty means the usulan's own page for that side."""

    pihak: str
    roles: frozenset[str]
    tautan: str = ""


@dataclass(frozen=True)
class Transition:
    """One move: who may make it from where to where, the audit entry it writes, who hears of it
    and what the notice says. Notice placeholders: nama, instansi, jf, tenggat, nomor, status."""

    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[str]
    label: str
    jejak: Jejak
    penerima: tuple[Penerima, ...]
    judul: str
    isi: str = _("Status usulan menjadi: %(status)s.")
    #: The audit entry when the move repeats one after a perbaikan (a resubmission).
    jejak_ulang: Jejak | None = None
    #: The notice of a resubmission after a perbaikan (not a new usulan).
    judul_ulang: str | None = None
    isi_ulang: str | None = None
    #: The audit entry when the system (no actor) makes the move.
    jejak_sistem: Jejak | None = None
    #: No notice when the move leaves one of these states (nobody else has seen the usulan).
    senyap_dari: frozenset[Status] = frozenset()
    #: Side effects in the move's transaction, by name: functions other apps register with
    #: ``alur.daftarkan_efek`` (the workflow does not import them). A name nobody registered is
    #: an error, never a silent no-op.
    efek: tuple[str, ...] = ()

    def jejak_untuk(self, *, dari: Status | str, oleh_sistem: bool) -> Jejak:
        if oleh_sistem and self.jejak_sistem:
            return self.jejak_sistem
        if Status(dari) == Status.PERBAIKAN and self.jejak_ulang:
            return self.jejak_ulang
        return self.jejak


PEMBINA_VERIFIKASI = Penerima("pembina", frozenset({"verifikator", "admin_pembina"}))
PEMBINA_ADMIN = Penerima("pembina", frozenset({"admin_pembina"}))
INSTANSI_PIC = Penerima("instansi", frozenset({"pic_instansi"}))
INSTANSI_PIC_PPK = Penerima("instansi", frozenset({"pic_instansi", "ppk"}))


def _t(action, sources, target, roles, label, jejak, penerima, judul, **extra) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), label, Jejak(*jejak), tuple(penerima), judul, **extra
    )


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("ajukan", {Status.DRAFT, Status.PERBAIKAN}, Status.DIAJUKAN, {"pic_instansi"}, _("Ajukan"),
           ("usulan.diajukan", _("Usulan diajukan.")), [PEMBINA_VERIFIKASI],
           _("Usulan baru dari %(instansi)s: %(nama)s"),
           isi=_("%(instansi)s mengajukan usulan penyesuaian ke JF %(jf)s. Silakan lakukan seleksi administrasi."),
           jejak_ulang=Jejak("usulan.diajukan_ulang", _("Usulan diajukan ulang setelah perbaikan.")),
           judul_ulang=_("Usulan diperbaiki dari %(instansi)s: %(nama)s"),
           isi_ulang=_("%(instansi)s mengajukan ulang usulan ke JF %(jf)s setelah perbaikan. Periksa dokumen yang "
                       "berubah sejak pemeriksaan terakhir.")),
        _t("batalkan", {Status.DRAFT, Status.DIAJUKAN}, Status.DIBATALKAN, {"pic_instansi"}, _("Batalkan"),
           ("usulan.dibatalkan", _("Usulan dibatalkan.")), [PEMBINA_VERIFIKASI],
           _("Usulan dibatalkan oleh %(instansi)s: %(nama)s"), senyap_dari=frozenset({Status.DRAFT})),
        _t("mulai_verifikasi", {Status.DIAJUKAN}, Status.VERIFIKASI, {"verifikator", "admin_pembina"},
           _("Mulai verifikasi"),
           ("usulan.verifikasi_dimulai", _("Seleksi administrasi dimulai (putaran %(putaran)d).")), [INSTANSI_PIC],
           _("Usulan %(nama)s sedang diverifikasi")),
        _t("kembalikan", {Status.VERIFIKASI}, Status.PERBAIKAN, {"verifikator", "admin_pembina"},
           _("Kembalikan untuk perbaikan"), ("usulan.dikembalikan", _("Dikembalikan untuk perbaikan.")),
           [INSTANSI_PIC], _("Perlu perbaikan: %(nama)s (tenggat %(tenggat)s)"),
           isi=_("Verifikator meminta perbaikan paling lambat %(tenggat)s. Buka usulan untuk melihat catatan per "
                 "dokumen, unggah versi baru, lalu ajukan ulang.")),
        # "sistem": the JF's rule for an overdue perbaikan (apps.verifikasi.tasks).
        _t("tolak", {Status.VERIFIKASI, Status.PERBAIKAN}, Status.TIDAK_MEMENUHI_SYARAT,
           {"verifikator", "admin_pembina", "sistem"}, _("Tidak memenuhi syarat"),
           ("usulan.tidak_memenuhi_syarat", _("Tidak memenuhi syarat.")), [INSTANSI_PIC_PPK],
           _("Tidak memenuhi syarat: %(nama)s"),
           jejak_sistem=Jejak("usulan.tidak_memenuhi_syarat",
                              _("Tenggat perbaikan %(tenggat)s terlewat; tidak memenuhi syarat (aturan JF)."))),
        _t("loloskan_administrasi", {Status.VERIFIKASI}, Status.LULUS_ADMINISTRASI,
           {"verifikator", "admin_pembina"}, _("Memenuhi syarat"),
           ("usulan.lulus_administrasi", _("Memenuhi syarat administrasi.")), [INSTANSI_PIC, PEMBINA_ADMIN],
           _("Lulus seleksi administrasi: %(nama)s")),
        _t("mulai_penilaian", {Status.LULUS_ADMINISTRASI}, Status.PENILAIAN, {"admin_pembina", "ketua_tim"},
           _("Mulai penilaian kompetensi"), ("usulan.penilaian_dimulai", _("Diserahkan ke %(tim)s.")),
           [INSTANSI_PIC], _("Penilaian kompetensi dimulai: %(nama)s")),
        _t("nyatakan_lulus", {Status.PENILAIAN}, Status.LULUS, {"ketua_tim"}, _("Lulus (sidang)"),
           ("usulan.lulus", _("Lulus uji kompetensi (sidang %(sidang)s).")), [INSTANSI_PIC_PPK, PEMBINA_ADMIN],
           _("Lulus uji kompetensi: %(nama)s")),
        _t("nyatakan_tidak_lulus", {Status.PENILAIAN}, Status.TIDAK_LULUS, {"ketua_tim"}, _("Tidak lulus (sidang)"),
           ("usulan.tidak_lulus", _("Tidak lulus uji kompetensi (sidang %(sidang)s).")), [INSTANSI_PIC_PPK],
           _("Tidak lulus uji kompetensi: %(nama)s")),
        _t("rekomendasikan", {Status.LULUS}, Status.DIREKOMENDASIKAN, {"admin_pembina"}, _("Rekomendasikan"),
           ("usulan.direkomendasikan", _("Direkomendasikan dengan surat %(surat)s.")),
           [INSTANSI_PIC, Penerima("instansi", frozenset({"ppk"}), tautan="surat:ppk")],
           _("Rekomendasi terbit: %(nama)s"),
           isi=_("Instansi pembina merekomendasikan pengangkatan. PPK dapat menerbitkan SK di menu "
                 "SK pengangkatan.")),
        _t("terbitkan_sk", {Status.DIREKOMENDASIKAN}, Status.SK_TERBIT, {"ppk"}, _("Terbitkan SK"),
           ("usulan.sk_terbit", _("SK %(surat)s terbit.")), [INSTANSI_PIC, PEMBINA_ADMIN],
           _("SK terbit: %(nama)s"), isi=_("PPK %(instansi)s telah mengunggah SK bertanda tangan."),
           # The holder's record and AK ledger open with the SK's AK awal (apps.jabatan).
           efek=("jabatan.buka_catatan",)),
    )
}  # fmt: skip


#: Each move as the end of the refusal "Usulan berstatus <status> tidak dapat …." (a test keeps one
#: per action).
FRASA_TOLAK = {
    "ajukan": _("diajukan"),
    "batalkan": _("dibatalkan"),
    "mulai_verifikasi": _("mulai diverifikasi"),
    "kembalikan": _("dikembalikan untuk perbaikan"),
    "tolak": _("dinyatakan tidak memenuhi syarat"),
    "loloskan_administrasi": _("dinyatakan memenuhi syarat administrasi"),
    "mulai_penilaian": _("mulai dinilai"),
    "nyatakan_lulus": _("diputuskan lulus"),
    "nyatakan_tidak_lulus": _("diputuskan tidak lulus"),
    "rekomendasikan": _("direkomendasikan"),
    "terbitkan_sk": _("diterbitkan SK-nya"),
}


def transition_for(action: str, status: Status | str, roles) -> Transition:
    """The transition ``action`` from ``status`` for a user with ``roles``, or
    ``apps.core.transisi.TransitionError``."""
    return transisi_cari(TRANSITIONS, action, Status(status), roles, STATUS_LABELS, FRASA_TOLAK)


def allowed_actions(status: Status | str, roles) -> list[Transition]:
    return transisi_boleh(TRANSITIONS, Status(status), roles)
