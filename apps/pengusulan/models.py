from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.format import tgl
from apps.core.tenancy import TenantModel
from apps.pengusulan.domain import DAPAT_DIUBAH_PIC, JENIS_LABELS, SELESAI, STATUS_LABELS, Jenis, Status
from apps.referensi.models import PakPenandatangan, PendidikanChoices, PredikatChoices

# Whether the pegawai is a pelaksana decides where masa kerja counts from (seed 004: a pelaksana in
# III/a counts from CPNS); forms, the API and the XLSX import make the PIC answer it.
PELAKSANA_WAJIB = _("Pilih apakah jabatan saat ini jabatan pelaksana (Ya atau Tidak).")


class Pegawai(TenantModel):
    """A civil servant of the instansi pengguna, proposed for inpassing."""

    class JenisKelamin(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Hukuman(models.TextChoices):
        TIDAK_ADA = "tidak_ada", _("Tidak pernah")
        RINGAN = "ringan", _("Ringan")
        SEDANG = "sedang", _("Sedang")
        BERAT = "berat", _("Berat")

    nip = models.CharField(_("NIP"), max_length=18)
    nama = models.CharField(_("nama lengkap (dengan gelar)"), max_length=150)
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices, blank=True)
    tmt_cpns = models.DateField(_("TMT CPNS"), null=True, blank=True)
    golongan = models.ForeignKey(
        "referensi.Golongan",
        verbose_name=_("pangkat/golongan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    tmt_golongan = models.DateField(_("TMT pangkat/golongan"), null=True, blank=True)
    pendidikan = models.CharField(_("pendidikan terakhir"), max_length=5, choices=PendidikanChoices.choices, blank=True)
    jabatan_saat_ini = models.CharField(_("jabatan saat ini"), max_length=200, blank=True)
    is_pelaksana = models.BooleanField(_("jabatan pelaksana"), default=True)
    unit_kerja = models.CharField(_("unit kerja"), max_length=200, blank=True)
    pengalaman_bulan = models.PositiveSmallIntegerField(_("pengalaman di bidang jabatan (bulan)"), default=0)
    predikat = models.JSONField(_("predikat kinerja per tahun"), default=dict, blank=True)
    hukuman_disiplin = models.CharField(
        _("hukuman disiplin"), max_length=10, choices=Hukuman.choices, default=Hukuman.TIDAK_ADA
    )
    tanggal_hukuman = models.DateField(_("tanggal hukuman disiplin"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Legal hold (UU 27/2022 PDP, retention): while set, the retention job and an erasure on
    # request leave this record and everything that hangs on it untouched.
    tahan_hukum = models.BooleanField(_("ditahan untuk keperluan hukum"), default=False)
    dianonimkan_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["nama", "id"]
        constraints = [models.UniqueConstraint(fields=["instansi", "nip"], name="pegawai_nip_unique_per_instansi")]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nip})"

    def clean(self) -> None:
        """Dates a person can have: no TMT golongan or sanction in the future (9999-12-31 was
        accepted once), none before birth."""
        from django.core.exceptions import ValidationError

        today = timezone.localdate()
        errors = {}
        if self.tmt_golongan and self.tmt_golongan > today and not self._tmt_dari_kenaikan_pangkat():
            errors["tmt_golongan"] = _("TMT pangkat/golongan tidak boleh setelah hari ini (%(d)s).") % {"d": tgl(today)}
        elif self.tmt_golongan and self.tanggal_lahir and self.tmt_golongan <= self.tanggal_lahir:
            errors["tmt_golongan"] = _("TMT pangkat/golongan tidak boleh sebelum tanggal lahir.")
        elif self.tmt_golongan and self.tmt_cpns and self.tmt_golongan < self.tmt_cpns:
            # A PNS holds a pangkat only from TMT CPNS (digits 9–14 of the NIP) on.
            errors["tmt_golongan"] = _(
                "TMT pangkat/golongan (%(g)s) tidak boleh sebelum TMT CPNS menurut NIP (%(c)s). "
                "Periksa TMT golongan atau NIP."
            ) % {"g": tgl(self.tmt_golongan), "c": tgl(self.tmt_cpns)}
        if self.tanggal_hukuman and self.tanggal_hukuman > today:
            errors["tanggal_hukuman"] = _("Tanggal hukuman disiplin tidak boleh setelah hari ini.")
        if errors:
            raise ValidationError(errors)

    def _tmt_dari_kenaikan_pangkat(self) -> bool:
        """A TMT ahead that a kenaikan pangkat recorded in the portal set (apps.jabatan.pangkat):
        the SK precedes its TMT; editing the pegawai meanwhile is not refused for it."""
        if self.pk is None:
            return False
        from apps.jabatan.pangkat import tmt_golongan_dari_kenaikan

        return tmt_golongan_dari_kenaikan(self)

    @property
    def nip_terkunci(self) -> bool:
        """The NIP can no longer be corrected once an usulan for this pegawai was submitted: the
        pembina, the letters and the audit trail know the pegawai by it."""
        return self.pk is not None and self.usulan.filter(diajukan_at__isnull=False).exists()

    def predikat_items(self) -> list[tuple[str, str]]:
        """(year, label), newest first."""
        return [(y, PredikatChoices(p).label) for y, p in sorted((self.predikat or {}).items(), reverse=True) if p]


class Formasi(TenantModel):
    """Approved positions: JF × jenjang (× unit kerja) → number of positions."""

    tenancy_jf_path = "jf"

    jf = models.ForeignKey(
        "referensi.JabatanFungsional", verbose_name=_("jabatan fungsional"), on_delete=models.PROTECT
    )
    jenjang = models.ForeignKey("referensi.Jenjang", verbose_name=_("jenjang"), on_delete=models.PROTECT)
    unit_kerja = models.CharField(
        _("unit kerja"),
        max_length=200,
        blank=True,
        help_text=_("Kosongkan bila formasi berlaku untuk seluruh instansi."),
    )
    jumlah = models.PositiveSmallIntegerField(_("jumlah formasi"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("formasi")
        verbose_name_plural = _("formasi")
        ordering = ["jf__nama", "jenjang__urutan", "unit_kerja"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "jf", "jenjang", "unit_kerja"], name="formasi_unique")
        ]

    def __str__(self) -> str:
        unit = f" — {self.unit_kerja}" if self.unit_kerja else ""
        return f"{self.jf} {self.jenjang.nama}{unit}"


USULAN_STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]


#: How close the last possible TMT may come before the pages warn: about the time an usulan
#: takes from submission through verification, sidang and rekomendasi to the SK.
PERINGATAN_TMT_HARI = 180


def usulan_nomor() -> str:
    # 48 random bits: a collision among a million usulan has odds of about 1 in 500
    # (32 bits collided at national scale, found by bench/inbox_100k.py).
    return f"USL-{timezone.now():%Y}-{secrets.token_hex(6).upper()}"


class Usulan(TenantModel):
    """One pegawai proposed into one JF: the dossier."""

    tenancy_jf_path = "jf"
    # The pembina's staff see an usulan once it was first submitted, never a draft.
    tenancy_jf_since = "diajukan_at"

    nomor = models.CharField(_("nomor usulan"), max_length=24, unique=True, default=usulan_nomor, editable=False)
    jenis = models.CharField(
        _("jenis usulan"), max_length=20, choices=[(j.value, JENIS_LABELS[j]) for j in Jenis],
        default=Jenis.PENYESUAIAN.value,
    )  # fmt: skip
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="usulan")
    #: For a kenaikan jenjang: the holder's record (apps.jabatan); the SK moves its jenjang and TMT.
    pejabat = models.ForeignKey(
        "jabatan.PejabatFungsional", verbose_name=_("pejabat fungsional"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="usulan_kenaikan",
    )  # fmt: skip
    # Copied from the pegawai: the pembina searches and lists by them without reading Pegawai
    # (which stays the instansi's own; the pembina sees the snapshot in ``data_pegawai``).
    pegawai_nip = models.CharField(_("NIP"), max_length=18, db_index=True)
    pegawai_nama = models.CharField(_("nama pegawai"), max_length=150)
    jf = models.ForeignKey(
        "referensi.JabatanFungsional", verbose_name=_("jabatan fungsional"), on_delete=models.PROTECT
    )
    jenjang = models.ForeignKey(
        "referensi.Jenjang", verbose_name=_("jenjang"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=USULAN_STATUS_CHOICES,
        default=Status.DRAFT,
    )
    formasi = models.ForeignKey(Formasi, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan")
    # The pegawai's data and the eligibility outcome as last submitted: what the pembina reviews.
    data_pegawai = models.JSONField(default=dict, blank=True)
    eligibilitas = models.JSONField(default=list, blank=True)
    ak_awal = models.DecimalField(_("AK awal"), max_digits=8, decimal_places=3, null=True, blank=True)
    # Where ak_awal comes from (seed 004: nilai tabel penyesuaian + AK Dasar): the two values and
    # the reference rows they were read from. Whether a row is verified is read from the row
    # itself, so confirming it takes effect at once; correcting it recomputes ak_awal.
    ak_nilai_tabel = models.DecimalField(
        _("nilai tabel penyesuaian"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    ak_dasar = models.DecimalField(_("AK dasar"), max_digits=8, decimal_places=3, null=True, blank=True)
    ak_tabel_ref = models.ForeignKey(
        "referensi.NilaiPenyesuaianAK", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ak_dasar_ref = models.ForeignKey(
        "referensi.AKDasar", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    masa_kerja_pangkat = models.PositiveSmallIntegerField(null=True, blank=True)
    masa_kerja_bulan = models.PositiveSmallIntegerField(
        _("masa kerja dalam pangkat (bulan, tidak dibatasi)"), null=True, blank=True
    )
    #: The day the masa kerja above was counted to (the submission that computed the AK awal);
    #: the PAK states it ("dihitung sampai dengan …").
    masa_kerja_per = models.DateField(_("masa kerja dihitung sampai dengan"), null=True, blank=True)
    #: Who signs this usulan's PAK, as the JF ruled when it was (last) submitted: the documents it
    #: was submitted with follow that rule (a PAK signed by the atasan langsung attached, or none),
    #: so the SK, its corrections and the PAK issued with it read this, never the JF's current
    #: setting (issue 13: a later change of the JF must not issue a second PAK or rewrite KETIGA).
    pak_penandatangan = models.CharField(
        _("penanda tangan PAK saat diajukan"), max_length=20, choices=PakPenandatangan.choices, blank=True
    )
    #: Set when a recompute of the AK awal (``services.usulan_ak_hitung_ulang``) changed the AK of an
    #: usulan submitted with a PAK signed by the atasan langsung: the attached PAK states the old AK,
    #: so the PIC uploads a new one and the SK is refused until then (cleared by that upload).
    pak_unggah_ulang_sejak = models.DateTimeField(_("PAK perlu diunggah ulang sejak"), null=True, blank=True)
    #: The PAK uploaded again after such a recompute (``services.dokumen_upload``): the verifier's,
    #: rekomendasi and PPK pages show it with its date, uploader and a link so that a person checks
    #: that it states the new AK (the portal reads no PDF text).
    pak_ulang = models.ForeignKey(
        "Dokumen", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("PAK yang diunggah ulang"),
    )  # fmt: skip
    # The PPK's surat pengantar of the usulan (seed 000, domain.md §9), entered by the PIC at submission.
    pengantar_nomor = models.CharField(_("nomor surat pengantar"), max_length=100, blank=True)
    pengantar_tanggal = models.DateField(_("tanggal surat pengantar"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Seleksi administrasi: who reviews it, and the deadline of a requested perbaikan.
    verifikator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="usulan_diverifikasi"
    )
    tenggat_perbaikan = models.DateField(_("tenggat perbaikan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    diajukan_at = models.DateTimeField(_("tanggal diajukan"), null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Legal hold (UU 27/2022 PDP, retention): while set, the retention job and an erasure on
    # request leave this record and everything that hangs on it untouched.
    tahan_hukum = models.BooleanField(_("ditahan untuk keperluan hukum"), default=False)
    dianonimkan_at = models.DateTimeField(_("dianonimkan pada"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One live usulan per pegawai per JF: a double click never makes two.
            models.UniqueConstraint(
                fields=["pegawai", "jf"],
                condition=~models.Q(status__in=sorted(s.value for s in SELESAI)),
                name="usulan_satu_aktif_per_pegawai_jf",
            )
        ]
        indexes = [
            models.Index(fields=["instansi", "status", "-updated_at"], name="usulan_instansi_status_idx"),
            models.Index(fields=["jf", "status", "diajukan_at", "id"], name="usulan_jf_status_idx"),
            # The verifier inbox: submitted usulan of a JF in keyset order (diajukan_at, id).
            models.Index(
                fields=["jf", "diajukan_at", "id"], name="usulan_inbox_idx", condition=~models.Q(status="draft")
            ),
            # The dashboard's "waiting longest for the pembina" list: walked in time order and
            # filtered by JF (one or all of a pembina's JFs), it stops after the first rows.
            models.Index(
                fields=["status_changed_at", "id"],
                name="usulan_menunggu_idx",
                condition=models.Q(status__in=["diajukan", "lulus", "lulus_administrasi", "penilaian", "verifikasi"]),
            ),
            # The recap's "perbaikan past its deadline" count: only the perbaikan rows, by JF and
            # deadline, so the count reads the overdue entries alone instead of filtering every
            # perbaikan row of the JF; the columns the row-level security policy reads are
            # included, so the count can be an index-only scan (no visit to the table).
            models.Index(
                fields=["jf", "tenggat_perbaikan"],
                include=["instansi", "diajukan_at"],
                name="usulan_perbaikan_tenggat_idx",
                condition=models.Q(status="perbaikan"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomor} — {self.pegawai.nama}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]

    @property
    def sk_koreksi_menunggu_ttd(self) -> bool:
        """ "SK terbit", and the SK in force is a correction not signed yet (its earlier version
        was signed). The status stays "SK terbit" — the decision and the holder's record stand —
        and the pages and the API show this flag beside it until the correction is signed
        (electronically or by the scan fallback). Read from ``koreksi_sk_anotasi`` when the list
        was annotated (``apps.surat.selectors.dengan_koreksi_sk``), else one query."""
        if self.status != Status.SK_TERBIT:
            return False
        if hasattr(self, "koreksi_sk_anotasi"):
            return bool(self.koreksi_sk_anotasi)
        from apps.surat.selectors import dengan_koreksi_sk

        baris = dengan_koreksi_sk(type(self).objects.filter(pk=self.pk)).values_list("koreksi_sk_anotasi", flat=True)
        self.koreksi_sk_anotasi = bool(baris.first())
        return self.koreksi_sk_anotasi

    @property
    def kenaikan_jenjang(self) -> bool:
        return self.jenis == Jenis.KENAIKAN_JENJANG

    @property
    def pak_bersama_sk(self) -> bool:
        """Issuing this usulan's SK issues its PAK too: a penyesuaian whose PAK, by the rule it was
        submitted under, the SK's signer signs. A kenaikan jenjang changes no AK and has no PAK."""
        if self.kenaikan_jenjang:
            return False
        # Never submitted (no snapshot): the JF's rule is the one it would be submitted under.
        aturan = self.pak_penandatangan or self.jf.pak_penandatangan
        return aturan == PakPenandatangan.PEJABAT_SK

    @property
    def dapat_diubah(self) -> bool:
        return self.status in DAPAT_DIUBAH_PIC

    @property
    def tanggal_lahir_pegawai(self):
        """The birth date the age rules read: the snapshot's, else the NIP's (as the letters do)."""
        from datetime import date

        from apps.referensi import domain as rules

        lahir = (self.data_pegawai or {}).get("tanggal_lahir")
        if lahir:
            return date.fromisoformat(lahir)
        try:
            return rules.parse_nip(self.pegawai_nip).tanggal_lahir
        except ValueError:
            return None

    @property
    def tmt_paling_lambat(self):
        """The last TMT pengangkatan on which the JF's max-age rule (read as the JF configures it)
        and the jenjang's BUP still pass (needs ``jf`` and ``jenjang`` loaded). None: no birth date."""
        from apps.referensi import domain as rules

        lahir = self.tanggal_lahir_pegawai
        if lahir is None or self.jf_id is None:
            return None
        # A kenaikan jenjang answers to the batas usia pensiun only (not the appointment's max age).
        return rules.tmt_paling_lambat(
            lahir, usia_maks=None if self.kenaikan_jenjang else self.jf.usia_maks, tafsir=self.jf.usia_tafsir,
            batas_usia_pensiun=self.jenjang.batas_usia_pensiun if self.jenjang_id else None,
        )  # fmt: skip

    def peringatan_tmt(self, on=None) -> str:
        """A warning when the last possible TMT is near (within ``PERINGATAN_TMT_HARI`` of ``on``,
        today by default: the usual time from submission to the SK) or already past. Empty: none."""
        if self.kenaikan_jenjang or self.status in SELESAI:
            return ""
        terakhir = self.tmt_paling_lambat
        if terakhir is None:
            return ""
        on = on or timezone.localdate()
        if terakhir < on:
            return str(
                _("TMT pengangkatan paling lambat %(t)s sudah lewat: batas usia jabatan atau batas usia pensiun "
                  "tidak lagi terpenuhi, sehingga rekomendasi dan SK akan ditolak.")
            ) % {"t": tgl(terakhir)}  # fmt: skip
        if (terakhir - on).days <= PERINGATAN_TMT_HARI:
            return str(
                _("TMT pengangkatan paling lambat %(t)s, tinggal %(n)d hari lagi: rekomendasi dan SK harus "
                  "diterbitkan dengan TMT paling lambat tanggal itu, atau pengangkatan ditolak karena batas usia.")
            ) % {"t": tgl(terakhir), "n": (terakhir - on).days}  # fmt: skip
        return ""

    @property
    def ak_menurut_tabel(self):
        """The AK awal the reference rows under it give today (needs ``ak_tabel_ref`` and
        ``ak_dasar_ref`` loaded). None without both rows."""
        from apps.referensi import domain as rules

        if self.ak_tabel_ref is None or self.ak_dasar_ref is None:
            return None
        return rules.angka_kredit_penyesuaian(self.ak_tabel_ref.nilai, self.ak_dasar_ref.nilai)

    @property
    def ak_beda_rekomendasi(self):
        """The AK awal the table gives today where a row changed after the rekomendasi was issued:
        the usulan keeps the rekomendasi's AK (``services.usulan_ak_hitung_ulang`` leaves it), the
        SK and PAK are refused until the rekomendasi is corrected (issue 13). None when they agree
        or the usulan is not waiting for its SK (needs the two rows loaded)."""
        if self.status != Status.DIREKOMENDASIKAN or self.kenaikan_jenjang or self.ak_awal is None:
            return None
        baru = self.ak_menurut_tabel
        return baru if baru is not None and baru != self.ak_awal else None

    def ak_baris_belum_terverifikasi(self) -> list:
        """The reference rows under ak_awal that are not verified (needs ``ak_tabel_ref`` and
        ``ak_dasar_ref`` loaded). An AK without a recorded row counts as unverified."""
        if self.ak_awal is None:
            return []
        return [row for row in (self.ak_tabel_ref, self.ak_dasar_ref) if row is None or not row.terverifikasi]


def dokumen_upload_to(instance: Dokumen, filename: str) -> str:
    """Storage names are ours, never the uploader's: instansi/year/uuid.ext."""
    ext = instance.ekstensi or "bin"
    return f"dokumen/{instance.instansi_id}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"


class Dokumen(TenantModel):
    """One version of an uploaded document: per usulan (portfolio) or per instansi (formasi).

    A re-upload adds a version; nothing is overwritten or deleted. The pembina's staff see a
    version only once it went with a submission (``diserahkan_at``): never a draft's documents,
    nor a version uploaded during perbaikan before the usulan is submitted again."""

    tenancy_jf_path = "jf"
    tenancy_jf_since = "diserahkan_at"

    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    persyaratan = models.ForeignKey("referensi.PersyaratanDokumen", on_delete=models.PROTECT, related_name="+")
    usulan = models.ForeignKey(Usulan, null=True, blank=True, on_delete=models.PROTECT, related_name="dokumen")
    versi = models.PositiveSmallIntegerField(_("versi"))
    #: Stored files and their sha256 fields, checked by ``manage.py cadangan periksa``.
    berkas_sidik = {"berkas": "sha256"}

    berkas = models.FileField(_("berkas"), upload_to=dokumen_upload_to, max_length=200)
    nama_asli = models.CharField(_("nama berkas asli"), max_length=255)
    ekstensi = models.CharField(max_length=10)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    jumlah_halaman = models.PositiveIntegerField(null=True, blank=True)
    #: A letter's own number and date, as the PIC types them with the file: the PAK signed by the
    #: atasan langsung (the SK cites it by number and date, like the PAK it issues itself).
    nomor_surat = models.CharField(_("nomor surat"), max_length=100, blank=True)
    tanggal_surat = models.DateField(_("tanggal surat"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When this version went to the pembina with a submission (services.usulan_ajukan); NULL until then.
    diserahkan_at = models.DateTimeField(_("diserahkan ke pembina"), null=True, blank=True, editable=False)
    #: The file was removed by the retention schedule (the row stays: reviews refer to it).
    dihapus_at = models.DateTimeField(_("berkas dihapus pada"), null=True, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["persyaratan__urutan", "-versi"]
        constraints = [
            models.UniqueConstraint(
                fields=["usulan", "persyaratan", "versi"],
                condition=models.Q(usulan__isnull=False),
                name="dokumen_versi_unique_per_usulan",
            ),
            models.UniqueConstraint(
                fields=["instansi", "persyaratan", "versi"],
                condition=models.Q(usulan__isnull=True),
                name="dokumen_versi_unique_per_instansi",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama_asli} (v{self.versi})"

    def keterangan_berkas(self) -> str:
        """What this file is, for a refusal that names it (apps.surat.services.salinan_ttd_unik)."""
        if self.usulan_id:
            return _('dokumen persyaratan "%(d)s" sebuah usulan') % {"d": self.persyaratan.nama}
        return _('dokumen instansi "%(d)s"') % {"d": self.persyaratan.nama}
