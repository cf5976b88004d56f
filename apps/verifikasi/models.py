"""What the instansi pembina records about a dossier: the seleksi administrasi (per document and
per eligibility warning), the Tim Penilai, the portfolio scores and the sidang.

Records about an usulan belong to the usulan's instansi (the tenant) and are visible to the JF's
pembina staff through ``tenancy_jf_path``; team records (the team, its sidang and berita acara)
belong to the pembina's JF (:class:`~apps.core.tenancy.JFScopedModel`, each with its own ``jf``
column for the manager and the RLS policy)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.core.tenancy import JFScopedModel, TenantModel


class Pemeriksaan(TenantModel):
    """One round of seleksi administrasi of an usulan by a verifier."""

    class Keputusan(models.TextChoices):
        MEMENUHI = "memenuhi", _("Memenuhi syarat")
        PERBAIKAN = "perbaikan", _("Perlu perbaikan")
        TIDAK_MEMENUHI = "tidak_memenuhi", _("Tidak memenuhi syarat")

    tenancy_jf_path = "jf"

    usulan = models.ForeignKey("pengusulan.Usulan", on_delete=models.PROTECT, related_name="pemeriksaan")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    putaran = models.PositiveSmallIntegerField(_("putaran"))
    verifikator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mulai_at = models.DateTimeField(auto_now_add=True)
    keputusan = models.CharField(_("keputusan"), max_length=20, choices=Keputusan.choices, blank=True)
    catatan = models.TextField(_("catatan untuk PIC"), blank=True)
    tenggat_perbaikan = models.DateField(_("tenggat perbaikan"), null=True, blank=True)
    keputusan_peringatan = models.JSONField(default=dict, blank=True)  # rule → {"diterima": bool, "catatan": str}
    diputuskan_at = models.DateTimeField(null=True, blank=True)
    # The berita acara seleksi administrasi that records this decided round (set when it is issued).
    berita_acara = models.ForeignKey(
        "surat.Surat", null=True, blank=True, on_delete=models.PROTECT, related_name="pemeriksaan_seleksi"
    )

    class Meta(TenantModel.Meta):
        ordering = ["usulan", "-putaran"]
        constraints = [models.UniqueConstraint(fields=["usulan", "putaran"], name="pemeriksaan_putaran_unique")]

    def __str__(self) -> str:
        return f"{self.usulan_id} #{self.putaran}"


class PemeriksaanDokumen(TenantModel):
    """The verifier's finding on one document (the version reviewed): sesuai / tidak sesuai."""

    tenancy_jf_path = "jf"

    pemeriksaan = models.ForeignKey(Pemeriksaan, on_delete=models.CASCADE, related_name="dokumen")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    persyaratan = models.ForeignKey("referensi.PersyaratanDokumen", on_delete=models.PROTECT, related_name="+")
    dokumen = models.ForeignKey("pengusulan.Dokumen", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sesuai = models.BooleanField(_("sesuai"))
    catatan = models.CharField(_("catatan"), max_length=500, blank=True)
    #: Carried from the previous round: the document has not changed since that verdict.
    dibawa = models.BooleanField(_("dibawa dari putaran sebelumnya"), default=False)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["pemeriksaan", "persyaratan"], name="pemeriksaan_dokumen_unique")
        ]


