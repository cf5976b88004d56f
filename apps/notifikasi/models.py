"""In-portal notifications (with e-mail, immediately or as a daily digest) and the reminder log.

A notification belongs to one user and is only ever read by that user, so it carries no
instansi: the tenant boundary was applied when the recipients were chosen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notifikasi(models.Model):
    class Email(models.TextChoices):
        TUNGGU = "tunggu", _("Menunggu ringkasan harian")
        TERKIRIM = "terkirim", _("Terkirim")
        TIDAK = "tidak", _("Tidak dikirim")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifikasi")
    jenis = models.CharField(max_length=40)
    judul = models.CharField(_("judul"), max_length=200)
    isi = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    usulan_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dibaca_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.TIDAK)
    email_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notifikasi_user_idx"),
            models.Index(
                fields=["user"], name="notifikasi_belum_dibaca_idx", condition=models.Q(dibaca_at__isnull=True)
            ),
            models.Index(fields=["user"], name="notifikasi_ringkasan_idx", condition=models.Q(email="tunggu")),
        ]

    def __str__(self) -> str:
        return self.judul


class Pengingat(models.Model):
    """One reminder sent (its key): the daily job never sends the same reminder twice."""

    kunci = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.kunci
