"""The alur paraf form: the ordered approvers of one letter type and its signer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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
            if user is not None and not sebutan and f"sebutan_{i}" not in self.errors:
                self.add_error(f"sebutan_{i}", alur_mod.pesan_tanpa_sebutan(i))
            if user is not None:
                if user.pk in dilihat:
                    self.add_error(f"paraf_{i}", _("%(u)s sudah tercantum di baris sebelumnya.") % {"u": user})
                dilihat.add(user.pk)
        penanda = data.get("penanda")
        if penanda is not None and penanda.user_id is None:
            self.add_error("penanda", alur_mod.pesan_penanda_tanpa_akun(penanda))
        elif penanda is not None and penanda.user_id in dilihat:
            self.add_error("penanda", _("Penanda tangan tidak sekaligus memberi paraf; hapus dari daftar paraf."))
        return data

    def langkah(self):
        out = []
        for i in range(1, alur_mod.MAKS_LANGKAH + 1):
            user = self.cleaned_data.get(f"paraf_{i}")
            if user is not None:
                out.append((user, (self.cleaned_data.get(f"sebutan_{i}") or "").strip()))
        return out


MAKS_P12 = 64 * 1024  # a PKCS#12 of one key and its chain is a few kB
MAKS_SERTIFIKAT = 32 * 1024


class PejabatForm(BootstrapMixin, forms.Form):
    """A signing official of the user's instansi (apps.ttd.pejabat). File fields are read here
    (size, extension); what they hold is checked by the service (it opens the archive)."""

    user = forms.ModelChoiceField(
        queryset=None, required=False, label=_l("Akun portal pejabat"), empty_label=_l("— belum punya akun —"),
        help_text=_l("Akun yang dipakai pejabat untuk masuk dan menandatangani; surat yang menyebut NIP-nya "
                    "masuk antrean tanda tangan akun ini."),
    )  # fmt: skip
    nama = forms.CharField(label=_l("Nama (dengan gelar, seperti pada sertifikat elektronik)"), max_length=150)
    nip = forms.CharField(
        label=_l("NIP"), max_length=30, required=False,
        help_text=_l("Surat yang mencantumkan NIP ini sebagai penanda tangan masuk antrean pejabat ini."),
    )  # fmt: skip
    jabatan = forms.CharField(label=_l("Jabatan"), max_length=200, help_text=_l("mis. Sekretaris Jenderal (PPK)"))
    backend = forms.ChoiceField(label=_l("Cara tanda tangan"), choices=(), widget=forms.RadioSelect)
    p12 = forms.FileField(
        label=_l("Berkas sertifikat elektronik (.p12/.pfx)"), required=False,
        help_text=_l("Untuk cara \"sertifikat yang disimpan portal\". Disimpan terenkripsi dengan passphrase "
                    "penyimpanan portal; saat mengubah, kosongkan untuk memakai berkas yang sudah tersimpan."),
    )  # fmt: skip
    passphrase_berkas = forms.CharField(
        label=_l("Passphrase berkas sertifikat"), required=False, max_length=200, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_l("Hanya bila berkas dilindungi passphrase selain passphrase penyimpanan portal: dipakai sekali "
                    "untuk membuka berkas, tidak disimpan."),
    )  # fmt: skip
    nik = forms.CharField(
        label=_l("NIK (terdaftar di BSrE)"), max_length=16, required=False,
        help_text=_l("Untuk cara BSrE: NIK yang dipakai BSrE mengenali pejabat. Passphrase BSrE diketik pejabat "
                    "setiap kali menandatangani dan tidak pernah disimpan."),
    )  # fmt: skip
    sertifikat = forms.FileField(
        label=_l("Sertifikat pejabat (PEM/DER, opsional)"), required=False,
        help_text=_l("Sidik jarinya didaftarkan, sehingga salinan yang ditandatangani di aplikasi lain dikenali."),
    )  # fmt: skip
    sidik_jari = forms.CharField(
        label=_l("Sidik jari sertifikat (SHA-256, opsional)"), max_length=100, required=False,
        help_text=_l("64 digit heksadesimal, boleh dengan titik dua. Diisi otomatis dari berkas sertifikat."),
    )  # fmt: skip

    def __init__(self, *args, instansi_id: int, pejabat=None, **kwargs):
        from apps.ttd import pejabat as pejabat_mod
        from apps.ttd.models import Pejabat

        if pejabat is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "user": pejabat.user_id, "nama": pejabat.nama, "nip": pejabat.nip, "jabatan": pejabat.jabatan,
                "backend": pejabat.backend, "nik": pejabat.nik, "sidik_jari": pejabat.sidik_jari,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.pejabat = pejabat
        self.fields["user"].queryset = pejabat_mod.calon_akun(instansi_id)
        self.fields["backend"].choices = Pejabat.Backend.choices
        self.fields["backend"].widget.attrs["class"] = "form-check-input"
        if pejabat is not None and pejabat.pkcs12:
            self.fields["p12"].help_text = _("Sudah tersimpan (sidik jari %(s)s…). Unggah berkas baru hanya untuk "
                                             "menggantinya.") % {"s": pejabat.sidik_jari[:16]}  # fmt: skip

    def clean_nip(self):
        from apps.surat.forms import nip_pejabat

        return nip_pejabat(self.cleaned_data.get("nip"))

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").strip()
        if nik and (len(nik) != 16 or not nik.isdigit()):
            raise forms.ValidationError(_("NIK terdiri dari 16 angka."))
        return nik

    def clean_sidik_jari(self):
        from apps.ttd.pejabat import normal_sidik_jari

        try:
            return normal_sidik_jari(self.cleaned_data.get("sidik_jari"))
        except ValueError:
            raise forms.ValidationError(
                _("Sidik jari SHA-256 terdiri dari 64 digit heksadesimal (0–9, A–F), boleh dipisah titik dua.")
            ) from None

    def _berkas(self, name: str, exts: list[str], maks: int) -> bytes | None:
        from django.core.exceptions import ValidationError

        from apps.core.files import check_upload

        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            check_upload(upload, allowed_extensions=exts, max_bytes=maks)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        upload.seek(0)
        return upload.read()

    def clean_p12(self):
        self.p12_bytes = self._berkas("p12", ["p12", "pfx"], MAKS_P12)
        return self.cleaned_data.get("p12")

    def clean_sertifikat(self):
        self.sertifikat_bytes = self._berkas("sertifikat", ["pem", "crt", "cer", "der"], MAKS_SERTIFIKAT)
        return self.cleaned_data.get("sertifikat")

    def data_pejabat(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("user", "nama", "nip", "nik", "jabatan", "backend", "sidik_jari")}
