"""The usulan penetapan angka kredit after the SK (seed 001's DUPAK online, on PerBKN 3/2023's
rules): the JF's periods, the Tim Penilai angka kredit of every level and its sekretariat, the
usulan per holder and period, the members' assessments and the sidang.

Why a team model of its own and not ``verifikasi.TimPenilai``: the inpassing team is the
pembina's (one per JF, scoped to the pembina's JFs), while these teams belong to an instansi of
any level (pusat, instansi, provinsi, kabupaten/kota) and assess other instansi's holders; see
docs/architecture.md ("Penetapan angka kredit").

Tenancy. Every row here has an owner instansi and a JF (the pembina's staff see them through
``tenancy_jf_path``). An usulan and what hangs off it belong to the holder's instansi **and** are
visible to the instansi of the team that assesses it (``instansi_penilai``): the manager below and
the hand-written RLS policy of migration 0002 say the same."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core import tenancy
from apps.core.tenancy import TenantManager, TenantModel
from apps.penetapan.domain import STATUS_LABELS


class Tingkat(models.TextChoices):
    """Seed 001 BAB II A and definitions 3-6."""

    PUSAT = "pusat", _("Tim Penilai Pusat")
    INSTANSI = "instansi", _("Tim Penilai Instansi")
    PROVINSI = "provinsi", _("Tim Penilai Provinsi")
    KABUPATEN_KOTA = "kabupaten_kota", _("Tim Penilai Kabupaten/Kota")


class PeriodePenetapan(models.Model):
    """One period of a JF (seed 001 BAB IV C): the submission window in a month, the month the
    PAK is set, and the month of the kenaikan pangkat. Reference data edited by the JF's admin
    pembina; a period with a PAK month before its submission month falls into the next year."""

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.CASCADE, related_name="periode_penetapan")
    kode = models.CharField(_("kode"), max_length=10)
    nama = models.CharField(_("nama periode"), max_length=60)
    bulan_pengajuan = models.PositiveSmallIntegerField(
        _("bulan pengajuan"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    hari_mulai = models.PositiveSmallIntegerField(
        _("pengajuan dibuka tanggal"), default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    hari_selesai = models.PositiveSmallIntegerField(
        _("pengajuan ditutup tanggal"), default=7, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    bulan_pak = models.PositiveSmallIntegerField(
        _("bulan penetapan PAK"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    bulan_kenaikan_pangkat = models.PositiveSmallIntegerField(
        _("bulan kenaikan pangkat"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    sumber = models.CharField(_("sumber"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("periode penetapan AK")
        verbose_name_plural = _("periode penetapan AK")
        ordering = ["jf", "bulan_pengajuan"]
        constraints = [
            models.UniqueConstraint(fields=["jf", "kode"], name="periode_penetapan_unique"),
            models.CheckConstraint(
                condition=Q(hari_selesai__gte=models.F("hari_mulai")), name="periode_penetapan_hari_urut"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jf} — {self.nama}"


class TimPenilaiAK(TenantModel):
    """A Tim Penilai angka kredit of one level, owned by ``instansi`` (the pembina for the pusat
    team), for one term (3 years, seed 001 BAB II D)."""

    tenancy_jf_path = "jf"

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    tingkat = models.CharField(_("tingkat"), max_length=20, choices=Tingkat.choices)
    nama = models.CharField(_("nama tim"), max_length=150)
    masa_mulai = models.DateField(_("masa jabatan mulai"))
    masa_selesai = models.DateField(_("masa jabatan selesai"))
    # Seed 001 BAB II E.4-5: the PYB's decree forming the team (sent to the pembina).
    nomor_sk = models.CharField(_("nomor keputusan pembentukan"), max_length=150, blank=True)
    dibentuk_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("tim penilai angka kredit")
        verbose_name_plural = _("tim penilai angka kredit")
        ordering = ["jf", "tingkat", "-masa_mulai"]
        constraints = [
            models.CheckConstraint(condition=Q(masa_selesai__gt=models.F("masa_mulai")), name="tim_ak_masa_urut")
        ]

    def __str__(self) -> str:
        return self.nama


class AnggotaTimAK(TenantModel):
    """A member of a team. ``pengganti`` members (seed 001 E.7) do not count for the quorum:
    they step in for a member on an usulan the member may not assess."""

    class Peran(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        ANGGOTA = "anggota", _("Anggota")
        PENGGANTI = "pengganti", _("Anggota pengganti")

    tenancy_jf_path = "jf"

    tim = models.ForeignKey(TimPenilaiAK, on_delete=models.CASCADE, related_name="anggota")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    peran = models.CharField(_("peran"), max_length=12, choices=Peran.choices, default=Peran.ANGGOTA)
    # Seed 001 BAB II C.1: at least 2 members hold the bimtek certificate of AK assessment.
    bersertifikat = models.BooleanField(_("bersertifikat bimtek penilaian angka kredit"), default=False)

    class Meta(TenantModel.Meta):
        verbose_name = _("anggota tim penilai AK")
        verbose_name_plural = _("anggota tim penilai AK")
        ordering = ["tim", "peran", "id"]
        constraints = [models.UniqueConstraint(fields=["tim", "user"], name="anggota_tim_ak_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_peran_display()})"


class SekretariatTimAK(TenantModel):
    """A user's place in a team's Sekretariat Tim Penilai, for a one-year term (seed 001 BAB III F)."""

    tenancy_jf_path = "jf"

    tim = models.ForeignKey(TimPenilaiAK, on_delete=models.CASCADE, related_name="sekretariat")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    masa_mulai = models.DateField(_("masa keanggotaan mulai"))
    masa_selesai = models.DateField(_("masa keanggotaan selesai"))

    class Meta(TenantModel.Meta):
        verbose_name = _("sekretariat tim penilai")
        verbose_name_plural = _("sekretariat tim penilai")
        constraints = [
            models.CheckConstraint(
                condition=Q(masa_selesai__gt=models.F("masa_mulai")), name="sekretariat_tim_masa_urut"
            )
        ]


class PenilaiManager(TenantManager):
    """The tenant's rows, the JF's rows for pembina staff (once submitted) — and the rows the
    scope's instansi assesses (``instansi_penilai``). RLS migration 0002 says the same."""

    def get_queryset(self):
        active = tenancy.require()
        qs = super(TenantManager, self).get_queryset()
        if active.all_tenants:
            return qs
        condition = Q(pk__in=[])
        if active.instansi_id:
            condition |= Q(instansi_id=active.instansi_id) | Q(instansi_penilai_id=active.instansi_id)
        pejabat_path = getattr(self.model, "tenancy_pejabat_path", None)
        if pejabat_path and active.pejabat_id:
            condition |= Q(**{pejabat_path: active.pejabat_id})
        if active.jf_ids:
            condition |= Q(jf_id__in=sorted(active.jf_ids), **{f"{self.model.tenancy_jf_since}__isnull": False})
        return qs.filter(condition)