class TimPenilai(JFScopedModel):
    """A Tim Penilai of a JF for one term (seed 001)."""

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="tim_penilai")
    nama = models.CharField(_("nama tim"), max_length=150)
    periode_mulai = models.DateField(_("masa jabatan mulai"))
    periode_selesai = models.DateField(_("masa jabatan selesai"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(JFScopedModel.Meta):
        verbose_name = _("tim penilai")
        verbose_name_plural = _("tim penilai")
        ordering = ["jf", "-periode_mulai"]

    def __str__(self) -> str:
        return self.nama


class AnggotaTim(models.Model):
    class Peran(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")

    tim = models.ForeignKey(TimPenilai, on_delete=models.CASCADE, related_name="anggota")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="keanggotaan_tim")
    peran = models.CharField(_("peran"), max_length=12, choices=Peran.choices, default=Peran.ANGGOTA)
    bersertifikat = models.BooleanField(_("bersertifikat bimtek penilai"), default=False)
    # Seed 001 C.2: a member's pangkat is at least that of the pegawai assessed.
    golongan = models.ForeignKey(
        "referensi.Golongan", verbose_name=_("pangkat/golongan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["tim", "peran", "id"]
        constraints = [models.UniqueConstraint(fields=["tim", "user"], name="anggota_tim_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_peran_display()})"


class PenugasanPenilai(TenantModel):
    """A penilai assigned to an usulan; sees it only after declaring no conflict of interest."""

    class Rekomendasi(models.TextChoices):
        LULUS = "lulus", _("Lulus")
        TIDAK_LULUS = "tidak_lulus", _("Tidak lulus")

    tenancy_jf_path = "jf"

    usulan = models.ForeignKey("pengusulan.Usulan", on_delete=models.PROTECT, related_name="penugasan_penilai")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    tim = models.ForeignKey(TimPenilai, on_delete=models.PROTECT, related_name="penugasan")
    penilai = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="penugasan_penilai")
    ditugaskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ditugaskan_at = models.DateTimeField(auto_now_add=True)
    bebas_konflik_at = models.DateTimeField(_("menyatakan bebas konflik kepentingan"), null=True, blank=True)
    # The penilai declares a conflict of interest instead (seed 001 E.7): the ketua replaces him or her.
    konflik_at = models.DateTimeField(_("menyatakan memiliki konflik kepentingan"), null=True, blank=True)
    konflik_alasan = models.TextField(_("alasan konflik kepentingan"), blank=True)
    rekomendasi = models.CharField(_("rekomendasi"), max_length=12, choices=Rekomendasi.choices, blank=True)
    catatan = models.TextField(_("catatan penilai"), blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["usulan", "penilai"], name="penugasan_penilai_unique")]


class Nilai(TenantModel):
    """A penilai's score of one competency of the proposed jenjang's standard."""

    tenancy_jf_path = "jf"

    penugasan = models.ForeignKey(PenugasanPenilai, on_delete=models.CASCADE, related_name="nilai")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    kompetensi = models.ForeignKey("referensi.Kompetensi", on_delete=models.PROTECT, related_name="+")
    level_dicapai = models.PositiveSmallIntegerField(_("level yang dicapai"))
    catatan_bukti = models.TextField(_("bukti/catatan"), blank=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["penugasan", "kompetensi"], name="nilai_unique")]


class Sidang(JFScopedModel):
    """A sidang of a Tim Penilai deciding a set of dossiers (seed 001: quorum 2/3).

    ``status`` has no declared table like the usulan's: it has two moves, dibuka → selesai (the
    ketua's ``sidang_putuskan``) and dibuka → dibatalkan (``sidang_batalkan``, the ketua or the
    admin pembina, with a reason), each under a row lock and audited; the berita
    acara and the usulan moves it causes go through their own cores. A test keeps every write
    of it in that service."""

    class Status(models.TextChoices):
        DIBUKA = "dibuka", _("Dibuka")
        SELESAI = "selesai", _("Selesai")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    tim = models.ForeignKey(TimPenilai, on_delete=models.PROTECT, related_name="sidang")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")  # the team's
    tanggal = models.DateField(_("tanggal sidang"))
    tempat = models.CharField(_("tempat"), max_length=150)  # printed in the berita acara: required
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIBUKA)
    dibuka_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hadir = models.ManyToManyField(AnggotaTim, blank=True, related_name="sidang_dihadiri")
    created_at = models.DateTimeField(auto_now_add=True)
    ditutup_at = models.DateTimeField(null=True, blank=True)
    # An open sidang cancelled by the ketua or the admin pembina (its dossiers can be put in another).
    alasan_batal = models.TextField(_("alasan pembatalan"), blank=True)
    dibatalkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(JFScopedModel.Meta):
        ordering = ["-tanggal", "-id"]

    def __str__(self) -> str:
        from apps.core.format import tgl

        return f"{self.tim} {tgl(self.tanggal)}"


class SidangUsulan(TenantModel):
    """A dossier decided in a sidang, with the decision and its reason."""

    class Keputusan(models.TextChoices):
        LULUS = "lulus", _("Lulus")
        TIDAK_LULUS = "tidak_lulus", _("Tidak lulus")

    tenancy_jf_path = "jf"

    sidang = models.ForeignKey(Sidang, on_delete=models.PROTECT, related_name="usulan")
    usulan = models.ForeignKey("pengusulan.Usulan", on_delete=models.PROTECT, related_name="sidang")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    keputusan = models.CharField(_("keputusan"), max_length=12, choices=Keputusan.choices, blank=True)
    alasan = models.TextField(_("alasan"), blank=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["sidang", "usulan"], name="sidang_usulan_unique")]


class BeritaAcara(JFScopedModel):
    """The record a sidang produces: team, date, attendance, quorum, results (PDF: letters)."""

    sidang = models.OneToOneField(Sidang, on_delete=models.PROTECT, related_name="berita_acara")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")  # the sidang's
    isi = models.JSONField(default=dict)
    ditandatangani_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Berita acara {self.sidang}"


# django-guardian with direct foreign keys (fast joins, no generic object_pk): an assigned
# penilai holds ``view_usulan`` on that usulan.
class UsulanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("pengusulan.Usulan", on_delete=models.CASCADE)


class UsulanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("pengusulan.Usulan", on_delete=models.CASCADE)
