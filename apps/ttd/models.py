"""Electronic signatures (TTE) on the letters of apps.surat.

* :class:`Pejabat` — a signing official of an issuer and the backend that signs for them
  (``pkcs12``: key and certificate held by the portal, encrypted with a passphrase from the
  environment; ``bsre``: BSrE's esign API with the official's NIK and a passphrase typed at
  signing time, never stored).
* :class:`AlurParaf` / :class:`LangkahParaf` — per issuer and letter type, the approvers (paraf)
  before the signer; :class:`Paraf` — one approval of one version, bound to its sha256.
* :class:`BatchTtd` — one signing action (one or many letters, one passphrase entry).
* :class:`TandaTangan` — one signature on one letter version: signed in the worker (queue ``ttd``)
  as an incremental PAdES update, uploaded signed elsewhere (validated), or a manual scan
  (the fallback of seed 001, with the reason)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel
from apps.surat.models import JenisSurat


class Pejabat(TenantModel):
    """A signing official of the issuer ``instansi``."""

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("Sertifikat yang disimpan portal")
        BSRE = "bsre", _("BSrE (BSSN)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="pejabat_ttd",
    )  # fmt: skip
    nama = models.CharField(_("nama"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    jabatan = models.CharField(_("jabatan"), max_length=200)
    backend = models.CharField(_("cara tanda tangan"), max_length=10, choices=Backend.choices)
    #: PKCS#12 (key + certificate chain), encrypted with SIAKS_TTD_PKCS12_PASSPHRASE.
    pkcs12 = models.BinaryField(blank=True, default=b"", editable=False)
    sertifikat_pem = models.TextField(_("sertifikat terdaftar (PEM)"), blank=True)
    sidik_jari = models.CharField(_("sidik jari sertifikat (SHA-256)"), max_length=64, blank=True, db_index=True)
    aktif = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("pejabat penanda tangan")
        verbose_name_plural = _("pejabat penanda tangan")
        constraints = [
            models.UniqueConstraint(
                fields=["instansi", "nip"], condition=~models.Q(nip=""), name="pejabat_ttd_nip_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_backend_display()})"


class AlurParaf(TenantModel):
    """The paraf chain of an issuer for one letter type: konseptor → paraf … → signer."""

    jenis = models.CharField(_("jenis surat"), max_length=20, choices=JenisSurat.choices)
    aktif = models.BooleanField(default=True)
    #: The official who signs this letter type by default (the issuance form is filled with them);
    #: none for the berita acara, which the people it names sign.
    penanda = models.ForeignKey(
        Pejabat, verbose_name=_("penanda tangan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diubah_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("alur paraf")
        verbose_name_plural = _("alur paraf")
        constraints = [models.UniqueConstraint(fields=["instansi", "jenis"], name="alur_paraf_unique")]


class LangkahParaf(TenantModel):
    alur = models.ForeignKey(AlurParaf, on_delete=models.CASCADE, related_name="langkah")
    urutan = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sebutan = models.CharField(_("sebutan"), max_length=150, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["alur", "urutan"]
        constraints = [models.UniqueConstraint(fields=["alur", "urutan"], name="langkah_paraf_unique")]

    # The interface of a chain snapshot's step (apps.ttd.services.Langkah): one approver here.
    @property
    def user_ids(self) -> tuple:
        return (self.user_id,)

    @property
    def users(self) -> list:
        return [self.user]

    @property
    def nama_pemberi(self) -> str:
        return str(self.user)


class AlurVersi(TenantModel):
    """The paraf chain a letter version was issued with (snapshot taken when the version is
    made): who approves it and in which order. A chain changed later on the alur paraf page
    applies to the letters issued (or corrected) afterwards, never to this version. A version
    made before snapshots existed has none and follows the issuer's current chain."""

    tenancy_jf_path = "jf"
    tenancy_penilai_path = "instansi_penilai"

    versi = models.OneToOneField("surat.VersiSurat", on_delete=models.CASCADE, related_name="alur_paraf")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    #: Copied from the version: the issuing Tim Penilai AK's instansi (apps.surat.models.Surat).
    instansi_penilai = models.ForeignKey(
        "core.Instansi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: ``[{"urutan": 1, "user": <id>, "sebutan": "Kabag Kepegawaian"}, …]`` (empty: no paraf); a
    #: step any one of several people may fill also has ``"atau": [<id>, …]`` (``user`` the first).
    langkah = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantModel.Meta):
        verbose_name = _("alur paraf versi surat")
        verbose_name_plural = _("alur paraf versi surat")


