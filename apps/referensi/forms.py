from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.format import tgl
from apps.core.forms import BootstrapMixin, DateInput, DesimalField, LinesField
from apps.core.sumber import KutipanFormMixin
from apps.referensi.models import (
    JabatanFungsional,
    Jenjang,
    Kompetensi,
    PersentasePredikat,
    PersyaratanDokumen,
    Tahapan,
)


class JFForm(KutipanFormMixin, BootstrapMixin, forms.ModelForm):
    kutipan_fields = ("dasar_hukum", "sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin")
    dasar_hukum = LinesField(label=_("Dasar hukum (satu per baris)"))
    ekstensi_berkas = forms.CharField(
        label=_("Jenis berkas yang diizinkan"),
        help_text=_("Pisahkan dengan koma, tanpa titik. Contoh: pdf"),
    )
    ukuran_berkas_mb = DesimalField(
        label=_("Ukuran berkas maksimal (MB)"),
        min_value=Decimal("0.1"),
        max_value=Decimal(50),
        decimal_places=1,
    )

    class Meta:
        model = JabatanFungsional
        fields = [
            "deskripsi", "unit_pembina", "dasar_hukum", "jendela_buka", "jendela_tutup", "usia_maks",
            "sumber_usia", "pengalaman_min_tahun", "sumber_pengalaman", "predikat_min", "predikat_tahun",
            "sumber_kinerja", "disiplin_tahun", "sumber_disiplin", "kinerja_disiplin_status", "usia_tafsir",
            "penilai_boleh_instansi_sendiri", "pak_penandatangan", "pejabat_boleh_mengajukan_ak", "sistem_informasi",
        ]  # fmt: skip
        widgets = {
            "jendela_buka": DateInput(),
            "jendela_tutup": DateInput(),
            "deskripsi": forms.Textarea(attrs={"rows": 3}),
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["ekstensi_berkas"] = ", ".join(self.instance.ekstensi_berkas)
            self.initial["ukuran_berkas_mb"] = self.instance.ukuran_berkas_maks_mb
        # These two dates are the JF's overall window; the masa pengajuan the JF page shows and
        # "ajukan" enforces is this window narrowed to the "Pengajuan peserta" stage (Jadwal).
        self.fields["jendela_buka"].label = _("Jendela pengajuan JF dibuka")
        self.fields["jendela_tutup"].label = _("Jendela pengajuan JF ditutup")
        tahap = self.instance.tahap_pengajuan if self.instance.pk else None
        if tahap is not None:
            self.fields["jendela_tutup"].help_text = _(
                "Jendela keseluruhan JF ini. Masa pengajuan yang berlaku adalah jendela ini dipersempit oleh "
                "tahapan «Pengajuan peserta» (%(mulai)s – %(selesai)s, diubah di tab Jadwal halaman JF)."
            ) % {"mulai": tgl(tahap.mulai), "selesai": tgl(tahap.selesai)}
        else:
            self.fields["jendela_tutup"].help_text = _(
                "Jendela keseluruhan JF ini; tanpa tahapan «Pengajuan peserta» inilah masa pengajuan yang berlaku."
            )

    def clean_ekstensi_berkas(self):
        items = [e.strip().lower().lstrip(".") for e in self.cleaned_data["ekstensi_berkas"].split(",") if e.strip()]
        if not items or any(not e.isalnum() for e in items):
            raise forms.ValidationError(_("Isi ekstensi berkas tanpa titik, dipisahkan koma, misalnya: pdf"))
        return items

    def changes(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["ekstensi_berkas"] = self.cleaned_data["ekstensi_berkas"]
        data["ukuran_berkas_maks"] = int(self.cleaned_data["ukuran_berkas_mb"] * 1024 * 1024)
        return data


class JenjangForm(KutipanFormMixin, BootstrapMixin, forms.ModelForm):
    kutipan_fields = ("ak_sumber", "catatan_sumber")

    class Meta:
        model = Jenjang
        fields = [
            "nama", "golongan_min", "golongan_maks", "kelas_jabatan", "koefisien_ak", "ak_kumulatif_pangkat",
            "ak_kumulatif_jenjang", "ak_terverifikasi", "ak_sumber", "pendidikan_min", "batas_usia_pensiun",
            "ikhtisar", "catatan_sumber",
        ]  # fmt: skip
        widgets = {"ikhtisar": forms.Textarea(attrs={"rows": 3})}
        # AK values typed with a decimal comma ("12,5") as well as a point.
        field_classes = dict.fromkeys(["koefisien_ak", "ak_kumulatif_pangkat", "ak_kumulatif_jenjang"], DesimalField)

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class DokumenForm(KutipanFormMixin, BootstrapMixin, forms.ModelForm):
    kutipan_fields = ("deskripsi",)

    class Meta:
        model = PersyaratanDokumen
        fields = ["kode", "nama", "level", "jenis_usulan", "wajib", "deskripsi", "urutan"]
        widgets = {"deskripsi": forms.Textarea(attrs={"rows": 3})}

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class TahapanForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Tahapan
        fields = ["mulai", "selesai"]
        widgets = {"mulai": DateInput(), "selesai": DateInput()}

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class KompetensiForm(BootstrapMixin, forms.ModelForm):
    indikator = LinesField(label=_("Indikator (satu per baris)"))

    class Meta:
        model = Kompetensi
        fields = ["jenis", "nomor", "nama", "level", "deskripsi", "indikator"]
        widgets = {"deskripsi": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        # The jenjang is not a field of the form, so Django's own unique check skips the
        # (jenjang, jenis, nomor) constraint: check it here, on the field, with the other errors.
        data = super().clean()
        nomor, jenis, instance = data.get("nomor"), data.get("jenis"), self.instance
        if (
            nomor is not None
            and jenis
            and instance.jenjang_id
            and Kompetensi.objects.filter(jenjang_id=instance.jenjang_id, jenis=jenis, nomor=nomor)
            .exclude(pk=instance.pk)
            .exists()
        ):
            self.add_error("nomor", Kompetensi(jenjang=instance.jenjang, jenis=jenis, nomor=nomor).nomor_dipakai())
        return data

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class AKRowForm(BootstrapMixin, forms.Form):
    nilai = DesimalField(label=_("Nilai"), min_value=0, max_digits=7, decimal_places=3)
    terverifikasi = forms.BooleanField(label=_("Terverifikasi sesuai PerBKN 3/2023"), required=False)


class PersentasePredikatForm(KutipanFormMixin, BootstrapMixin, forms.ModelForm):
    kutipan_fields = ("sumber",)

    class Meta:
        model = PersentasePredikat
        fields = ["persen", "terverifikasi", "sumber"]
        field_classes = {"persen": DesimalField}

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}
