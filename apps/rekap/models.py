"""Maintained aggregates for the dashboards (no scan of the usulan table per request) and
background exports.

``RekapUsulan`` counts submitted usulan per JF × instansi × jenjang × status. It is changed in
the same transaction as the usulan (``apps.rekap.services.rekap_catat_pindah``, called by
``pengusulan.alur.pindahkan``), so it is exact; ``manage.py rekap_bangun_ulang`` rebuilds it
from the usulan rows (after bulk loads, or as a repair) and a test checks both agree.
``RekapHarian`` counts transitions per JF, day and action: the throughput chart."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel


class RekapUsulan(TenantModel):
    tenancy_jf_path = "jf"

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.CASCADE, related_name="+")
    jenjang = models.ForeignKey("referensi.Jenjang", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24)
    jumlah = models.IntegerField(default=0)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["jf", "instansi", "jenjang", "status"], name="rekap_usulan_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.jf_id}/{self.instansi_id}/{self.jenjang_id}/{self.status}: {self.jumlah}"


class RekapHarian(models.Model):
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.CASCADE, related_name="+")
    tanggal = models.DateField()
    aksi = models.CharField(max_length=40)
    jumlah = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["jf", "tanggal", "aksi"], name="rekap_harian_unique")]

    def __str__(self) -> str:
        return f"{self.jf_id} {self.tanggal} {self.aksi}: {self.jumlah}"


def ekspor_upload_to(instance: Ekspor, filename: str) -> str:
    return f"ekspor/{instance.user_id}/{uuid.uuid4().hex}/{filename}"


class Ekspor(models.Model):
    """A background export requested by a user; only that user may download it.

    ``status`` is a job state written only by ``rekap.buat_ekspor`` (antrean → diproses →
    selesai / gagal); like ``VersiSurat.status`` it has no roles and no notices of its own, so
    no declared table (a test keeps its writes in ``rekap.tasks``)."""

    class Status(models.TextChoices):
        ANTREAN = "antrean", _("Dalam antrean")
        DIPROSES = "diproses", _("Sedang diproses")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ekspor")
    #: What the user reads for each kind of export (never the internal name).
    LABEL_JENIS = {
        "usulan_pic": _("Daftar usulan"),
        "inbox": _("Kotak masuk usulan"),
        "rekap_pdf": _("Rekap nasional"),
        "rekap_instansi": _("Rekap per instansi"),
    }
    jenis = models.CharField(max_length=40)
    format = models.CharField(max_length=5)

    parameter = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTREAN)
    berkas = models.FileField(upload_to=ekspor_upload_to, max_length=250, blank=True)
    jumlah_baris = models.PositiveIntegerField(null=True, blank=True)
    galat = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.jenis}.{self.format}"

    @property
    def jenis_label(self) -> str:
        return str(self.LABEL_JENIS.get(self.jenis, self.jenis.replace("_", " ").capitalize()))
