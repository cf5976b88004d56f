from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel


class Pegawai(TenantModel):
    """A civil servant of the instansi pengguna, proposed for inpassing."""

    nip = models.CharField(_("NIP"), max_length=18)
    nama = models.CharField(_("nama"), max_length=150)
    jabatan_saat_ini = models.CharField(_("jabatan saat ini"), max_length=200, blank=True)
    unit_kerja = models.CharField(_("unit kerja"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["nama", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nip"], name="pegawai_nip_unique_per_instansi")
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nip})"
