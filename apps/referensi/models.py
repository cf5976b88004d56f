"""Reference data of the jabatan fungsional: editable by the JF's admin pembina, audited.

Not tenant-owned: every logged-in role reads it (what a PIC reads before proposing anyone)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.referensi.domain import Pendidikan, Predikat, Status, TafsirUsia


class Golongan(models.Model):
    """Pangkat/golongan ruang II/a … IV/e (national)."""

    kode = models.CharField(_("golongan"), max_length=6, unique=True)
    pangkat = models.CharField(_("pangkat"), max_length=60)
    urutan = models.PositiveSmallIntegerField(_("urutan"), unique=True)

    class Meta:
        verbose_name = _("golongan")
        verbose_name_plural = _("golongan")
        ordering = ["urutan"]

    def __str__(self) -> str:
        return f"{self.pangkat} ({self.kode})"


class Kategori(models.TextChoices):
    KEAHLIAN = "keahlian", _("Keahlian")
    KETERAMPILAN = "keterampilan", _("Keterampilan")


class PendidikanChoices(models.TextChoices):
    SLTA = Pendidikan.SLTA, _("SLTA/sederajat")
    D3 = Pendidikan.D3, _("Diploma III")
    S1 = Pendidikan.S1, _("Sarjana (S1) / Diploma IV")
    S2 = Pendidikan.S2, _("Magister (S2)")
    S3 = Pendidikan.S3, _("Doktor (S3)")


def peraturan_teks(p: dict) -> str:
    """{"jenis", "nomor", "tahun", "judul"} → "Peraturan ... Nomor 10 Tahun 2023 tentang ..."."""
    teks = f"{p.get('jenis', '').strip()} Nomor {p.get('nomor', '')} Tahun {p.get('tahun', '')}"
    judul = (p.get("judul") or "").strip()
    return f"{teks} tentang {judul}" if judul else teks


class PakPenandatangan(models.TextChoices):
    """Who signs the penetapan angka kredit of a penyesuaian, per JF."""

    # Peraturan BKN 3/2023 as its technical guide explains (seed 004): "Penetapan Angka Kredit yang telah
    # ditandatangani oleh atasan langsung" is attached to the usulan, so it is signed before the SK.
    ATASAN_LANGSUNG = "atasan_langsung", _("Atasan langsung, sebelum usulan diajukan (dokumen usulan)")
    PEJABAT_SK = "pejabat_sk", _("Pejabat yang menetapkan SK, diterbitkan bersama SK")


class MasaPengajuan(NamedTuple):
    buka: date
    tutup: date

    def terbuka(self, on: date) -> bool:
        return self.buka <= on <= self.tutup


class PredikatChoices(models.TextChoices):
    SANGAT_BAIK = Predikat.SANGAT_BAIK, _("Sangat Baik")
    BAIK = Predikat.BAIK, _("Baik")
    BUTUH_PERBAIKAN = Predikat.BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = Predikat.KURANG, _("Kurang")
    SANGAT_KURANG = Predikat.SANGAT_KURANG, _("Sangat Kurang")


class JabatanFungsional(models.Model):
    kode = models.SlugField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama"), max_length=120, unique=True)
    kategori = models.CharField(_("kategori"), max_length=15, choices=Kategori.choices)
    instansi_pembina = models.ForeignKey(
        "core.Instansi",
        verbose_name=_("instansi pembina"),
        on_delete=models.PROTECT,
        related_name="jf_dibina",
        limit_choices_to={"is_pembina": True},
    )
    unit_pembina = models.CharField(_("unit pembina"), max_length=120, blank=True)
    deskripsi = models.TextField(_("deskripsi"), blank=True)
    dasar_hukum = models.JSONField(_("dasar hukum"), default=list, blank=True)
    # The JF's own regulations, cited in the SK's "mengingat" (domain.md §4a), as data: each
    # {"jenis": "Peraturan Menteri ...", "nomor": "10", "tahun": 2023, "judul": "...", "status": "V"|"V2"|"U",
    #  "status_judul": the title's own status where it differs from the regulation's (optional)}.
    peraturan = models.JSONField(_("peraturan JF (untuk konsiderans SK)"), default=list, blank=True)
    periksa_peraturan = models.TextField(
        _("ketentuan yang belum terverifikasi"), blank=True,
        help_text=_("Ditampilkan sebagai peringatan di halaman JF sampai admin pembina mengosongkannya."),
    )  # fmt: skip
    sistem_informasi = models.CharField(
        _("nama sistem informasi pengusulan"), max_length=120, blank=True,
        help_text=_("Dicetak pada surat rekomendasi; kosong: \"sistem informasi inpassing\"."),
    )  # fmt: skip
    jendela_buka = models.DateField(_("pengajuan dibuka"))
    jendela_tutup = models.DateField(_("pengajuan ditutup"))
    # Rule parameters (domain.md §3), per JF.
    usia_maks = models.PositiveSmallIntegerField(
        _("usia maksimal saat pengangkatan"), validators=[MinValueValidator(18), MaxValueValidator(65)]
    )
    usia_tafsir = models.CharField(
        _("cara membaca batas usia"),
        max_length=12,
        choices=[
            (
                TafsirUsia.USIA_GENAP.value,
                _("Maksimal berusia N tahun pada saat pengangkatan (sebelum ulang tahun ke-N+1)"),
            ),
            (TafsirUsia.ULANG_TAHUN.value, _("Belum melewati ulang tahun ke-N pada TMT")),
        ],
        default=TafsirUsia.USIA_GENAP.value,
        help_text=_("Diperiksa pada TMT pengangkatan: saat pengajuan, rekomendasi, dan penerbitan SK."),
    )
    # The citations are free text: the form shows each with its document named in full (apps.core.sumber.
    # kutipan), longer than a short column allowed for the seeded ones (fresh-eye walk, issue 13).
    sumber_usia = models.TextField(_("sumber ketentuan usia"), blank=True)
    pengalaman_min_tahun = models.PositiveSmallIntegerField(
        _("pengalaman minimal (tahun)"), validators=[MaxValueValidator(20)]
    )
    sumber_pengalaman = models.TextField(_("sumber ketentuan pengalaman"), blank=True)
    predikat_min = models.CharField(_("predikat kinerja minimal"), max_length=20, choices=PredikatChoices.choices)
    predikat_tahun = models.PositiveSmallIntegerField(
        _("predikat dinilai selama (tahun terakhir)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    sumber_kinerja = models.TextField(_("sumber ketentuan kinerja"), blank=True)
    disiplin_tahun = models.PositiveSmallIntegerField(
        _("bebas hukuman disiplin sedang/berat (tahun terakhir)"), validators=[MaxValueValidator(10)]
    )
    sumber_disiplin = models.TextField(_("sumber ketentuan disiplin"), blank=True)
    kinerja_disiplin_status = models.CharField(
        _("predikat di bawah minimal atau hukuman disiplin sedang/berat"),
        max_length=10,
        choices=[
            (Status.FAILED.value, _("Tidak memenuhi syarat (usulan tidak dapat diajukan)")),
            (Status.REVIEW.value, _("Perlu ditinjau verifikator")),
        ],
        default=Status.FAILED.value,
    )
    pak_penandatangan = models.CharField(
        _("penanda tangan penetapan angka kredit (PAK)"),
        max_length=20,
        choices=PakPenandatangan.choices,
        default=PakPenandatangan.ATASAN_LANGSUNG,
        help_text=_(
            "Peraturan BKN Nomor 3 Tahun 2023 (panduan teknis BKN): pada penyesuaian, PAK ditandatangani atasan "
            "langsung dan dilampirkan pada usulan, sebelum SK."
        ),
    )
    # Who receives a copy of the PAK (seed 001 Bab IV E.3), as data per JF with where it comes from.
    # Each line may name "{pembina}", "{unit_pembina}" and "{instansi}" (the PAK's instansi).
    tembusan_pak = models.JSONField(_("tembusan PAK"), default=list, blank=True)
    sumber_tembusan_pak = models.CharField(_("sumber tembusan PAK"), max_length=300, blank=True)
    ekstensi_berkas = models.JSONField(_("jenis berkas yang diizinkan"), default=list)
    ukuran_berkas_maks = models.PositiveIntegerField(
        _("ukuran berkas maksimal (byte)"),
        validators=[MinValueValidator(10 * 1024), MaxValueValidator(50 * 1024**2)],
    )
    penilai_boleh_instansi_sendiri = models.BooleanField(
        _("penilai boleh menilai usulan instansinya sendiri"), default=False
    )
    # After the SK (apps.penetapan): who submits the usulan penetapan angka kredit. Off: the
    # instansi's PIC only; on: the holder too, for their own record.
    pejabat_boleh_mengajukan_ak = models.BooleanField(
        _("pejabat fungsional boleh mengajukan sendiri usulan penetapan angka kredit"),
        default=False,
        help_text=_(
            "Bila aktif, pejabat fungsional dapat membuat, melengkapi dan mengajukan sendiri usulan penetapan "
            "angka kreditnya (DUPAK online); PIC instansi tetap dapat mengajukan. Contoh: Rancangan Peraturan "
            "Kepala LAN tentang Tata Kerja Tim Penilai JFAK, Bab IV B (DUPAK online diisi oleh JFAK)."
        ),
    )
    perbaikan_hari = models.PositiveSmallIntegerField(
        _("tenggat perbaikan bawaan (hari)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    perbaikan_lewat_tenggat = models.CharField(
        _("bila tenggat perbaikan terlewat"),
        max_length=20,
        choices=[("tandai", _("Tandai terlambat; verifikator memutuskan")),
                 ("tidak_memenuhi", _("Otomatis tidak memenuhi syarat"))],
        default="tandai",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jabatan fungsional")
        verbose_name_plural = _("jabatan fungsional")
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    @property
    def nama_sistem(self) -> str:
        """The information system the JF's usulan go through, as letters and e-mails name it: the
        JF's configured name; without one, the portal's generic description."""
        return self.sistem_informasi.strip() or "sistem informasi inpassing"

    def clean(self) -> None:
        if self.jendela_buka and self.jendela_tutup and self.jendela_tutup < self.jendela_buka:
            raise ValidationError({"jendela_tutup": _("Tanggal tutup tidak boleh sebelum tanggal buka.")})
        bad = [e for e in self.ekstensi_berkas or [] if not str(e).isalnum()]
        if bad or not self.ekstensi_berkas:
            raise ValidationError({"ekstensi_berkas": _("Isi ekstensi berkas tanpa titik, misalnya: pdf.")})

    @property
    def usia_bacaan(self) -> str:
        """How the max-age rule is read, with this JF's number (checked at the appointment's TMT)."""
        if self.usia_tafsir == TafsirUsia.ULANG_TAHUN.value:
            return _("belum melewati ulang tahun ke-%(n)d pada TMT pengangkatan") % {"n": self.usia_maks}
        return _("maksimal berusia %(n)d tahun pada TMT pengangkatan (sebelum ulang tahun ke-%(m)d)") % {
            "n": self.usia_maks,
            "m": self.usia_maks + 1,
        }

    @property
    def tahap_pengajuan(self) -> Tahapan | None:
        """The JF's national "Pengajuan peserta" stage, if it has one (reads prefetched ``tahapan``)."""
        return next((t for t in self.tahapan.all() if t.kode == Tahapan.Kode.PENGAJUAN), None)

    @property
    def masa_pengajuan_dipersempit(self) -> bool:
        """The masa pengajuan is not the JF's own window: its pengajuan stage narrows it."""
        return self.masa_pengajuan != MasaPengajuan(self.jendela_buka, self.jendela_tutup)

    @property
    def masa_pengajuan(self) -> MasaPengajuan:
        """The one submission window every page shows and ``ajukan`` enforces: the JF's window
        narrowed to its national "Pengajuan peserta" stage when it has one (JF AKS: open 11
        December 2025 – 31 December 2026, pengajuan stage 5 January – 15 December 2026, so
        5 January – 15 December 2026). Reads the prefetched ``tahapan`` when there are."""
        tahap = self.tahap_pengajuan
        if tahap is None:
            return MasaPengajuan(self.jendela_buka, self.jendela_tutup)
        return MasaPengajuan(max(self.jendela_buka, tahap.mulai), min(self.jendela_tutup, tahap.selesai))

    def tembusan_pak_untuk(self, instansi_nama: str) -> list[str]:
        """The tembusan of the penyesuaian PAK (issued with the SK) for ``instansi_nama``,
        placeholders filled. A penyesuaian (inpassing) PAK has no Tim Penilai angka kredit, so a
        line naming it (as a list copied from the periodic PAK's did) is not printed (fresh-eye
        walk 1, L4); the periodic PAK of apps.penetapan keeps its own list."""
        nilai = {
            "pembina": self.instansi_pembina.nama,
            "unit_pembina": self.unit_pembina or self.instansi_pembina.nama,
            "instansi": instansi_nama,
        }
        return [str(t).format_map(nilai) for t in self.tembusan_pak or [] if "tim penilai" not in str(t).lower()]

    def peraturan_baris(self) -> list[dict]:
        """The JF's own regulations as the SK's "mengingat" prints them, each with whether a source
        confirms the regulation itself (status "V"; "V2"/"U" or none: belum terverifikasi), whether one
        confirms its title (``status_judul``, by default the status) and its source.
        An unverified one still prints (the SK must cite the JF's regulation); the PPK reads the flag
        before issuing and the JF page shows it."""
        return [
            {
                "teks": peraturan_teks(p), "terverifikasi": p.get("status") == "V", "sumber": p.get("sumber", ""),
                # The regulation can be confirmed (kind, number, year) while its title is not
                # (fresh-eye walk 1, M2): only the title is then flagged, and the PPK is not warned.
                "judul_terverifikasi": p.get("status_judul", p.get("status")) == "V" or not (p.get("judul") or ""),
                # The kinds of usulan whose SK cites it (empty: every SK), e.g. a juklak of the
                # penyesuaian is not cited by an SK kenaikan jenjang.
                "untuk": list(p.get("untuk") or []),
            }
            for p in self.peraturan or []
        ]  # fmt: skip

    @property
    def peraturan_belum_terverifikasi(self) -> list[dict]:
        return [p for p in self.peraturan_baris() if not p["terverifikasi"]]

    @property
    def tembusan_pak_belum_terverifikasi(self) -> bool:
        """The PAK's tembusan list is printed without its mark (a letter carries no internal notes):
        it is unverified when its source says so, or names none."""
        from apps.core.sumber import BELUM, kutipan

        return bool(self.tembusan_pak) and (
            not self.sumber_tembusan_pak.strip() or BELUM in kutipan(self.sumber_tembusan_pak).lower()
        )

    @property
    def ukuran_berkas_maks_mb(self) -> Decimal:
        return (Decimal(self.ukuran_berkas_maks) / 1024 / 1024).quantize(Decimal("0.1"))


