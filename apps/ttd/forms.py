"""The alur paraf form: the ordered approvers of one letter type and its signer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from apps.core.forms import BootstrapMixin
from apps.ttd import alur as alur_mod


class AlurForm(BootstrapMixin, forms.Form):
    """Rows ``paraf_1`` … ``paraf_6`` (approver, in order; empty rows are skipped) with their
    ``sebutan`` (the office shown in the chain, e.g. "Kabag Kepegawaian"), and ``penanda``."""

    def __init__(self, *args, alur, **kwargs):
        if "initial" not in kwargs:
            initial = {"penanda": alur.penanda_id}
            for s in alur.langkah.all().order_by("urutan"):
                initial[f"paraf_{s.urutan}"] = s.user_id
                initial[f"sebutan_{s.urutan}"] = s.sebutan
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.alur = alur
        calon = alur_mod.calon_paraf(alur.instansi_id, alur.jenis)
        for i in range(1, alur_mod.MAKS_LANGKAH + 1):
            self.fields[f"paraf_{i}"] = forms.ModelChoiceField(
                calon, required=False, label=_("Paraf ke-%(i)d") % {"i": i}, empty_label=_("— tidak ada —"),
                widget=forms.Select(attrs={"class": "form-select"}),
            )  # fmt: skip
            self.fields[f"sebutan_{i}"] = forms.CharField(
                max_length=150, required=False, label=_("Sebutan paraf ke-%(i)d") % {"i": i},
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("mis. Kabag Kepegawaian")}),
            )  # fmt: skip
        if alur.jenis not in alur_mod.JENIS_PENANDA_DARI_SURAT:
            self.fields["penanda"] = forms.ModelChoiceField(
                alur_mod.calon_penanda(alur.instansi_id), required=False, label=_("Penanda tangan (TTE)"),
                empty_label=_("— belum ditentukan —"), widget=forms.Select(attrs={"class": "form-select"}),
                help_text=_("Formulir penerbitan surat jenis ini diisi dengan nama, jabatan dan NIP pejabat ini."),
            )  # fmt: skip

    def baris(self):
        """(approver field, sebutan field) per row, for the template."""
        return [(self[f"paraf_{i}"], self[f"sebutan_{i}"]) for i in range(1, alur_mod.MAKS_LANGKAH + 1)]

    def clean(self):
        data = super().clean()
        dilihat = set()
        for i in range(1, alur_mod.MAKS_LANGKAH + 1):
            user, sebutan = data.get(f"paraf_{i}"), (data.get(f"sebutan_{i}") or "").strip()
            if user is None and sebutan and f"paraf_{i}" not in self.errors:
                self.add_error(f"paraf_{i}", _("Pilih pemberi paraf untuk sebutan ini, atau kosongkan sebutannya."))
            if user is not None:
                if user.pk in dilihat:
                    self.add_error(f"paraf_{i}", _("%(u)s sudah tercantum di baris sebelumnya.") % {"u": user})
                dilihat.add(user.pk)
        penanda = data.get("penanda")
        if penanda is not None and penanda.user_id in dilihat:
            self.add_error("penanda", _("Penanda tangan tidak sekaligus memberi paraf; hapus dari daftar paraf."))
        return data

    def langkah(self):
        out = []
        for i in range(1, alur_mod.MAKS_LANGKAH + 1):
            user = self.cleaned_data.get(f"paraf_{i}")
            if user is not None:
                out.append((user, (self.cleaned_data.get(f"sebutan_{i}") or "").strip()))
        return out
