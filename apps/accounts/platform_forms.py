from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import PLATFORM_ROLES, User
from apps.accounts.platform_services import PROVINSI
from apps.accounts.services import cek_peran
from apps.core.forms import BootstrapMixin, NipField
from apps.core.models import ALAMAT_BANTUAN, KOP_BANTUAN, Instansi


class NipASNField(NipField):
    """A civil servant's NIP read by the one NIP rule the pegawai forms use
    (``referensi.domain.parse_nip``: birth date, TMT, digit 15 = 1 or 2, …), PPPK numbers allowed."""

    def clean(self, value):
        from apps.referensi.domain import NipError, parse_nip

        nip = super().clean(value)
        if not nip:
            return nip
        try:
            return parse_nip(nip).nip
        except NipError as exc:
            raise forms.ValidationError(str(exc)) from None


class InstansiForm(BootstrapMixin, forms.Form):
    kode = forms.CharField(label=_("Kode"), max_length=20, help_text=_("Singkat dan unik, misalnya KAB-SLEMAN."))
    nama = forms.CharField(label=_("Nama"), max_length=200)
    jenis = forms.ChoiceField(label=_("Jenis"), choices=Instansi.Jenis.choices)
    provinsi = forms.ChoiceField(
        label=_("Provinsi (bagi kabupaten/kota)"),
        required=False,
        choices=[("", "—")] + [(k, n) for k, n in sorted(PROVINSI, key=lambda p: p[1])],
    )
    is_pembina = forms.BooleanField(label=_("Instansi pembina jabatan fungsional"), required=False)
    alamat = forms.CharField(
        label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=ALAMAT_BANTUAN
    )
    kota = forms.CharField(
        label=_("Kota kedudukan"), max_length=80, required=False,
        help_text=_('Dicetak pada SK: "Ditetapkan di <kota>", misalnya Sleman. Wajib sebelum instansi menerbitkan SK.'),
    )  # fmt: skip
    kop_surat = forms.CharField(
        label=_("Kop surat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=KOP_BANTUAN,
    )

    def __init__(self, *args, instansi: Instansi | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instansi = instansi

    def clean_kode(self):
        kode = self.cleaned_data["kode"].strip().upper()
        clash = Instansi.objects.filter(kode__iexact=kode)
        if self.instansi is not None:
            clash = clash.exclude(pk=self.instansi.pk)
        if clash.exists():
            raise forms.ValidationError(_("Kode %(k)s sudah dipakai instansi lain.") % {"k": kode})
        return kode

    def clean(self):
        # Checked here as well as by the service, so a missing province shows with the other
        # errors (an empty Nama stopped the form before the service could say it).
        data = super().clean()
        kab_kota = data.get("jenis") in (Instansi.Jenis.KABUPATEN, Instansi.Jenis.KOTA)
        if kab_kota and not data.get("provinsi") and "provinsi" not in self.errors:
            self.add_error("provinsi", _("Pilih provinsi tempat kabupaten/kota ini berada."))
        return data

    @staticmethod
    def awal(instansi: Instansi) -> dict:
        kode_prov = ""
        if instansi.parent_id:
            nama = instansi.parent.nama.removeprefix("Pemerintah Provinsi ").strip().lower()
            kode_prov = next((k for k, n in PROVINSI if n.lower() == nama), "")
        return {
            "kode": instansi.kode, "nama": instansi.nama, "jenis": instansi.jenis, "provinsi": kode_prov,
            "is_pembina": instansi.is_pembina, "alamat": instansi.alamat, "kota": instansi.kota,
            "kop_surat": instansi.kop_surat,
        }  # fmt: skip


def _batasi(form, lingkup) -> None:
    """Instansi and roles the actor may choose (``platform_services.lingkup``): every active
    instansi and platform role for the superadmin; their own pembina and the staff roles for an
    admin pembina."""
    instansi = Instansi.objects.filter(aktif=True).order_by("nama")
    if lingkup is not None and not lingkup.superadmin:
        instansi = instansi.filter(pk=lingkup.instansi.pk)
        form.fields["instansi"].initial = lingkup.instansi.pk
        form.fields["instansi"].empty_label = None
        form.fields["peran"].choices = [(v, label) for v, label in PLATFORM_ROLES if v in lingkup.peran]
    form.fields["instansi"].queryset = instansi
    form.fields["peran"].widget.attrs["class"] = "form-check-input"


class PenggunaForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"), max_length=150, regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Hanya huruf, angka dan . @ + - _ (tanpa spasi).")},
    )  # fmt: skip
    nama_lengkap = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=_("Alamat e-mail"), help_text=_("Tautan untuk menetapkan kata sandi dikirim ke sini.")
    )
    nip = NipASNField(label=_("NIP"), required=False)
    instansi = forms.ModelChoiceField(label=_("Instansi"), queryset=Instansi.objects.none())
    peran = forms.MultipleChoiceField(
        label=_("Peran"), choices=PLATFORM_ROLES, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, lingkup=None, **kwargs):
        super().__init__(*args, **kwargs)
        _batasi(self, lingkup)

    def clean_username(self):
        # Checked here as well as by the service, so a taken name shows with the other errors.
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
        return username

    def clean_email(self):
        return _email_unik(self)

    def clean(self):
        data = super().clean()
        instansi, peran = data.get("instansi"), data.get("peran") or []
        if peran and instansi is not None and "peran" not in self.errors:
            try:
                cek_peran(instansi, list(peran))
            except forms.ValidationError as exc:
                self.add_error("peran", exc)
        return data


def _email_unik(form, field: str = "email", kecuali=None):
    from apps.accounts.services import cek_email

    email = form.cleaned_data[field]
    try:
        cek_email(email, kecuali=kecuali)
    except forms.ValidationError as exc:
        raise forms.ValidationError(exc.message_dict["email"]) from None
    return email


class PeranForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(
        label=_("Alamat e-mail"), required=False,
        help_text=_("Tautan untuk menetapkan kata sandi dikirim ke sini. Satu alamat hanya untuk satu akun."),
    )  # fmt: skip
    instansi = forms.ModelChoiceField(label=_("Instansi"), queryset=Instansi.objects.none())
    peran = forms.MultipleChoiceField(
        label=_("Peran"), choices=PLATFORM_ROLES, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Kosongkan semua untuk mencabut setiap peran."),
    )  # fmt: skip

    def __init__(self, *args, lingkup=None, pengguna=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pengguna = pengguna
        _batasi(self, lingkup)

    def clean_email(self):
        return _email_unik(self, kecuali=self.pengguna)


class PermintaanPPKForm(BootstrapMixin, forms.Form):
    """The PIC's request for the PPK account of their instansi."""

    nama_lengkap = forms.CharField(label=_("Nama lengkap PPK"), max_length=150)
    nip = NipASNField(label=_("NIP"))
    email = forms.EmailField(
        label=_("Alamat e-mail"), help_text=_("Tautan untuk menetapkan kata sandi dikirim ke sini bila disetujui.")
    )
    jabatan = forms.CharField(
        label=_("Jabatan"), max_length=200, help_text=_("Misalnya Bupati Gunungkidul atau Sekretaris Daerah.")
    )

    def clean_email(self):
        return _email_unik(self)


class TolakForm(BootstrapMixin, forms.Form):
    alasan = forms.CharField(
        label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
        help_text=_("PIC membaca alasan ini di pemberitahuannya."),
    )  # fmt: skip
