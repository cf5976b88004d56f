"""The letters the process produces (domain.md §9): berita acara (of the sidang and of the seleksi
administrasi), rekomendasi, SK pengangkatan (per pegawai or collective) and PAK.

A :class:`Surat` is one numbered letter. Its number is taken from :class:`PenomoranSurat` in the
transaction that creates it, so a rollback returns the number and numbers stay gapless. The
file is a :class:`VersiSurat`: a content snapshot rendered to PDF by a Celery worker. A
correction adds a version (same number) and marks the previous one superseded; nothing is
overwritten. Every version has its own short verification code printed with a QR code."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel


class JenisSurat(models.TextChoices):
    BERITA_ACARA = "berita_acara", _("Berita acara sidang")
    BERITA_ACARA_SELEKSI = "berita_acara_seleksi", _("Berita acara seleksi administrasi")
    REKOMENDASI = "rekomendasi", _("Rekomendasi pengangkatan")
    SK = "sk", _("SK pengangkatan")
    SK_KOLEKTIF = "sk_kolektif", _("SK pengangkatan kolektif")
    PAK = "pak", _("Penetapan angka kredit")
    # After the SK (apps.penetapan): the periodic PAK of a Tim Penilai's sidang, and the HAPAK.
    PAK_AK = "pak_ak", _("Penetapan angka kredit (periodik)")
    HAPAK = "hapak", _("Hasil penilaian angka kredit (HAPAK)")


#: The letters of a kenaikan jenjang, which share their type with the inpassing's: their label
#: (``Surat.label_jenis``).
LABEL_KENAIKAN_JENJANG = {
    JenisSurat.SK: _("SK kenaikan jenjang"),
    JenisSurat.SK_KOLEKTIF: _("SK kenaikan jenjang kolektif"),
    JenisSurat.REKOMENDASI: _("Rekomendasi kenaikan jenjang"),
}


#: Letter type → number series. Individual and collective SKs share the issuer's SK series.
SERI = {
    JenisSurat.BERITA_ACARA: "berita_acara",
    # Its own series: the Tim Seleksi Administrasi's berita acara is not the Tim Penilai's (the
    # sources give no format for either; the default formats are in apps.surat.penomoran).
    JenisSurat.BERITA_ACARA_SELEKSI: "ba_seleksi",
    JenisSurat.REKOMENDASI: "rekomendasi",
    JenisSurat.SK: "sk",
    JenisSurat.SK_KOLEKTIF: "sk",
    JenisSurat.PAK: "pak",
    JenisSurat.PAK_AK: "pak",
    JenisSurat.HAPAK: "hapak",
}

SERI_LABELS = {
    "berita_acara": _("Berita acara sidang"),
    "ba_seleksi": _("Berita acara seleksi administrasi"),
    "rekomendasi": _("Rekomendasi"),
    "sk": _("SK pengangkatan"),
    "pak": _("PAK"),
    "hapak": _("HAPAK"),
}


class PenomoranSurat(models.Model):
    """The last number used per issuer, series and year (incremented under a row lock)."""

    penerbit = models.ForeignKey("core.Instansi", on_delete=models.PROTECT, related_name="+")
    seri = models.CharField(max_length=20)
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["penerbit", "seri", "tahun"], name="penomoran_unique")]

    def __str__(self) -> str:
        return f"{self.penerbit_id}/{self.seri}/{self.tahun}: {self.terakhir}"


class PolaNomor(models.Model):
    """An issuer's number format for one series, e.g. ``800.1.3.3/{urut:04d}/SK-JF/{kode}/{tahun}``."""

    penerbit = models.ForeignKey("core.Instansi", on_delete=models.CASCADE, related_name="pola_nomor")
    seri = models.CharField(_("jenis surat"), max_length=20, choices=list(SERI_LABELS.items()))
    pola = models.CharField(_("format nomor"), max_length=120)
    diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("format nomor surat")
        verbose_name_plural = _("format nomor surat")
        constraints = [models.UniqueConstraint(fields=["penerbit", "seri"], name="pola_nomor_unique")]

    def __str__(self) -> str:
        return self.pola