class Tahapan(models.Model):
    """A national stage of the JF's inpassing schedule (seed 000)."""

    class Kode(models.TextChoices):
        PENUNJUKAN_PIC = "penunjukan_pic", _("Penunjukan PIC")
        BIMTEK = "bimtek", _("Bimbingan teknis")
        PENGAJUAN = "pengajuan", _("Pengajuan peserta")
        VERIFIKASI = "verifikasi", _("Verifikasi berkas")
        FINALISASI = "finalisasi", _("Finalisasi data nasional")

    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="tahapan")
    kode = models.CharField(_("tahapan"), max_length=20, choices=Kode.choices)
    mulai = models.DateField(_("mulai"))
    selesai = models.DateField(_("selesai"))
    urutan = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        ordering = ["jf", "urutan", "mulai"]
        constraints = [models.UniqueConstraint(fields=["jf", "kode"], name="tahapan_unique_per_jf")]

    def __str__(self) -> str:
        from apps.core.format import tgl

        return f"{self.get_kode_display()} ({tgl(self.mulai)} – {tgl(self.selesai)})"

    def clean(self) -> None:
        if self.mulai and self.selesai and self.selesai < self.mulai:
            raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})


class Jenjang(models.Model):
    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="jenjang")
    kode = models.SlugField(_("kode"), max_length=30)
    nama = models.CharField(_("nama jenjang"), max_length=60)
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    golongan_min = models.ForeignKey(
        Golongan, verbose_name=_("golongan terendah"), on_delete=models.PROTECT, related_name="+"
    )
    golongan_maks = models.ForeignKey(
        Golongan, verbose_name=_("golongan tertinggi"), on_delete=models.PROTECT, related_name="+"
    )
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"), validators=[MaxValueValidator(17)])
    koefisien_ak = models.DecimalField(_("koefisien AK per tahun"), max_digits=6, decimal_places=3)
    ak_kumulatif_pangkat = models.DecimalField(_("AK kumulatif kenaikan pangkat"), max_digits=7, decimal_places=3)
    ak_kumulatif_jenjang = models.DecimalField(
        _("AK kumulatif kenaikan jenjang"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    pendidikan_min = models.CharField(_("pendidikan minimal"), max_length=5, choices=PendidikanChoices.choices)
    batas_usia_pensiun = models.PositiveSmallIntegerField(_("batas usia pensiun"))
    ikhtisar = models.TextField(_("ikhtisar jabatan"), blank=True)
    catatan_sumber = models.CharField(_("sumber"), max_length=250, blank=True)
    # Persyaratan jabatan of the standar kompetensi (seed 002): pangkat, pendidikan, pelatihan,
    # pengalaman, indikator kinerja, as transcribed in apps/referensi/data/persyaratan_*.yaml.
    persyaratan = models.JSONField(_("persyaratan jabatan"), default=dict, blank=True)
    # Koefisien and the AK kumulatif thresholds are angka kredit data (domain.md §4): shown as
    # "belum terverifikasi" until the JF's admin pembina confirms them against the regulation.
    ak_terverifikasi = models.BooleanField(_("koefisien dan AK kumulatif terverifikasi"), default=False)
    ak_sumber = models.CharField(_("sumber koefisien dan AK kumulatif"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("jenjang")
        verbose_name_plural = _("jenjang")
        ordering = ["jf", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["jf", "kode"], name="jenjang_kode_unique_per_jf"),
            models.UniqueConstraint(fields=["jf", "urutan"], name="jenjang_urutan_unique_per_jf"),
        ]

    def __str__(self) -> str:
        return f"{self.jf.nama} {self.nama}"

    def clean(self) -> None:
        if self.golongan_min_id and self.golongan_maks_id and self.golongan_maks.urutan < self.golongan_min.urutan:
            raise ValidationError({"golongan_maks": _("Golongan tertinggi lebih rendah dari golongan terendah.")})

    @property
    def golongan_label(self) -> str:
        if self.golongan_min_id == self.golongan_maks_id:
            return self.golongan_min.kode
        return f"{self.golongan_min.kode} – {self.golongan_maks.kode}"

    @property
    def pangkat_label(self) -> str:
        """The jenjang's pangkat/golongan with the pangkat's name: "III/a (Penata Muda) – III/b
        (Penata Muda Tingkat I)"."""
        ujung = [self.golongan_min] if self.golongan_min_id == self.golongan_maks_id else [
            self.golongan_min, self.golongan_maks]  # fmt: skip
        return " – ".join(f"{g.kode} ({g.pangkat})" for g in ujung)


class PersyaratanDokumenQuerySet(models.QuerySet):
    def untuk_usulan(self, jf, jenis: str):
        """The JF's document list for an usulan of ``jenis`` (apps.pengusulan.domain.Jenis): its
        per-usulan rows of that type and, for a penyesuaian only, the instansi's rows (the formasi
        documents: peta jabatan, rencana kebutuhan, penetapan formasi…). A kenaikan jenjang uses
        no formasi (docs/panduan-angka-kredit.md §7), so it asks for none of them."""
        if jenis == PersyaratanDokumen.JenisUsulan.PENYESUAIAN:
            return self.filter(jf=jf).filter(Q(level=PersyaratanDokumen.Level.INSTANSI) | Q(jenis_usulan=jenis))
        return self.filter(jf=jf, level=PersyaratanDokumen.Level.USULAN, jenis_usulan=jenis)


class PersyaratanDokumen(models.Model):
    """One document of a JF's checklist. A per-usulan document belongs to one type of usulan
    (``jenis_usulan``): the penyesuaian (inpassing) asks for SK CPNS/PNS, ijazah…; the kenaikan
    jenjang for the last PAK, SK jabatan and pangkat terakhir and the predikat kinerja (seed 004,
    promosi; seed 001 BAB IV B). The instansi's documents are shared by every type."""

    class Level(models.TextChoices):
        USULAN = "usulan", _("Per usulan (pegawai)")
        INSTANSI = "instansi", _("Per instansi")

    class JenisUsulan(models.TextChoices):
        # The values of apps.pengusulan.domain.Jenis.
        PENYESUAIAN = "penyesuaian", _("Penyesuaian (inpassing)")
        KENAIKAN_JENJANG = "kenaikan_jenjang", _("Kenaikan jenjang")

    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="persyaratan_dokumen")
    kode = models.SlugField(_("kode"), max_length=40)
    nama = models.CharField(_("nama dokumen"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    jenis_usulan = models.CharField(
        _("jenis usulan"),
        max_length=20,
        choices=JenisUsulan.choices,
        default=JenisUsulan.PENYESUAIAN,
        help_text=_(
            "Untuk dokumen per usulan: jenis usulan yang memintanya (dokumen per instansi berlaku untuk semua)."
        ),
    )
    wajib = models.BooleanField(_("wajib"), default=True)
    deskripsi = models.TextField(_("keterangan untuk PIC"), blank=True)
    urutan = models.PositiveSmallIntegerField(default=0)

    objects = PersyaratanDokumenQuerySet.as_manager()

    class Meta:
        verbose_name = _("persyaratan dokumen")
        verbose_name_plural = _("persyaratan dokumen")
        ordering = ["jf", "level", "urutan", "id"]
        constraints = [models.UniqueConstraint(fields=["jf", "kode"], name="dokumen_kode_unique_per_jf")]

    def __str__(self) -> str:
        return self.nama


class Kompetensi(models.Model):
    """One competency of the standar kompetensi of a jenjang (seed 002)."""

    class Jenis(models.TextChoices):
        MANAJERIAL = "manajerial", _("Manajerial")
        SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")
        TEKNIS = "teknis", _("Teknis")

    jenjang = models.ForeignKey(Jenjang, on_delete=models.CASCADE, related_name="kompetensi")
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    nomor = models.PositiveSmallIntegerField(_("nomor"))
    nama = models.CharField(_("kompetensi"), max_length=150)
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    deskripsi = models.TextField(_("deskripsi"))
    indikator = models.JSONField(_("indikator kompetensi"), default=list)
    # A doubt about the transcription ("belum terverifikasi: …"), shown next to the competency.
    catatan = models.TextField(_("catatan sumber"), blank=True)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        # The SKJ lists Manajerial, Sosial kultural, Teknis (the choices' alphabetical order) and
        # numbers each type from 1.
        ordering = ["jenjang", "jenis", "nomor"]
        constraints = [
            models.UniqueConstraint(fields=["jenjang", "jenis", "nomor"], name="kompetensi_nomor_unique_per_jenis")
        ]

    def __str__(self) -> str:
        return f"{self.nomor}. {self.nama} (level {self.level})"

    def nomor_dipakai(self) -> str:
        """The message for a number another competency of the same type and jenjang already has."""
        return _(
            "Nomor %(nomor)s sudah dipakai kompetensi %(jenis)s lain di jenjang %(jenjang)s; "
            "penomoran dimulai dari 1 untuk setiap jenis kompetensi."
        ) % {"nomor": self.nomor, "jenis": self.get_jenis_display().lower(), "jenjang": self.jenjang.nama}

    def unique_error_message(self, model_class, unique_check):
        # Django's own text for a repeated (jenjang, jenis, nomor) is mistranslated in Indonesian
        # ("… ini tidak ada."): say what is wrong.
        if set(unique_check) == {"jenjang", "jenis", "nomor"}:
            return ValidationError(self.nomor_dipakai(), code="unique_together")
        return super().unique_error_message(model_class, unique_check)


class DataAngkaKredit(models.Model):
    """An angka kredit value from a regulation we hold only in part: unverified until an admin
    pembina confirms it against the source (domain.md §4 [U])."""

    terverifikasi = models.BooleanField(_("terverifikasi"), default=False)
    diverifikasi_oleh = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diverifikasi_pada = models.DateTimeField(null=True, blank=True)
    sumber = models.CharField(_("sumber"), max_length=250, blank=True)

    class Meta:
        abstract = True


class NilaiPenyesuaianAK(DataAngkaKredit):
    """A row of the penyesuaian table (PerBKN 3/2023 Lampiran II angka 5) of one JF — unverified
    until that JF's admin pembina confirms it (domain.md §4 [U]). Each JF owns its rows: a
    correction by one JF's admin pembina never changes another JF's usulan."""

    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="nilai_penyesuaian_ak")
    golongan = models.ForeignKey(Golongan, on_delete=models.PROTECT, related_name="+")
    masa_kerja = models.PositiveSmallIntegerField(
        _("masa kerja dalam pangkat (tahun)"), validators=[MaxValueValidator(4)]
    )
    pendidikan = models.CharField(_("pendidikan"), max_length=5, choices=PendidikanChoices.choices)
    nilai = models.DecimalField(_("angka kredit"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("nilai tabel penyesuaian AK")
        verbose_name_plural = _("tabel penyesuaian AK")
        ordering = ["jf", "golongan__urutan", "pendidikan", "masa_kerja"]
        constraints = [
            models.UniqueConstraint(
                fields=["jf", "golongan", "masa_kerja", "pendidikan"], name="penyesuaian_ak_unique_per_jf"
            )
        ]

    def __str__(self) -> str:
        from apps.core.format import format_ak

        masa = f"{self.masa_kerja} tahun" if self.masa_kerja else "kurang dari 1 tahun"
        return f"{self.golongan.kode} / {masa} / {self.get_pendidikan_display()}: {format_ak(self.nilai)}"


class AKDasar(DataAngkaKredit):
    """AK Dasar per golongan of one JF (seed 004); every row ships unverified — III/d = 100 only from
    secondary material (domain.md §4 [V2]). Confirmed or corrected by that JF's admin pembina only."""

    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="ak_dasar")
    golongan = models.ForeignKey(Golongan, on_delete=models.PROTECT, related_name="+")
    nilai = models.DecimalField(_("AK dasar"), max_digits=7, decimal_places=3)

    class Meta:
        verbose_name = _("AK dasar")
        verbose_name_plural = _("AK dasar")
        ordering = ["jf", "golongan__urutan"]
        constraints = [models.UniqueConstraint(fields=["jf", "golongan"], name="ak_dasar_unique_per_jf")]

    def __str__(self) -> str:
        from apps.core.format import format_ak

        return f"{self.golongan.kode}: {format_ak(self.nilai)}"


class PersentasePredikat(DataAngkaKredit):
    """The percentage of the jenjang's koefisien a predikat kinerja earns, per JF (PerBKN 3/2023;
    domain.md §4 [V2]: not in the seeds, so unverified until the JF's admin pembina confirms it)."""

    jf = models.ForeignKey(JabatanFungsional, on_delete=models.CASCADE, related_name="persentase_predikat")
    predikat = models.CharField(_("predikat kinerja"), max_length=20, choices=PredikatChoices.choices)
    persen = models.DecimalField(
        _("persentase (%)"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(300))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("persentase predikat kinerja")
        verbose_name_plural = _("persentase predikat kinerja")
        ordering = ["jf", "-persen"]
        constraints = [models.UniqueConstraint(fields=["jf", "predikat"], name="persentase_predikat_unik_per_jf")]

    def __str__(self) -> str:
        from apps.core.format import format_angka

        return f"{self.get_predikat_display()}: {format_angka(self.persen)} %"
