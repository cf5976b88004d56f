from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapMixin, DateInput
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang, PredikatChoices


class PredikatForm(BootstrapMixin, forms.Form):
    """One holder's predikat kinerja for one period (annual or periodic)."""

    periode_mulai = forms.DateField(label=_("Awal periode"), widget=DateInput())
    periode_selesai = forms.DateField(
        label=_("Akhir periode"), widget=DateInput(),
        help_text=_("Jumlah bulan dihitung per bulan kalender: bulan awal dan bulan akhir periode dihitung penuh, "
                    "mis. 16 Maret–31 Desember = 10 bulan (10/12 × persentase × koefisien). Setiap bulan dikonversi "
                    "satu kali: bulan yang sudah dihitung pada periode lain pejabat ini (mis. 1–15 April) tidak "
                    "dihitung lagi."),
    )  # fmt: skip
    predikat = forms.ChoiceField(label=_("Predikat kinerja"), choices=PredikatChoices.choices)
    jenjang = forms.ModelChoiceField(
        label=_("Jenjang pada periode ini"), queryset=Jenjang.objects.none(), required=False,
        help_text=_("Kosongkan bila sama dengan jenjang saat ini."),
    )  # fmt: skip

    def __init__(self, *args, jf=None, sampai=None, **kwargs):
        """``sampai``: the holder's current jenjang; a period in a higher one cannot be (the import
        refuses it too), so it is not offered."""
        super().__init__(*args, **kwargs)
        if jf is not None:
            field = self.fields["jenjang"]
            field.queryset = Jenjang.objects.filter(jf=jf).order_by("urutan")
            if sampai is not None:
                # Offered: up to the holder's jenjang. A higher one still validates here, so a
                # forged or stale post gets the service's own message (apps.jabatan.services).
                boleh = {j.pk for j in field.queryset if j.urutan <= sampai.urutan}
                field.widget.choices = [(k, v) for k, v in field.choices if not k or k.value in boleh]

    def clean(self):
        data = super().clean()
        mulai, selesai = data.get("periode_mulai"), data.get("periode_selesai")
        if mulai and selesai and selesai < mulai:
            self.add_error("periode_selesai", _("Akhir periode tidak boleh sebelum awal periode."))
        return data


class KoreksiForm(BootstrapMixin, forms.Form):
    """A changed predikat for a period already converted: recorded as a ``koreksi`` row
    (``services.konversi_koreksi``), from the konversi's row in the ledger."""

    mutasi = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    predikat = forms.ChoiceField(label=_("Predikat kinerja yang benar"), choices=PredikatChoices.choices)
    keterangan = forms.CharField(
        label=_("Alasan koreksi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: SKP 2025 direvisi, nomor dan tanggal dokumennya."),
    )  # fmt: skip


class ImporForm(forms.Form):
    """An XLSX import of holders or predikat for one JF. No JF is preselected unless the PIC's
    instansi works with exactly one (the JF of all its active holders): a silent default (the
    first JF by name) would import the rows into a JF the PIC never chose."""

    berkas = forms.FileField(label=_("Berkas XLSX"))
    jf = forms.ModelChoiceField(
        label=_("Jabatan fungsional"), queryset=JabatanFungsional.objects.order_by("nama"), to_field_name="kode",
        error_messages={"required": _("Pilih jabatan fungsional yang datanya diimpor.")},
    )  # fmt: skip

    def __init__(self, *args, instansi=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instansi is None:
            return
        from apps.jabatan.models import PejabatFungsional

        aktif = PejabatFungsional.objects.filter(instansi=instansi, aktif=True)
        kode = set(aktif.order_by().values_list("jf__kode", flat=True).distinct()[:2])
        if len(kode) == 1:
            self.fields["jf"].initial = kode.pop()


class PakChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from apps.core.format import tgl

        return _("PAK %(n)s tanggal %(t)s") % {"n": obj.surat.nomor, "t": tgl(obj.surat.tanggal)}


class KenaikanPangkatForm(BootstrapMixin, forms.Form):
    """The SK kenaikan pangkat of a holder (``apps.jabatan.pangkat.kenaikan_pangkat_catat``): the
    next golongan, its TMT, the SK's number, date and PDF, and the PAK it rests on."""

    golongan = forms.ModelChoiceField(label=_("Pangkat/golongan baru"), queryset=Golongan.objects.none())
    tmt_golongan = forms.DateField(label=_("TMT golongan baru"), widget=DateInput())
    sk_nomor = forms.CharField(label=_("Nomor SK kenaikan pangkat"), max_length=100)
    sk_tanggal = forms.DateField(label=_("Tanggal SK"), widget=DateInput())
    pak = PakChoiceField(
        label=_("PAK yang menjadi dasar"), queryset=Golongan.objects.none(), required=False,
        empty_label=_("— tidak ada PAK di portal: isi PAK di luar portal di bawah —"),
    )  # fmt: skip
    pak_luar_nomor = forms.CharField(
        label=_("Nomor PAK di luar portal"), max_length=100, required=False,
        help_text=_("Hanya bila PAK yang memenuhi ambang terbit di luar portal (sebelum portal ada): nomor, tanggal, "
                    "dan berkasnya wajib."),
    )  # fmt: skip
    pak_luar_tanggal = forms.DateField(label=_("Tanggal PAK di luar portal"), required=False, widget=DateInput())
    pak_luar_berkas = forms.FileField(
        label=_("Berkas PAK di luar portal (PDF)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )  # fmt: skip
    berkas = forms.FileField(
        label=_("Berkas SK (PDF, opsional)"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )
    sk_kolektif = forms.BooleanField(
        label=_("SK kolektif"), required=False,
        help_text=_("Satu SK untuk beberapa pejabat: nomor yang sama boleh dicatat untuk pejabat lain instansi ini, "
                    "dengan tanggal SK yang sama."),
    )  # fmt: skip

    def __init__(self, *args, pejabat=None, **kwargs):
        kwargs.setdefault("auto_id", "pangkat_%s")  # the predikat form shares the page
        super().__init__(*args, **kwargs)
        if pejabat is None:
            return
        from apps.jabatan.pangkat import golongan_berikut, pak_tersedia
        from apps.penetapan.models import UsulanPenetapanAK

        berikut = golongan_berikut(pejabat)
        maks = pejabat.jenjang.golongan_maks if pejabat.jenjang_id else None
        if berikut is not None and maks is not None and berikut.urutan > maks.urutan:
            berikut = None  # the top pangkat of the jenjang: the next one comes with a kenaikan jenjang
        # Only the next golongan (no skipping); none at the top, with the reason.
        self.fields["golongan"].queryset = Golongan.objects.filter(pk=berikut.pk if berikut else None)
        if berikut is not None:
            self.fields["golongan"].initial = berikut.pk
            self.fields["golongan"].empty_label = None
        else:
            self.fields["golongan"].empty_label = _(
                "— pangkat tertinggi jenjang ini: kenaikan pangkat berikutnya melalui kenaikan jenjang —"
            )
        tersedia = pak_tersedia(pejabat)
        self.fields["pak"].queryset = UsulanPenetapanAK.objects.filter(pk__in=[p.pk for p in tersedia]).select_related(
            "surat"
        )
        if tersedia:  # the PAK that met the threshold: required where the portal issued one
            self.fields["pak"].required = True
            self.fields["pak"].empty_label = None
            self.fields["pak"].initial = tersedia[0].pk
            for field in ("pak_luar_nomor", "pak_luar_tanggal", "pak_luar_berkas"):
                del self.fields[field]