class Paraf(TenantModel):
    """One approval: who, when, and the sha256 of the version approved. It counts only while
    that version is the one in force and its file still has that hash. A paraf is never
    deleted: one that stopped counting (its version superseded by a correction) is kept with
    ``batal_at`` and the reason, as the letter's paraf history."""

    tenancy_jf_path = "jf"
    tenancy_penilai_path = "instansi_penilai"

    versi = models.ForeignKey("surat.VersiSurat", on_delete=models.CASCADE, related_name="paraf")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    #: Copied from the version: the issuing Tim Penilai AK's instansi (apps.surat.models.Surat).
    instansi_penilai = models.ForeignKey(
        "core.Instansi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    langkah = models.ForeignKey(LangkahParaf, null=True, on_delete=models.SET_NULL, related_name="+")
    urutan = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    #: The step's title when the paraf was given (the chain may change later).
    sebutan = models.CharField(_("sebutan"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    batal_at = models.DateTimeField(_("tidak berlaku sejak"), null=True, blank=True)
    batal_alasan = models.CharField(_("alasan tidak berlaku"), max_length=200, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["versi", "urutan", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["versi", "urutan"], condition=models.Q(batal_at__isnull=True), name="paraf_versi_urutan_unique"
            )
        ]


class BatchTtd(TenantModel):
    """One signing action: one passphrase entry for one or many letters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pejabat = models.ForeignKey(Pejabat, on_delete=models.PROTECT, related_name="+")
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    #: The chosen letters that were not signed, each with why (``{"versi", "surat", "nomor",
    #: "versi_ke", "alasan"}``): a letter corrected or signed since the queue was loaded is
    #: skipped, the others are signed with the same passphrase entry.
    dilewati = models.JSONField(default=list, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["-created_at"]


def berkas_ttd_upload_to(instance: TandaTangan, filename: str) -> str:
    return f"surat-tte/{instance.instansi_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class TandaTangan(TenantModel):
    """One signature on one letter version.

    ``status`` is the state of a signing job (like ``VersiSurat.status``): the ttd worker owns
    it under a row lock, no role makes a move and nobody is notified per state, so there is no
    declared table; a test keeps its writes in ``ttd.tasks``."""

    class Status(models.TextChoices):
        ANTREAN = "antrean", _("Dalam antrean")
        DIPROSES = "diproses", _("Sedang ditandatangani")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    class Cara(models.TextChoices):
        ELEKTRONIK = "elektronik", _("Tanda tangan elektronik di portal")
        UNGGAH = "unggah", _("Salinan bertanda tangan elektronik dari aplikasi lain")
        MANUAL = "manual", _("Tanda tangan basah (pindaian)")

    tenancy_jf_path = "jf"
    tenancy_penilai_path = "instansi_penilai"

    versi = models.ForeignKey("surat.VersiSurat", on_delete=models.CASCADE, related_name="tanda_tangan")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    #: Copied from the version: the issuing Tim Penilai AK's instansi (apps.surat.models.Surat).
    instansi_penilai = models.ForeignKey(
        "core.Instansi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pejabat = models.ForeignKey(Pejabat, null=True, blank=True, on_delete=models.PROTECT, related_name="tanda_tangan")
    cara = models.CharField(max_length=12, choices=Cara.choices, default=Cara.ELEKTRONIK)
    batch = models.ForeignKey(BatchTtd, null=True, blank=True, on_delete=models.SET_NULL, related_name="item")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTREAN)
    percobaan = models.PositiveSmallIntegerField(default=0)
    galat = models.TextField(blank=True)
    berkas = models.FileField(upload_to=berkas_ttd_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    ukuran = models.PositiveIntegerField(null=True, blank=True)
    penandatangan_nama = models.CharField(max_length=200, blank=True)
    penandatangan_nip = models.CharField(max_length=18, blank=True)
    penandatangan_nik = models.CharField(max_length=16, blank=True)
    sidik_jari = models.CharField(max_length=64, blank=True)
    waktu_ttd = models.DateTimeField(_("waktu tanda tangan (cap waktu)"), null=True, blank=True)
    alasan_manual = models.CharField(_("alasan tanda tangan manual"), max_length=500, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    diproses_at = models.DateTimeField(null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("tanda tangan")
        verbose_name_plural = _("tanda tangan")
        ordering = ["versi", "created_at", "id"]
        constraints = [
            # One signature per official and version (a failed attempt may be repeated).
            models.UniqueConstraint(
                fields=["versi", "pejabat"], condition=~models.Q(status="gagal"), name="ttd_versi_pejabat_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.versi} — {self.penandatangan_nama or self.pejabat}"
