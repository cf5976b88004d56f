"""Notices about usulan transitions (in the portal and by e-mail), sent by the worker and
requested through the outbox by ``alur.pindahkan``. Who hears of a move and what the notice
says are columns of its row in ``domain.TRANSITIONS``."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import tenancy
from apps.core.format import tgl
from apps.core.outbox import idempotent
from apps.pengusulan.domain import STATUS_LABELS, TRANSITIONS, Status

#: The usulan's page for each side, when the row's Penerima names no other.
TAUTAN = {"pembina": "verifikasi:periksa", "instansi": "pengusulan:usulan_detail"}


def recipients(usulan, aksi: str, *, kecuali=None) -> list[tuple[object, str]]:
    """(user, url) for everyone who hears of ``aksi`` on ``usulan``; the actor is left out."""
    from apps.accounts.models import Membership

    out, seen = [], set()
    for penerima in TRANSITIONS[aksi].penerima if aksi in TRANSITIONS else ():
        pembina = penerima.pihak == "pembina"
        instansi_id = usulan.jf.instansi_pembina_id if pembina else usulan.instansi_id
        memberships = (
            Membership.objects.filter(
                instansi_id=instansi_id, role__in=penerima.roles, is_active=True, user__is_active=True
            )
            .select_related("user")
            .order_by("user_id", "role")
        )
        for m in memberships:
            if m.user_id in seen or m.user_id == kecuali:
                continue
            seen.add(m.user_id)
            url = reverse(penerima.tautan) if penerima.tautan else reverse(TAUTAN[penerima.pihak], args=[usulan.pk])
            out.append((m.user, url))
    return out


def _tanpa_perubahan(usulan) -> bool:
    """The last resubmission was recorded "tanpa perubahan" (``services.usulan_ajukan``)."""
    from apps.core.models import AuditLog

    terakhir = (
        AuditLog.objects.filter(
            action="usulan.diajukan_ulang", object_type="pengusulan.usulan", object_id=str(usulan.pk)
        )
        .order_by("-created_at", "-id")
        .values_list("data", flat=True)
        .first()
    )
    return bool((terakhir or {}).get("tanpa_perubahan"))


def _catatan_perbaikan(usulan) -> str:
    """The verifier's notes, in the perbaikan notice and its e-mail: what to fix, per document."""
    from apps.verifikasi.selectors import catatan_perbaikan

    catatan = catatan_perbaikan(usulan)
    lines = []
    if catatan["catatan"]:
        lines.append(str(_("Catatan verifikator: %(c)s")) % {"c": catatan["catatan"]})
    for nama, note in catatan["dokumen"]:
        lines.append(f"- {nama}: {note}" if note else f"- {nama}")
    return ("\n\n" + "\n".join(lines)) if lines else ""


@shared_task(bind=True, name="pengusulan.kabari_transisi", acks_late=True)
@idempotent
def kabari_transisi(self, usulan_id: int, aksi: str, dari: str = "", oleh: int | None = None) -> int:
    from apps.notifikasi.services import notifikasi_buat
    from apps.pengusulan.models import Usulan

    transition = TRANSITIONS.get(aksi)
    if transition is None or dari in transition.senyap_dari:
        return 0
    with tenancy.all_tenants(reason="notification task addresses pembina staff of the usulan's JF"):
        usulan = Usulan.objects.select_related("jf", "instansi", "jenjang").filter(pk=usulan_id).first()
        if usulan is None:
            return 0
        to = recipients(usulan, aksi, kecuali=oleh)
        if not to:
            return 0
        values = {
            "nama": usulan.pegawai_nama, "instansi": usulan.instansi.nama, "jf": usulan.jf.nama,
            "tenggat": tgl(usulan.tenggat_perbaikan), "nomor": usulan.nomor,
            # The status this move led to (the notice may be sent after later moves).
            "status": STATUS_LABELS[transition.target],
        }  # fmt: skip
        ulang = dari == Status.PERBAIKAN and transition.judul_ulang is not None
        judul = str(transition.judul_ulang if ulang else transition.judul) % values
        isi = str(transition.isi_ulang if ulang and transition.isi_ulang else transition.isi) % values
        if aksi == "terbitkan_sk":  # signed in the portal: say so (the default text is for an upload)
            from apps.ttd.services import isi_sk_terbit

            isi = isi_sk_terbit(usulan) or isi
        if ulang and _tanpa_perubahan(usulan):  # nothing to look for: say so, not "what changed"
            isi = (
                _(
                    "%(instansi)s mengajukan ulang usulan ke JF %(jf)s tanpa perubahan: tidak ada dokumen atau data "
                    "pegawai yang diubah sejak dikembalikan untuk perbaikan."
                )
                % values
            )
        if transition.target == Status.PERBAIKAN:
            isi += _catatan_perbaikan(usulan)
        isi += f"\n\nNomor usulan: {usulan.nomor}\nJabatan fungsional: {usulan.jf.nama}"
        if usulan.jenjang:
            isi += f" — {usulan.jenjang.nama}"
        urls = {u.pk: url for u, url in to}
        notifikasi_buat([u for u, _url in to], jenis=f"usulan.{aksi}", judul=judul, isi=isi,
             url_for=lambda u: urls[u.pk], usulan_id=usulan.pk)  # fmt: skip
    return len(to)


@shared_task(name="pengusulan.retensi_data")
def retensi_data() -> dict:
    """The retention schedule (UU 27/2022 PDP), daily: see apps/pengusulan/retensi.py."""
    from apps.pengusulan import retensi

    return retensi.jalankan()


@shared_task(bind=True, name="pengusulan.kabari_pak_unggah_ulang", acks_late=True)
@idempotent
def kabari_pak_unggah_ulang(self, usulan_id: int, ak_awal: str | None = None) -> int:
    """Tell the instansi's PIC that the AK awal of an usulan submitted with a PAK signed by the
    atasan langsung was recomputed: the attached PAK must be signed again and uploaded."""
    from apps.accounts.models import Membership
    from apps.core.format import format_ak
    from apps.notifikasi.services import notifikasi_buat
    from apps.pengusulan.models import Usulan

    with tenancy.all_tenants(reason="notify the PIC of the usulan's instansi: its PAK must be uploaded again"):
        usulan = Usulan.objects.select_related("jf").filter(pk=usulan_id).first()
        if usulan is None or usulan.pak_unggah_ulang_sejak is None:
            return 0
        users = [
            m.user
            for m in Membership.objects.filter(
                instansi_id=usulan.instansi_id, role="pic_instansi", is_active=True, user__is_active=True
            )
            .select_related("user")
            .order_by("user_id")
        ]
        if not users:
            return 0
        values = {"nama": usulan.pegawai_nama, "ak": format_ak(usulan.ak_awal), "nomor": usulan.nomor}
        notifikasi_buat(
            users,
            jenis="usulan.pak_unggah_ulang",
            judul=_("PAK %(nama)s perlu diunggah ulang") % values,
            isi=_(
                "Angka kredit usulan %(nomor)s a.n. %(nama)s dihitung ulang menjadi %(ak)s setelah baris tabel "
                "angka kredit diubah. PAK yang ditandatangani atasan langsung yang telah diunggah menyebut angka "
                "kredit lama: unggah PAK baru dengan angka kredit %(ak)s. Rekomendasi dan SK tidak dapat diterbitkan "
                "sebelum PAK baru diunggah."
            )
            % values,
            url_for=reverse("pengusulan:usulan_detail", args=[usulan.pk]),
            usulan_id=usulan.pk,
        )
    return len(users)
