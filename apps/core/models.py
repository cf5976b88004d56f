from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel

#: How the letterhead is printed (apps.surat.isi.kop), said on every form that edits it.
KOP_BANTUAN = _(
    "Satu baris kop per baris, dicetak persis seperti ditulis di bagian atas setiap surat yang diterbitkan; "
    "baris yang panjang dikecilkan hurufnya agar tetap satu baris. Bila kop diisi, kop inilah seluruh kop "
    "surat: tulis alamat sebagai baris terakhirnya. Alamat tidak dicetak lagi di bawahnya. Bila kosong, kop "
    "surat berisi nama instansi dan alamat."
)
ALAMAT_BANTUAN = _(
    "Dicetak di bawah nama instansi pada kop surat hanya bila kop surat kosong; bila kop surat diisi, tulis "
    "alamat sebagai baris terakhir kop."
)


class Instansi(models.Model):
    """A government agency: the tenant (instansi pengguna) and/or an instansi pembina of a JF."""

    class Jenis(models.TextChoices):
        KEMENTERIAN = "kementerian", _("Kementerian")
        LEMBAGA = "lembaga", _("Lembaga")
        PROVINSI = "provinsi", _("Pemerintah Provinsi")
        KABUPATEN = "kabupaten", _("Pemerintah Kabupaten")
        KOTA = "kota", _("Pemerintah Kota")

    kode = models.CharField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("instansi induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Provinsi bagi kabupaten/kota."),
    )
    is_pembina = models.BooleanField(
        _("instansi pembina"),
        default=False,
        help_text=_("Instansi ini membina satu atau lebih jabatan fungsional."),
    )
    alamat = models.TextField(_("alamat"), blank=True)
    kota = models.CharField(
        _("kota kedudukan"), max_length=80, blank=True, help_text=_('Dicetak pada SK: "Ditetapkan di <kota>".')
    )
    kop_surat = models.TextField(
        _("kop surat"), blank=True, help_text=_("Baris kop surat pada dokumen yang diterbitkan.")
    )
    aktif = models.BooleanField(
        _("aktif"), default=True, help_text=_("Instansi nonaktif tidak dapat dipilih dan penggunanya tidak berperan.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class AuditLog(TenantModel):
    """Who did what, when, from where. Never passwords, tokens or a full NIK/NIP in ``data``.

    ``jf`` lets the pembina staff of that JF read the entries of dossiers they handle."""

    tenancy_jf_path = "jf"

    instansi = models.ForeignKey(
        Instansi,
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jf = models.ForeignKey(
        "referensi.JabatanFungsional", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("aksi"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    message = models.CharField(_("keterangan"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def label_aksi(self) -> str:
        """The action as people read it (``apps.core.aksi``), never the raw code."""
        from apps.core.aksi import label

        return label(self.action)


class OutboxMessage(models.Model):
    """A task request written in the same transaction as the change that caused it.

    The relay (``manage.py outbox_relay``) publishes it to the broker after commit; the id is
    the Celery task id, so a task can tell a re-delivery from a new request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    queue = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: Where the request came from, for the logs: {"request_id": …} (apps/core/logs.py).
    konteks = models.JSONField(default=dict, blank=True)
    #: Set when the message failed ``SIAKS_OUTBOX_MAKS_PERCOBAAN`` times (the broker refused it,
    #: or its task never left a receipt): the relay and the sweep leave it alone until the
    #: superadmin retries it (``/platform/outbox/``).
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(published_at__isnull=True, dead_at__isnull=True),
            ),
            models.Index(
                fields=["published_at"],
                name="outbox_published_idx",
                condition=models.Q(published_at__isnull=False, dead_at__isnull=True),
            ),
            models.Index(fields=["dead_at"], name="outbox_dead_idx", condition=models.Q(dead_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} {self.id}"


class TaskReceipt(models.Model):
    """Marks a task request as done, committed with the task's own effect: exactly once in effect."""

    key = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200)
    completed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
