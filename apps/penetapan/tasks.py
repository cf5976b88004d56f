"""Notices of the usulan penetapan AK moves, requested through the outbox by ``alur.pindahkan``.
Who hears of a move is the row's ``penerima`` in ``domain.TRANSITIONS``."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import tenancy
from apps.core.outbox import idempotent
from apps.penetapan.domain import STATUS_LABELS, TRANSITIONS


def _oleh_pejabat(usulan, user_id) -> bool:
    """The move was made by the holder of the usulan themselves (their own login)."""
    from apps.jabatan.models import PejabatFungsional

    return user_id is not None and PejabatFungsional.objects.filter(pk=usulan.pejabat_id, user_id=user_id).exists()


def penerima(usulan, aksi: str, *, kecuali=None) -> list:
    """Who hears of ``aksi`` on ``usulan``, without ``kecuali`` (who made the move)."""
    from apps.accounts.models import Membership, User
    from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK

    ids: list[int] = []
    for pihak in TRANSITIONS[aksi].penerima:
        if pihak == "pengaju" or (pihak == "pic_bila_diajukan_pejabat" and _oleh_pejabat(usulan, kecuali)):
            ids += Membership.objects.filter(
                instansi_id=usulan.instansi_id, role="pic_instansi", is_active=True
            ).values_list("user_id", flat=True)
        if pihak == "pengaju":
            # ...and the holder, who follows their own usulan (role pejabat_fungsional).
            ids += Membership.objects.filter(
                user__jabatan_fungsional__pk=usulan.pejabat_id, role="pejabat_fungsional", is_active=True
            ).values_list("user_id", flat=True)
        elif pihak == "sekretariat" and usulan.tim_id:
            hari = timezone.localdate()
            ids += SekretariatTimAK.objects.filter(
                tim_id=usulan.tim_id, masa_mulai__lte=hari, masa_selesai__gte=hari
            ).values_list("user_id", flat=True)
        elif pihak == "tim" and usulan.tim_id:
            ids += (
                AnggotaTimAK.objects.filter(tim_id=usulan.tim_id)
                .exclude(peran="pengganti")
                .values_list("user_id", flat=True)
            )
    unik = sorted({i for i in ids if i != kecuali})
    return list(User.objects.filter(pk__in=unik, is_active=True).order_by("pk"))


@shared_task(bind=True, name="penetapan.kabari", acks_late=True)
@idempotent
def kabari(self, usulan_id: int, aksi: str, dari: str = "", oleh: int | None = None) -> int:
    from apps.notifikasi.services import notifikasi_buat
    from apps.penetapan.models import UsulanPenetapanAK

    transition = TRANSITIONS.get(aksi)
    if transition is None or not transition.penerima:
        return 0
    with tenancy.all_tenants(reason="notices go to the holder's PIC and to the assessing team of another instansi"):
        usulan = UsulanPenetapanAK.objects.select_related("jf").filter(pk=usulan_id).first()
        if usulan is None:
            return 0
        to = penerima(usulan, aksi, kecuali=oleh)
        if not to:
            return 0
        values = {"nama": usulan.pejabat_nama, "jf": usulan.jf.nama, "status": STATUS_LABELS[transition.target]}
        isi = f"{STATUS_LABELS[transition.target]}."
        if aksi == "tetapkan_pak":
            # Decided by the team, not yet set: the PYB sets the PAK by signing it.
            isi = str(_("PAK %(n)s diterbitkan dan menunggu tanda tangan PYB; PAK berlaku setelah ditandatangani.")) % {
                "n": usulan.surat_nomor or "-"
            }
        if aksi == "ajukan" and _oleh_pejabat(usulan, oleh):
            isi += " " + str(_("Diajukan sendiri oleh pejabat fungsional yang bersangkutan."))
        if usulan.catatan_sekretariat and aksi == "kembalikan":
            isi += f"\n\n{usulan.catatan_sekretariat}"
        notifikasi_buat(
            to,
            jenis=f"penetapan.{aksi}",
            judul=str(transition.judul) % values,
            isi=isi,
            url_for=reverse("penetapan:detail", args=[usulan.pk]),
        )
    return len(to)