class Surat(TenantModel):
    """One numbered letter. ``instansi`` is the tenant it concerns (the instansi pengguna for a
    rekomendasi, SK or PAK; the pembina itself for a berita acara of either kind); the JF's pembina staff see
    it through ``jf``."""

    tenancy_jf_path = "jf"
    # The holder a letter is about (a PAK, HAPAK or SK of one pejabat fungsional) sees it too.
    tenancy_pejabat_path = "pejabat"
    # ...and the instansi of the Tim Penilai AK that issued it (see ``instansi_penilai``).
    tenancy_penilai_path = "instansi_penilai"

    jenis = models.CharField(_("jenis surat"), max_length=20, choices=JenisSurat.choices)
    penerbit = models.ForeignKey(
        "core.Instansi", verbose_name=_("penerbit"), on_delete=models.PROTECT, related_name="surat_terbit"
    )
    jf = models.ForeignKey(
        "referensi.JabatanFungsional", verbose_name=_("jabatan fungsional"), on_delete=models.PROTECT
    )
    seri = models.CharField(max_length=20)
    tahun = models.PositiveSmallIntegerField()
    nomor_urut = models.PositiveIntegerField()
    nomor = models.CharField(_("nomor surat"), max_length=150)
    tanggal = models.DateField(_("tanggal surat"))
    perihal = models.CharField(_("perihal"), max_length=250)
    tmt = models.DateField(_("TMT"), null=True, blank=True)
    #: An SK or rekomendasi of a kenaikan jenjang (the same type and series as the inpassing's):
    #: set by apps.surat.services from the usulan's kind; ``label_jenis`` names the letter for it.
    kenaikan_jenjang = models.BooleanField(_("kenaikan jenjang"), default=False)
    sidang = models.ForeignKey(
        "verifikasi.Sidang", null=True, blank=True, on_delete=models.PROTECT, related_name="surat"
    )
    rekomendasi = models.ForeignKey(
        "self", verbose_name=_("surat rekomendasi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sk_turunan",
    )  # fmt: skip
    penandatangan_nama = models.CharField(_("nama penanda tangan"), max_length=150)
    penandatangan_jabatan = models.CharField(_("jabatan penanda tangan"), max_length=200)
    penandatangan_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    #: The pejabat fungsional this letter is about (one holder's PAK, HAPAK or SK), who may read it.
    pejabat = models.ForeignKey(
        "jabatan.PejabatFungsional", verbose_name=_("pejabat fungsional"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="surat",
    )  # fmt: skip
    #: The instansi of the Tim Penilai AK that issued this PAK or HAPAK (apps.penetapan), which
    #: may be another than the holder's: its team and sekretariat read it (apps.surat.selectors).
    instansi_penilai = models.ForeignKey(
        "core.Instansi", verbose_name=_("instansi tim penilai"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta(TenantModel.Meta):
        verbose_name = _("surat")
        verbose_name_plural = _("surat")
        ordering = ["-tanggal", "-id"]
        constraints = [
            # The backstop of the counter: one number per issuer, series and year.
            models.UniqueConstraint(fields=["penerbit", "seri", "tahun", "nomor_urut"], name="surat_nomor_unique"),
        ]
        indexes = [models.Index(fields=["instansi", "jenis", "-tanggal"], name="surat_instansi_jenis_idx")]

    def __str__(self) -> str:
        return f"{self.label_jenis()} {self.nomor}"

    def label_jenis(self) -> str:
        """What the letter is, as pages, download names and messages call it: its type, but an SK or
        rekomendasi of a kenaikan jenjang (the same type and series as the inpassing's) is named
        for it, not "SK pengangkatan" (fresh-eye walk of issue 19). Told by ``kenaikan_jenjang``,
        recorded when the letter was made: no query, also in a worker, whatever its subject says."""
        if self.kenaikan_jenjang and self.jenis in LABEL_KENAIKAN_JENJANG:
            return str(LABEL_KENAIKAN_JENJANG[self.jenis])
        return self.get_jenis_display()


class SuratUsulan(TenantModel):
    """An usulan listed in a letter (its lampiran row)."""

    tenancy_jf_path = "jf"

    surat = models.ForeignKey(Surat, on_delete=models.CASCADE, related_name="baris")
    usulan = models.ForeignKey("pengusulan.Usulan", on_delete=models.PROTECT, related_name="surat_baris")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(max_length=20, choices=JenisSurat.choices)
    urutan = models.PositiveIntegerField(default=0)
    direkomendasikan = models.BooleanField(default=True)

    class Meta(TenantModel.Meta):
        ordering = ["surat", "urutan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["surat", "usulan"], name="surat_usulan_unique"),
        ]
        indexes = [models.Index(fields=["usulan", "jenis"], name="surat_usulan_jenis_idx")]


def kode_verifikasi() -> str:
    """A short, unambiguous public code (Crockford base32, 50 bits): ``K7QM-2XPA-9D``."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def berkas_surat_upload_to(instance: VersiSurat, filename: str) -> str:
    """Named by the version's (unique, random) code: a re-render never overwrites, and a file
    left by a crashed attempt is recognisable (and removed by ``bersihkan_berkas_yatim``)."""
    return f"surat/{instance.instansi_id}/{timezone.now():%Y}/{instance.kode}-v{instance.versi}.pdf"


def berkas_ttd_upload_to(instance: VersiSurat, filename: str) -> str:
    ext = (filename.rsplit(".", 1)[-1] if "." in filename else "pdf").lower()
    return f"surat-ttd/{instance.instansi_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"


ALASAN_MAKS = 1000
"""The longest reason for a correction (a letter's new version)."""


class VersiSurat(TenantModel):
    """One rendering of a letter: the content snapshot, the PDF and its sha256.

    ``status`` is the state of a background job (antrean → diproses → selesai / gagal, and
    gagal → antrean on ``ulangi``), not a decision: no role makes it, nobody is notified, and
    the render task owns it under a row lock. A declared table would repeat the task's code,
    so there is none; a test keeps its writes in ``surat.tasks`` and ``surat.services``."""

    class Status(models.TextChoices):
        ANTREAN = "antrean", _("Dalam antrean")
        DIPROSES = "diproses", _("Sedang diproses")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    tenancy_jf_path = "jf"
    tenancy_pejabat_path = "pejabat"
    tenancy_penilai_path = "instansi_penilai"

    surat = models.ForeignKey(Surat, on_delete=models.CASCADE, related_name="versi_set")
    #: Copied from the letter (the RLS policy reads the row's own columns).
    pejabat = models.ForeignKey(
        "jabatan.PejabatFungsional", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instansi_penilai = models.ForeignKey(
        "core.Instansi", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    versi = models.PositiveSmallIntegerField(_("versi"))
    kode = models.CharField(_("kode verifikasi"), max_length=12, unique=True, default=kode_verifikasi)
    isi = models.JSONField(default=dict)
    #: Kept whole (the letter's banner prints a shortened one: templates/surat/pdf/_kop.html).
    alasan = models.CharField(_("alasan perbaikan"), max_length=ALASAN_MAKS, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTREAN)
    percobaan = models.PositiveSmallIntegerField(default=0)
    galat = models.TextField(blank=True)
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    #: Stored files and their sha256 fields, checked by ``manage.py cadangan periksa``.
    berkas_sidik = {"berkas": "sha256", "ttd_berkas": "ttd_sha256"}

    berkas = models.FileField(upload_to=berkas_surat_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    ukuran = models.PositiveIntegerField(null=True, blank=True)
    jumlah_halaman = models.PositiveIntegerField(null=True, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    diproses_at = models.DateTimeField(null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)
    diganti_at = models.DateTimeField(_("digantikan"), null=True, blank=True)
    # The signed copy (SK): uploaded by the PPK with the portfolio upload checks.
    ttd_berkas = models.FileField(upload_to=berkas_ttd_upload_to, max_length=200, blank=True)
    ttd_nama_asli = models.CharField(max_length=255, blank=True)
    ttd_sha256 = models.CharField(max_length=64, blank=True)
    ttd_ukuran = models.PositiveIntegerField(null=True, blank=True)
    ttd_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ttd_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("versi surat")
        verbose_name_plural = _("versi surat")
        ordering = ["surat", "-versi"]
        constraints = [models.UniqueConstraint(fields=["surat", "versi"], name="versi_surat_unique")]
        indexes = [
            models.Index(
                fields=["status", "diproses_at"],
                name="versi_surat_belum_selesai_idx",
                condition=models.Q(status__in=["antrean", "diproses"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.surat} v{self.versi}"

    @property
    def terkini(self) -> bool:
        return self.diganti_at is None

    @property
    def siap(self) -> bool:
        return self.status == self.Status.SELESAI and bool(self.berkas)
