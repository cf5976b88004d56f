from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapMixin, DateInput
from apps.referensi.models import JabatanFungsional, Jenjang, PredikatChoices


class PredikatForm(BootstrapMixin, forms.Form):
    """One holder's predikat kinerja for one period (annual or periodic)."""

    periode_mulai = forms.DateField(label=_("Awal periode"), widget=DateInput())
    periode_selesai = forms.DateField(label=_("Akhir periode"), widget=DateInput())
    predikat = forms.ChoiceField(label=_("Predikat kinerja"), choices=PredikatChoices.choices)
    jenjang = forms.ModelChoiceField(
        label=_("Jenjang pada periode ini"), queryset=Jenjang.objects.none(), required=False,
        help_text=_("Kosongkan bila sama dengan jenjang saat ini."),
    )  # fmt: skip

    def __init__(self, *args, jf=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jf is not None:
            self.fields["jenjang"].queryset = Jenjang.objects.filter(jf=jf).order_by("urutan")

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
    berkas = forms.FileField(label=_("Berkas XLSX"))
    jf = forms.ModelChoiceField(
        label=_("Jabatan fungsional"), queryset=JabatanFungsional.objects.order_by("nama"), to_field_name="kode"
    )
