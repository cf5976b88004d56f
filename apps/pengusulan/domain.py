"""The usulan workflow, declared as data (seeds 000, 003, 004; domain.md §2).

The transition services in ``services.py`` (and, for the pembina steps, ``apps.verifikasi``)
are the only code that changes ``Usulan.status``; each looks its move up here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


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
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[str]
    label: str


def _t(action, sources, target, roles, label) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("ajukan", {Status.DRAFT, Status.PERBAIKAN}, Status.DIAJUKAN, {"pic_instansi"}, _("Ajukan")),
        _t("batalkan", {Status.DRAFT, Status.DIAJUKAN}, Status.DIBATALKAN, {"pic_instansi"}, _("Batalkan")),
        _t("mulai_verifikasi", {Status.DIAJUKAN}, Status.VERIFIKASI, {"verifikator", "admin_pembina"},
           _("Mulai verifikasi")),
        _t("kembalikan", {Status.VERIFIKASI}, Status.PERBAIKAN, {"verifikator", "admin_pembina"},
           _("Kembalikan untuk perbaikan")),
        # "sistem": the JF's rule for an overdue perbaikan (apps.verifikasi.tasks).
        _t("tolak", {Status.VERIFIKASI, Status.PERBAIKAN}, Status.TIDAK_MEMENUHI_SYARAT,
           {"verifikator", "admin_pembina", "sistem"}, _("Tidak memenuhi syarat")),
        _t("loloskan_administrasi", {Status.VERIFIKASI}, Status.LULUS_ADMINISTRASI,
           {"verifikator", "admin_pembina"}, _("Memenuhi syarat")),
        _t("mulai_penilaian", {Status.LULUS_ADMINISTRASI}, Status.PENILAIAN, {"admin_pembina", "ketua_tim"},
           _("Mulai penilaian kompetensi")),
        _t("nyatakan_lulus", {Status.PENILAIAN}, Status.LULUS, {"ketua_tim"}, _("Lulus (sidang)")),
        _t("nyatakan_tidak_lulus", {Status.PENILAIAN}, Status.TIDAK_LULUS, {"ketua_tim"}, _("Tidak lulus (sidang)")),
        _t("rekomendasikan", {Status.LULUS}, Status.DIREKOMENDASIKAN, {"admin_pembina"}, _("Rekomendasikan")),
        _t("terbitkan_sk", {Status.DIREKOMENDASIKAN}, Status.SK_TERBIT, {"ppk"}, _("Terbitkan SK")),
    )
}  # fmt: skip


class TransitionError(Exception):
    """A move the workflow does not allow; the message is for the user."""


def transition_for(action: str, status: Status | str, roles) -> Transition:
    """The transition ``action`` from ``status`` for a user with ``roles``, or TransitionError."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(_("Aksi tidak dikenal."))
    if not set(roles) & t.roles:
        raise TransitionError(_("Peran Anda tidak dapat melakukan aksi ini."))
    if Status(status) not in t.sources:
        raise TransitionError(
            _("Usulan berstatus %(status)s tidak dapat di-%(action)s.")
            % {"status": STATUS_LABELS[Status(status)], "action": str(t.label).lower()}
        )
    return t


def allowed_actions(status: Status | str, roles) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if Status(status) in t.sources and set(roles) & t.roles]
