"""Creating notifications and delivering their e-mails (immediately or in the daily digest).

Called by worker tasks (transition notices, reminders, finished exports), never by requests."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.notifikasi.models import Notifikasi

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _sistem(n: Notifikasi) -> str:
    """The name an e-mail goes by: the information system of the usulan's JF as the JF configures it
    (``JabatanFungsional.sistem_informasi``, as its letters name it), else the portal's."""
    if n.usulan_id:
        from apps.core import tenancy
        from apps.pengusulan.models import Usulan

        with tenancy.all_tenants(reason="the JF's system name for a notification e-mail"):
            nama = Usulan.objects.filter(pk=n.usulan_id).values_list("jf__sistem_informasi", flat=True).first()
        if nama and nama.strip():
            return nama.strip()
    return "SIAKS"


def _kirim_satu(n: Notifikasi) -> bool:
    context = {"n": n, "url": _absolute(n.url), "user": n.user}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("notifikasi/email/notifikasi.txt", context)
        html = render_to_string("notifikasi/email/notifikasi.html", context)
    subject = f"[{_sistem(n)}] {n.judul}"
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [n.user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # the mail server is down: the digest picks it up later
        logger.exception("notification e-mail %s failed; left for the digest", n.pk)
        return False
    return True


def notifikasi_buat(
    users: Iterable, *, jenis: str, judul: str, isi: str = "", url_for: Callable | str = "", usulan_id=None
) -> list[Notifikasi]:
    """One notification per user (in the portal), e-mailed now or queued for the user's digest."""
    from apps.core.format import kalimat

    judul, isi = kalimat(str(judul)), kalimat(str(isi))  # "… M.Si.." → "… M.Si."
    rows = []
    for user in users:
        url = url_for(user) if callable(url_for) else url_for
        pref = user.pengiriman_email if user.email else "mati"
        email = {"harian": Notifikasi.Email.TUNGGU, "mati": Notifikasi.Email.TIDAK}.get(pref, "segera")
        rows.append(Notifikasi(user=user, jenis=jenis, judul=judul[:200], isi=isi, url=url[:300],
                               usulan_id=usulan_id, email=email))  # fmt: skip
    Notifikasi.objects.bulk_create(rows)
    for n in rows:
        if n.email == "segera":
            sent = _kirim_satu(n)
            n.email = Notifikasi.Email.TERKIRIM if sent else Notifikasi.Email.TUNGGU
            n.email_at = timezone.now() if sent else None
            Notifikasi.objects.filter(pk=n.pk).update(email=n.email, email_at=n.email_at)
    return rows


def ringkasan_kirim() -> int:
    """E-mail each user's waiting notifications as one digest. Returns the number of e-mails."""
    sent = 0
    user_ids = Notifikasi.objects.filter(email=Notifikasi.Email.TUNGGU).values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        with transaction.atomic():
            items = list(
                Notifikasi.objects.select_for_update(skip_locked=True)
                .filter(user_id=user_id, email=Notifikasi.Email.TUNGGU)
                .select_related("user")
                .order_by("created_at")
            )
            if not items or not items[0].user.email:
                continue
            user = items[0].user
            context = {"items": items, "user": user, "url": _absolute("/notifikasi/"),
                       "urls": {n.pk: _absolute(n.url) for n in items}}  # fmt: skip
            with translation.override(settings.LANGUAGE_CODE):
                subject = f"[SIAKS] Ringkasan harian: {len(items)} pemberitahuan"
                text = render_to_string("notifikasi/email/ringkasan.txt", context)
                html = render_to_string("notifikasi/email/ringkasan.html", context)
            message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
            message.attach_alternative(html, "text/html")
            message.send()
            Notifikasi.objects.filter(pk__in=[n.pk for n in items]).update(
                email=Notifikasi.Email.TERKIRIM, email_at=timezone.now()
            )
            sent += 1
    return sent


def notifikasi_tandai_dibaca(user, ids=None) -> int:
    qs = Notifikasi.objects.filter(user=user, dibaca_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(dibaca_at=timezone.now())
