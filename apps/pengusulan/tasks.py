"""E-mails about usulan transitions (sent by the worker, requested through the outbox)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.core import tenancy
from apps.core.outbox import idempotent

# Who hears of which move (domain.md §1): the pembina's team learns of submissions and
# withdrawals of its JF; the instansi's PIC (and PPK for results) learns of the pembina's decisions.
PENERIMA = {
    "ajukan": ("pembina", ["verifikator", "admin_pembina"]),
    "batalkan": ("pembina", ["verifikator", "admin_pembina"]),
    "kembalikan": ("instansi", ["pic_instansi"]),
    "tolak": ("instansi", ["pic_instansi", "ppk"]),
    "loloskan_administrasi": ("instansi", ["pic_instansi"]),
    "nyatakan_lulus": ("instansi", ["pic_instansi", "ppk"]),
    "nyatakan_tidak_lulus": ("instansi", ["pic_instansi", "ppk"]),
}


def recipients(usulan, aksi: str) -> list[str]:
    from apps.accounts.models import Membership

    side, roles = PENERIMA.get(aksi, ("", []))
    if not side:
        return []
    instansi_id = usulan.jf.instansi_pembina_id if side == "pembina" else usulan.instansi_id
    emails = (
        Membership.objects.filter(instansi_id=instansi_id, role__in=roles, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted(set(emails))


@shared_task(bind=True, name="pengusulan.kabari_transisi", acks_late=True)
@idempotent
def kabari_transisi(self, usulan_id: int, aksi: str, dari: str = "") -> int:
    from apps.pengusulan.models import Usulan

    if aksi == "batalkan" and dari == "draft":
        return 0  # a draft nobody at the pembina has seen
    with tenancy.all_tenants(reason="notification task addresses pembina staff of the usulan's JF"):
        usulan = Usulan.objects.select_related("jf", "pegawai", "instansi").filter(pk=usulan_id).first()
        if usulan is None:
            return 0
        to = recipients(usulan, aksi)
        if not to:
            return 0
        with translation.override(settings.LANGUAGE_CODE):
            context = {"usulan": usulan, "aksi": aksi, "url": settings.SITE_URL + reverse("core:beranda")}
            subject = render_to_string("pengusulan/email/transisi_subject.txt", context).strip()
            text = render_to_string("pengusulan/email/transisi.txt", context)
            html = render_to_string("pengusulan/email/transisi.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message.send()
