"""The pejabat fungsional after the SK and the ledger of their angka kredit (issue 19).

``PejabatFungsional`` is the holder of a JF at an instansi (made when the SK is issued, or
imported for those who entered the JF before the portal). ``MutasiAK`` is the append-only ledger:
every movement (AK awal, konversi, koreksi, penetapan, kenaikan pangkat/jenjang) is a new row with
its source, and the database refuses UPDATE and DELETE (migration 0002's trigger)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantManager, TenantModel, TenantQuerySet
from apps.jabatan.domain import JENIS_LABELS, JenisMutasi
from apps.referensi.models import PredikatChoices

JENIS_CHOICES = [(j.value, JENIS_LABELS[j]) for j in JenisMutasi]


@dataclass(frozen=True)
class JenjangBerlaku:
    """A holder's jenjang in force today, with its kelas jabatan and TMT jabatan
    (``PejabatFungsional.jenjang_berlaku``)."""

    kode: str
    nama: str
    kelas_jabatan: int | None
    tmt_jabatan: date | None


class PejabatFungsional(TenantModel):
    """A holder of a JF at the instansi: jenjang, kelas jabatan, TMT, golongan with its TMT.

    Visible to the instansi and to the JF's pembina staff (``tenancy_jf_path``) — and to the holder
    through their own login (``tenancy_pejabat_path``; migration 0003's policy)."""

    tenancy_jf_path = "jf"
    tenancy_pejabat_path = "id"

    jf = models.ForeignKey(
        "referensi.JabatanFungsional", verbose_name=_("jabatan fungsional"), on_delete=models.PROTECT, related_name="+"
    )
    jenjang = models.ForeignKey(
        "referensi.Jenjang", verbose_name=_("jenjang"), on_delete=models.PROTECT, related_name="+"
    )
    pegawai = models.ForeignKey(
        "pengusulan.Pegawai", null=True, blank=True, on_delete=models.SET_NULL, related_name="jabatan_fungsional"
    )
    nip = models.CharField(_("NIP"), max_length=18)
    nama = models.CharField(_("nama"), max_length=150)
    kelas_jabatan = models.PositiveSmallIntegerField(_("kelas jabatan"), null=True, blank=True)
    tmt_jabatan = models.DateField(_("TMT jabatan"))
    golongan = models.ForeignKey(
        "referensi.Golongan", verbose_name=_("pangkat/golongan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    tmt_golongan = models.DateField(_("TMT pangkat/golongan"), null=True, blank=True)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    #: Printed with the birth date on the holder's letters ("Tempat, tanggal lahir"): from the
    #: pegawai's data at "SK terbit", or the holders import (issue 19 F11).
    tempat_lahir = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    unit_kerja = models.CharField(_("unit kerja"), max_length=200, blank=True)
    #: The login of the holder (the ``pejabat_fungsional`` role), once invited.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jabatan_fungsional"
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    #: The inpassing usulan that led here, and its SK (empty for an imported holder).
    usulan_asal = models.OneToOneField(
        "pengusulan.Usulan", null=True, blank=True, on_delete=models.SET_NULL, related_name="pejabat_fungsional"
    )
    sk_surat = models.ForeignKey(
        "surat.Surat", verbose_name=_("SK pengangkatan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    sumber = models.CharField(
        _("sumber data"), max_length=10, choices=[("sk", _("SK inpassing di portal")), ("impor", _("Impor"))],
        default="sk",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("pejabat fungsional")
        verbose_name_plural = _("pejabat fungsional")
        ordering = ["nama", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "nip", "jf"], name="pejabat_nip_unik_per_instansi_jf"),
            # One NIP is one person: one active record across every instansi and JF. The index is
            # global (RLS does not narrow a unique index); the services turn a violation into a
            # refusal (apps.jabatan.services.pesan_nip_aktif).
            models.UniqueConstraint(fields=["nip"], condition=models.Q(aktif=True), name="pejabat_nip_aktif_satu"),
        ]
        indexes = [models.Index(fields=["instansi", "jf", "jenjang"], name="pejabat_instansi_jf_idx")]

    @property
    def tanggal_lahir_aturan(self):
        """The birth date the age rules read: the one recorded, else the NIP's (None: neither)."""
        if self.tanggal_lahir:
            return self.tanggal_lahir
        from apps.referensi.domain import parse_nip

        try:
            return parse_nip(self.nip).tanggal_lahir
        except ValueError:
            return None

    @property
    def golongan_belum_berlaku(self) -> bool:
        """The golongan was recorded from an SK kenaikan pangkat whose TMT is still ahead: it takes
        effect on that date (the pages say so)."""
        from django.utils import timezone

        return bool(self.tmt_golongan and self.tmt_golongan > timezone.localdate())

    @cached_property
    def golongan_berlaku(self) -> tuple[str, object]:
        """(kode, TMT) of the pangkat/golongan in force today (issue 19 F7). An SK kenaikan pangkat
        whose TMT is still ahead is recorded at once (``golongan``, ``tmt_golongan``) but takes
        effect on that TMT: until then the golongan it rises from is in force, as the ledger's
        kenaikan row keeps it (``rincian`` dari_golongan, tmt_golongan_lama; the earliest such row
        still ahead). Read from the annotation of ``selectors.dengan_berlaku`` when the
        holder was fetched through it, else with one query. ("", None) when the ledger does not say."""
        if not self.golongan_belum_berlaku:
            return (self.golongan.kode if self.golongan_id else "", self.tmt_golongan)
        if hasattr(self, "gol_berlaku_kode"):
            kode, tmt = self.gol_berlaku_kode, self.gol_berlaku_tmt
        else:
            rincian = kenaikan_pangkat_mendatang(self.pk).values_list("rincian", flat=True).first() or {}
            kode, tmt = rincian.get("dari_golongan"), rincian.get("tmt_golongan_lama")
        return (kode or "", date.fromisoformat(tmt) if tmt else None)

    @property
    def golongan_terjadwal(self) -> tuple[str, object] | None:
        """(kode, TMT) of a golongan recorded from an SK kenaikan pangkat whose TMT is still ahead."""
        if not self.golongan_belum_berlaku:
            return None
        return (self.golongan.kode if self.golongan_id else "", self.tmt_golongan)

    @cached_property
    def _jenjang_naik(self) -> tuple[JenjangBerlaku, bool]:
        """(the jenjang in force today, whether the recorded one is still ahead). An SK kenaikan
        jenjang whose TMT is still ahead is recorded at once (``jenjang``, ``kelas_jabatan``,
        ``tmt_jabatan``) but takes effect on that TMT — ``golongan_berlaku``'s rule, for the
        jenjang: until then the jenjang it rises from is in force, as the ledger's latest kenaikan
        row keeps it (``rincian`` dari_jenjang_kode, kelas_jabatan_lama, tmt_jabatan_lama). The TMT
        is the record's: a corrected SK may have moved it past the row's own date (the ``koreksi``
        row carries the new one). Read from the annotation of ``selectors.dengan_berlaku`` when the
        holder was fetched through it, else with one query (only with a TMT jabatan ahead)."""
        from django.utils import timezone

        tercatat = JenjangBerlaku(self.jenjang.kode, self.jenjang.nama, self.kelas_jabatan, self.tmt_jabatan)
        if not (self.tmt_jabatan and self.tmt_jabatan > timezone.localdate()):
            return tercatat, False
        if hasattr(self, "jj_berlaku"):
            rincian = self.jj_berlaku
        else:
            rincian = kenaikan_jenjang_terakhir(self.pk).values_list("rincian", flat=True).first()
        if not rincian:  # no kenaikan jenjang recorded (an inpassing SK with its TMT ahead: no jenjang before it)
            return tercatat, False
        nama = rincian.get("dari_jenjang") or ""
        kode, kelas = rincian.get("dari_jenjang_kode"), rincian.get("kelas_jabatan_lama")
        if not kode:  # a row written before these were kept: the JF's jenjang of that name (its TMT unknown)
            from apps.referensi.models import Jenjang

            kode, kelas = Jenjang.objects.filter(jf_id=self.jf_id, nama=nama).values_list(
                "kode", "kelas_jabatan"
            ).first() or ("", None)
        tmt = rincian.get("tmt_jabatan_lama")
        return JenjangBerlaku(kode, nama, kelas, date.fromisoformat(tmt) if tmt else None), True

    @property
    def jenjang_berlaku(self) -> JenjangBerlaku:
        """The jenjang in force today, with its kelas jabatan and TMT jabatan."""
        return self._jenjang_naik[0]

    @property
    def jenjang_belum_berlaku(self) -> bool:
        """The jenjang was recorded from an SK kenaikan jenjang whose TMT is still ahead: it takes
        effect on that date (the pages say so)."""
        return self._jenjang_naik[1]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nip})"


#: The ledger is append-only; a changed predikat is a correction row, from the konversi's row on
#: the holder's page (``jabatan:koreksi_catat``).
PESAN_DIUBAH = _(
    "Mutasi angka kredit tidak dapat diubah; perubahan predikat dicatat dengan «Koreksi» di buku angka kredit."
)
PESAN_DIHAPUS = _(
    "Mutasi angka kredit tidak dapat dihapus; perubahan predikat dicatat dengan «Koreksi» di buku angka kredit."
)


def kenaikan_pangkat_mendatang(pejabat_id):
    """A holder's kenaikan pangkat rows whose TMT is still ahead, the earliest first: the first one's
    ``rincian`` says which golongan is in force until then (``PejabatFungsional.golongan_berlaku``;
    ``pejabat_id`` may be an ``OuterRef``, as in ``selectors.dengan_berlaku``)."""
    from django.utils import timezone

    return MutasiAK.objects.filter(
        pejabat_id=pejabat_id, jenis=JenisMutasi.KENAIKAN_PANGKAT.value, periode_mulai__gt=timezone.localdate()
    ).order_by("periode_mulai", "id")


def kenaikan_jenjang_terakhir(pejabat_id):
    """A holder's kenaikan jenjang rows, the latest first: while the record's TMT jabatan is ahead,
    the first one's ``rincian`` says which jenjang is in force until then
    (``PejabatFungsional.jenjang_berlaku``; ``pejabat_id`` may be an ``OuterRef``)."""
    return MutasiAK.objects.filter(pejabat_id=pejabat_id, jenis=JenisMutasi.KENAIKAN_JENJANG.value).order_by("-id")


def berkas_mutasi_upload_to(instance, filename: str) -> str:
    import uuid

    ext = (filename.rsplit(".", 1)[-1] if "." in filename else "pdf").lower()
    return f"jabatan/{instance.instansi_id}/{instance.pejabat_id}/{uuid.uuid4().hex}.{ext}"


class MutasiQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise ValidationError(PESAN_DIUBAH)

    def delete(self):
        raise ValidationError(PESAN_DIHAPUS)


class MutasiAK(TenantModel):
    """One movement of a holder's angka kredit. Append-only: a correction is a new row
    (``koreksi``, signed); the database refuses UPDATE and DELETE.

    ``rincian`` keeps the breakdown and provenance, e.g. for the AK awal the SK's table value and
    AK Dasar with the reference rows they came from and whether those were verified."""

    tenancy_jf_path = "jf"
    # The holder reads their own ledger.
    tenancy_pejabat_path = "pejabat"

    pejabat = models.ForeignKey(PejabatFungsional, on_delete=models.PROTECT, related_name="mutasi")
    jf = models.ForeignKey("referensi.JabatanFungsional", on_delete=models.PROTECT, related_name="+")
    jenjang = models.ForeignKey(
        "referensi.Jenjang", verbose_name=_("jenjang"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    jenis = models.CharField(_("jenis mutasi"), max_length=20, choices=JENIS_CHOICES)
    nilai = models.DecimalField(_("angka kredit"), max_digits=9, decimal_places=3)
    periode_mulai = models.DateField(_("awal periode"), null=True, blank=True)
    periode_selesai = models.DateField(_("akhir periode"), null=True, blank=True)
    predikat = models.CharField(_("predikat kinerja"), max_length=20, choices=PredikatChoices.choices, blank=True)
    persentase = models.DecimalField(_("persentase"), max_digits=6, decimal_places=2, null=True, blank=True)
    koefisien = models.DecimalField(_("koefisien"), max_digits=6, decimal_places=3, null=True, blank=True)
    bulan = models.PositiveSmallIntegerField(_("jumlah bulan"), null=True, blank=True)
    rincian = models.JSONField(_("rincian"), default=dict, blank=True)
    #: The row a ``koreksi`` corrects.
    mengoreksi = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="koreksi")
    surat = models.ForeignKey("surat.Surat", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    keterangan = models.TextField(_("keterangan"), blank=True)
    #: A kenaikan pangkat: the pangkat/golongan it raised the holder to (the record's golongan
    #: follows; one row per holder and golongan), and its SK — number, date and the optional PDF
    #: (the PAK it rests on is ``surat``).
    golongan = models.ForeignKey(
        "referensi.Golongan", verbose_name=_("pangkat/golongan baru"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # Database defaults: konversi_massal's raw INSERT names only the konversi columns.
    dokumen_nomor = models.CharField(_("nomor SK"), max_length=100, blank=True, db_default="")
    dokumen_tanggal = models.DateField(_("tanggal SK"), null=True, blank=True)
    berkas = models.FileField(
        _("berkas SK"), upload_to=berkas_mutasi_upload_to, max_length=200, blank=True, db_default=""
    )
    berkas_nama = models.CharField(max_length=255, blank=True, db_default="")
    berkas_sha256 = models.CharField(max_length=64, blank=True, db_default="")

    #: A kenaikan pangkat resting on a PAK issued outside the portal (before it existed): its
    #: number, date and scanned PDF, required then (``apps.jabatan.pangkat``); a portal PAK is
    #: ``surat``.
    pak_luar_nomor = models.CharField(_("nomor PAK (di luar portal)"), max_length=100, blank=True, db_default="")
    pak_luar_tanggal = models.DateField(_("tanggal PAK (di luar portal)"), null=True, blank=True)
    pak_luar_berkas = models.FileField(
        _("berkas PAK (di luar portal)"), upload_to=berkas_mutasi_upload_to, max_length=200, blank=True,
        db_default="",
    )  # fmt: skip
    pak_luar_berkas_nama = models.CharField(max_length=255, blank=True, db_default="")
    pak_luar_berkas_sha256 = models.CharField(max_length=64, blank=True, db_default="")

    berkas_sidik = {"berkas": "berkas_sha256", "pak_luar_berkas": "pak_luar_berkas_sha256"}

    objects = TenantManager.from_queryset(MutasiQuerySet)()

    class Meta(TenantModel.Meta):
        verbose_name = _("mutasi angka kredit")
        verbose_name_plural = _("mutasi angka kredit")
        ordering = ["pejabat", "created_at", "id"]
        constraints = [
            # The SK opens the ledger once: a repeated "SK terbit" never adds a second AK awal.
            models.UniqueConstraint(fields=["pejabat"], condition=models.Q(jenis="awal"), name="mutasi_satu_awal"),
            # One konversi per holder and period start; a changed predikat is a koreksi.
            models.UniqueConstraint(
                fields=["pejabat", "periode_mulai"],
                condition=models.Q(jenis="konversi"),
                name="mutasi_satu_konversi_per_periode",
            ),
            # One kenaikan pangkat per holder and golongan: a repeated entry is refused.
            models.UniqueConstraint(
                fields=["pejabat", "golongan"],
                condition=models.Q(jenis="kenaikan_pangkat"),
                name="mutasi_satu_kenaikan_per_golongan",
            ),
        ]
        indexes = [models.Index(fields=["pejabat", "jenis"], name="mutasi_pejabat_jenis_idx")]

    @property
    def periode_tampil(self) -> tuple:
        """(start, end) the ledger shows in its Periode column: the row's period; for a PAK's row
        the period it covers (its masa penilaian, kept in ``rincian`` by apps.penetapan)."""
        if self.periode_mulai or self.jenis != "penetapan":
            return self.periode_mulai, self.periode_selesai
        r = self.rincian or {}
        try:
            mulai = date.fromisoformat(r["masa_mulai"]) if r.get("masa_mulai") else None
            selesai = date.fromisoformat(r["masa_selesai"]) if r.get("masa_selesai") else None
        except (TypeError, ValueError):
            return None, None
        return mulai, selesai

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nilai}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(PESAN_DIUBAH)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(PESAN_DIHAPUS)