class PenilaiScoped(TenantModel):
    """Base of the usulan and its rows: see :class:`PenilaiManager`."""

    tenancy_jf_path = "jf"
    tenancy_jf_since = "diajukan_at"

    instansi_penilai = models.ForeignKey(
        "core.Instansi",
        verbose_name=_("instansi tim penilai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PenilaiManager()

    class Meta(TenantModel.Meta):
        abstract = True

    def writable_in(self, active) -> bool:
        if active.instansi_id and self.instansi_penilai_id == active.instansi_id:
            return True
        return super().writable_in(active)


class UsulanPenetapanAK(PenilaiScoped):
    """The DUPAK of one holder for one period. ``status`` changes only in
    ``apps.penetapan.alur.pindahkan`` (the rows of ``domain.TRANSITIONS``)."""

    # The holder (role pejabat_fungsional) sees their own usulan (apps.core.tenancy).
    tenancy_pejabat_path = "pejabat"

    class Hasil(models.TextChoices):
        PAK = "pak", _("PAK")
        HAPAK = "hapak", _("HAPAK")

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    pejabat = models.ForeignKey("jabatan.PejabatFungsional", on_delete=models.PROTECT, related_name="usulan_penetapan")
    # Snapshot at submission: the team's instansi reads these, never the holder's own record.
    pejabat_nip = models.CharField(_("NIP"), max_length=18)
    pejabat_nama = models.CharField(_("nama"), max_length=150)
    jenjang = models.ForeignKey("referensi.Jenjang", on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey(
        PeriodePenetapan, verbose_name=_("periode"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun periode"))
    luar_periode_bup = models.BooleanField(
        _("di luar periode (batas usia pensiun)"),
        default=False,
        help_text=_(
            "Rancangan Peraturan Kepala LAN tentang Tata Kerja Tim Penilai JFAK, Bab IV C: pengusulan di luar "
            "periode bagi pejabat yang memasuki batas usia pensiun (belum terverifikasi)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, default="draft", choices=[(k.value, v) for k, v in STATUS_LABELS.items()]
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    putaran = models.PositiveSmallIntegerField(_("pengajuan ke"), default=0)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diajukan_at = models.DateTimeField(null=True, blank=True)
    tim = models.ForeignKey(TimPenilaiAK, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan")
    catatan_sekretariat = models.TextField(_("catatan sekretariat"), blank=True)
    ak_kumulatif = models.DecimalField(_("AK kumulatif"), max_digits=9, decimal_places=3, null=True, blank=True)
    ak_syarat = models.DecimalField(_("AK yang dipersyaratkan"), max_digits=9, decimal_places=3, null=True, blank=True)
    hasil = models.CharField(_("hasil"), max_length=5, choices=Hasil.choices, blank=True)
    sidang = models.ForeignKey("penetapan.SidangAK", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    surat = models.ForeignKey("surat.Surat", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    surat_nomor = models.CharField(_("nomor surat"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PenilaiScoped.Meta):
        verbose_name = _("usulan penetapan angka kredit")
        verbose_name_plural = _("usulan penetapan angka kredit")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One usulan per holder and period occurrence (the BUP exception has no period).
            models.UniqueConstraint(
                fields=["pejabat", "periode", "tahun"],
                condition=Q(periode__isnull=False),
                name="usulan_penetapan_periode_unique",
            ),
        ]
        indexes = [models.Index(fields=["jf", "tahun", "status"], name="usulan_penetapan_rekap_idx")]

    def __str__(self) -> str:
        return f"{self.pejabat_nama} ({self.tahun})"


def dokumen_upload_to(instance, filename: str) -> str:
    import uuid

    ext = (filename.rsplit(".", 1)[-1] if "." in filename else "pdf").lower()
    return f"penetapan/{instance.instansi_id}/{instance.usulan_id}/{uuid.uuid4().hex}.{ext}"


class DokumenPenetapan(PenilaiScoped):
    """An evidence document of an usulan (seed 001 BAB IV B: SK jabatan, SK pangkat, the last PAK,
    the last HAPAK, SKP), checked like every upload (``apps.core.files.check_upload``). A new
    upload of the same kind keeps the old one (``diganti_at``)."""

    class Jenis(models.TextChoices):
        SKP = "skp", _("Hasil penilaian SKP / predikat kinerja")
        SK_JABATAN = "sk_jabatan", _("SK jabatan fungsional terakhir")
        SK_PANGKAT = "sk_pangkat", _("SK kenaikan pangkat terakhir")
        PAK_TERAKHIR = "pak_terakhir", _("PAK terakhir")
        HAPAK = "hapak", _("HAPAK penilaian sebelumnya")

    berkas_sidik = {"berkas": "sha256"}
    # The holder who submits their own usulan sees and uploads its documents (the JF allows it:
    # ``JabatanFungsional.pejabat_boleh_mengajukan_ak``); RLS migration 0005 names the column.
    tenancy_pejabat_path = "pejabat"

    usulan = models.ForeignKey(UsulanPenetapanAK, on_delete=models.CASCADE, related_name="dokumen")
    pejabat = models.ForeignKey(
        "jabatan.PejabatFungsional", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis dokumen"), max_length=20, choices=Jenis.choices)
    berkas = models.FileField(upload_to=dokumen_upload_to, max_length=200)
    nama_asli = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    ukuran = models.PositiveIntegerField()
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diunggah_at = models.DateTimeField(auto_now_add=True)
    diganti_at = models.DateTimeField(null=True, blank=True)
    diajukan_at = models.DateTimeField(null=True, blank=True)

    class Meta(PenilaiScoped.Meta):
        ordering = ["usulan", "jenis", "-diunggah_at"]

    def keterangan_berkas(self) -> str:
        """What this file is, for a refusal that names it (apps.surat.services.salinan_ttd_unik)."""
        return _('dokumen "%(d)s" usulan penetapan angka kredit') % {"d": self.get_jenis_display()}


class PenilaianAK(PenilaiScoped):
    """One member's online assessment of an usulan (seed 001 BAB IV D.1). ``menggantikan`` is set
    when a substitute member stands in for a member who may not assess it (seed 001 E.7)."""

    class Rekomendasi(models.TextChoices):
        SETUJU = "setuju", _("Setuju dengan angka kredit hasil perhitungan")
        TIDAK_SETUJU = "tidak_setuju", _("Tidak setuju dengan angka kredit hasil perhitungan")

    usulan = models.ForeignKey(UsulanPenetapanAK, on_delete=models.CASCADE, related_name="penilaian")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    anggota = models.ForeignKey(AnggotaTimAK, on_delete=models.PROTECT, related_name="+")
    menggantikan = models.ForeignKey(AnggotaTimAK, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rekomendasi = models.CharField(_("penilaian"), max_length=15, choices=Rekomendasi.choices, blank=True)
    catatan = models.TextField(_("catatan penilai"), blank=True)
    # The figures of the holder's ledger the member assessed (``selectors.angka_kredit``): the
    # sidang counts an agreement only while the ledger still holds them.
    ak_kumulatif = models.DecimalField(
        _("AK kumulatif yang dinilai"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    ak_syarat = models.DecimalField(_("AK yang dipersyaratkan"), max_digits=9, decimal_places=3, null=True, blank=True)
    memenuhi = models.BooleanField(_("memenuhi syarat menurut perhitungan"), null=True, blank=True)
    selesai_at = models.DateTimeField(null=True, blank=True)
    diajukan_at = models.DateTimeField(null=True, blank=True)

    class Meta(PenilaiScoped.Meta):
        constraints = [models.UniqueConstraint(fields=["usulan", "anggota"], name="penilaian_ak_unique")]


class SidangAK(TenantModel):
    """A sidang of a team (seed 001 BAB IV D.3-4). ``status`` has one move (dibuka → selesai),
    made only by ``services.sidang_putuskan`` under a row lock; a test keeps its writes there."""

    class Status(models.TextChoices):
        DIBUKA = "dibuka", _("Dibuka")
        SELESAI = "selesai", _("Selesai")

    tenancy_jf_path = "jf"

    tim = models.ForeignKey(TimPenilaiAK, on_delete=models.PROTECT, related_name="sidang")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    tanggal = models.DateField(_("tanggal sidang"))
    tempat = models.CharField(_("tempat"), max_length=150, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIBUKA)
    dibuka_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    hadir = models.ManyToManyField(AnggotaTimAK, blank=True, related_name="+")
    ditutup_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-tanggal", "-id"]
