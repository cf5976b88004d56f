from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.core.outbox import idempotent


def _kirim_ke_pengguna(user_id: int, isi) -> int:
    """Mail one user, in the site's language; nothing if the user is gone or has no address.
    ``isi(user)`` gives the subject, the text and the HTML (or None). Returns the mails sent."""
    from apps.accounts.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = isi(user)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task(bind=True, name="accounts.kirim_email_akun_baru", acks_late=True)
@idempotent
def kirim_email_akun_baru(self, user_id: int) -> int:
    """Tell a new user their username and how to set a password. Returns the number of mails sent."""

    def isi(user):
        context = {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            # A direct link to set the first password (Django's signed token, valid for
            # PASSWORD_RESET_TIMEOUT; void once a password is set).
            "atur_url": settings.SITE_URL.rstrip("/")
            + reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            ),
        }
        return (
            render_to_string("accounts/email/akun_baru_subject.txt", context).strip(),
            render_to_string("accounts/email/akun_baru.txt", context),
            render_to_string("accounts/email/akun_baru.html", context),
        )

    return _kirim_ke_pengguna(user_id, isi)


@shared_task(bind=True, name="accounts.kirim_peringatan_otp", acks_late=True)
@idempotent
def kirim_peringatan_otp(self, user_id: int, jumlah: int, ip_address: str = "") -> int:
    """Tell a user that someone holding the password is guessing second-factor codes."""

    def isi(user):
        context = {
            "user": user,
            "jumlah": jumlah,
            "ip_address": ip_address,
            "url": settings.SITE_URL + reverse("accounts:password_change"),
        }
        subject = translation.gettext("Peringatan keamanan: kode verifikasi dua langkah salah berulang kali")
        return subject, render_to_string("accounts/email/peringatan_otp.txt", context), None

    return _kirim_ke_pengguna(user_id, isi)


@shared_task(bind=True, name="accounts.kabari_permintaan_akun", acks_late=True)
@idempotent
def kabari_permintaan_akun(self, permintaan_id: int, peristiwa: str = "baru") -> int:
    """A new request: the superadmins hear of it; a decision: the PIC who asked. Returns the
    number of notifications."""
    from apps.accounts.models import PermintaanAkun, User
    from apps.core import tenancy
    from apps.notifikasi.services import notifikasi_buat

    with tenancy.all_tenants(reason="the request's notice goes to the superadmins or its PIC"):
        p = PermintaanAkun.objects.select_related("instansi", "diminta_oleh").filter(pk=permintaan_id).first()
    if p is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        _ = translation.gettext
        if peristiwa == "baru":
            users = list(User.objects.filter(is_superuser=True, is_active=True))
            judul = _("Permintaan akun PPK dari %(i)s") % {"i": p.instansi.nama}
            isi = _("%(n)s (%(j)s) diminta oleh %(pic)s. Setujui atau tolak di antrean permintaan akun.") % {
                "n": p.nama_lengkap, "j": p.jabatan, "pic": p.diminta_oleh}  # fmt: skip
            url = reverse("platform:permintaan", args=[p.pk])
        elif peristiwa == "disetujui":
            users = [p.diminta_oleh]
            judul = _("Permintaan akun PPK disetujui")
            isi = _("Akun PPK %(n)s telah dibuat; tautan untuk menetapkan kata sandi dikirim ke %(e)s.") % {
                "n": p.nama_lengkap, "e": p.email}  # fmt: skip
            url = reverse("accounts:permintaan_ppk")
        else:
            users = [p.diminta_oleh]
            judul = _("Permintaan akun PPK ditolak")
            isi = _("Permintaan akun PPK %(n)s ditolak. Alasan: %(a)s") % {"n": p.nama_lengkap, "a": p.alasan}
            url = reverse("accounts:permintaan_ppk")
    return len(notifikasi_buat(users, jenis="akun.permintaan", judul=judul, isi=isi, url_for=url))
