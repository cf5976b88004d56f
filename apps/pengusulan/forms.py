from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapMixin, DateInput
from apps.pengusulan.models import PELAKSANA_WAJIB, Pegawai
from apps.referensi import domain as rules
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang, PredikatChoices

TAHUN_PREDIKAT = 3  # the form asks for the last three years; each JF checks its own number


class PegawaiForm(BootstrapMixin, forms.ModelForm):
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        help_text=_("18 digit; boleh dengan spasi, misalnya 19860926 201505 1 001."),
    )
    pengalaman_tahun = forms.IntegerField(label=_("Pengalaman di bidang jabatan: tahun"), min_value=0, max_value=45)
    pengalaman_bulan_sisa = forms.IntegerField(
        label=_("… dan bulan"), min_value=0, max_value=11, initial=0, required=False
    )
    # No preselected answer: whether the pegawai is a pelaksana decides where masa kerja counts from
    # (seed 004: pelaksana III/a counts from CPNS), so the PIC must say it.
    is_pelaksana = forms.TypedChoiceField(
        label=_("Jabatan saat ini jabatan pelaksana?"),
        choices=[("", _("— pilih —")), ("True", _("Ya, jabatan pelaksana")), ("False", _("Tidak"))],
        coerce=lambda value: value == "True",
        empty_value=None,
        error_messages={"required": PELAKSANA_WAJIB},
        # Fresh-eye finding 12: no eligibility rule of the seeds or domain.md turns on it; it
        # only says where masa kerja in pangkat starts (seed 004, PerBKN 3/2023). Say so.
        help_text=_(
            "Hanya dipakai untuk menghitung masa kerja: bagi jabatan pelaksana berpangkat Penata Muda (III/a), "
            "masa kerja dalam pangkat dihitung sejak CPNS (PerBKN 3/2023). Jawaban ini tidak dipakai dalam "
            "pemeriksaan syarat penyesuaian."
        ),
    )

    class Meta:
        model = Pegawai
        fields = [
            "nip", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "golongan", "tmt_golongan",
            "pendidikan", "jabatan_saat_ini", "is_pelaksana", "unit_kerja", "hukuman_disiplin", "tanggal_hukuman",
        ]  # fmt: skip
        widgets = {"tanggal_lahir": DateInput(), "tmt_golongan": DateInput(), "tanggal_hukuman": DateInput()}
        help_texts = {
            "tanggal_lahir": _("Boleh dikosongkan: diisi otomatis dari NIP."),
            "jenis_kelamin": _("Boleh dikosongkan: diisi otomatis dari NIP."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["golongan"].queryset = Golongan.objects.order_by("urutan")
        self.fields["golongan"].required = True
        self.fields["tmt_golongan"].required = True
        self.fields["pendidikan"].required = True
        self.tahun = [timezone.localdate().year - i for i in range(1, TAHUN_PREDIKAT + 1)]
        for tahun in self.tahun:
            self.fields[f"predikat_{tahun}"] = forms.ChoiceField(
                label=_("Predikat kinerja %(y)d") % {"y": tahun},
                choices=[("", "—"), *PredikatChoices.choices],
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        if not self.instance.pk and not self.is_bound:
            self.initial.pop("is_pelaksana", None)  # the model's default must not preselect an answer
        self.nip_terkunci = bool(self.instance.pk) and self.instance.nip_terkunci
        if self.nip_terkunci:
            self.fields["nip"].disabled = True
            self.fields["nip"].help_text = _(
                "NIP tidak dapat diubah lagi: usulan pegawai ini sudah diajukan dan dikenal instansi pembina "
                "dengan NIP ini. Bila NIP salah, hubungi instansi pembina."
            )
        elif self.instance.pk:
            self.fields["nip"].help_text = _(
                "Perbaiki bila salah ketik; NIP dapat diubah selama belum ada usulan yang diajukan untuk pegawai ini."
            )
        if self.instance.pk:
            self.initial["pengalaman_tahun"], self.initial["pengalaman_bulan_sisa"] = divmod(
                self.instance.pengalaman_bulan, 12
            )
            for tahun in self.tahun:
                self.initial[f"predikat_{tahun}"] = (self.instance.predikat or {}).get(str(tahun), "")

    def clean_nip(self):
        raw = self.cleaned_data["nip"]
        try:
            return rules.nip_pns(raw).nip
        except rules.NipError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        # The NIP's birth date and sex are checked with every other field, not after them: a
        # recorded one that disagrees is an error of its field; an empty one is filled from the
        # NIP, so the model's date rules (TMT golongan after birth) run on it in the same pass.
        if data.get("nip"):
            info = rules.nip_pns(data["nip"])
            self.instance.tmt_cpns = info.tmt_cpns  # the model's TMT golongan rule runs on it
            salah = info.tidak_sesuai(tanggal_lahir=data.get("tanggal_lahir"), jenis_kelamin=data.get("jenis_kelamin"))
            for field, message in salah.items():
                if field not in self.errors:
                    self.add_error(field, message)
            for field, value in (("tanggal_lahir", info.tanggal_lahir), ("jenis_kelamin", info.jenis_kelamin)):
                if field not in salah and field not in self.errors and not data.get(field):
                    data[field] = value
        if data.get("hukuman_disiplin") not in (None, "", Pegawai.Hukuman.TIDAK_ADA) and not data.get(
            "tanggal_hukuman"
        ):
            self.add_error("tanggal_hukuman", _("Isi tanggal hukuman disiplin."))
        return data

    def service_data(self) -> dict:
        data = {f: self.cleaned_data.get(f) for f in self.Meta.fields if f in self.cleaned_data}
        for key in ("tempat_lahir", "jabatan_saat_ini", "unit_kerja", "jenis_kelamin"):
            data[key] = data.get(key) or ""
        data["pengalaman_bulan"] = self.cleaned_data["pengalaman_tahun"] * 12 + (
            self.cleaned_data.get("pengalaman_bulan_sisa") or 0
        )
        data["predikat"] = {
            str(t): self.cleaned_data[f"predikat_{t}"] for t in self.tahun if self.cleaned_data.get(f"predikat_{t}")
        }
        if self.instance.pk:
            if self.nip_terkunci:
                data["nip"] = self.instance.nip
            # keep earlier years the form no longer shows
            data["predikat"] = {
                **{k: v for k, v in (self.instance.predikat or {}).items() if int(k) not in self.tahun},
                **data["predikat"],
            }
        return data


class UsulanCreateForm(BootstrapMixin, forms.Form):
    jf = forms.ModelChoiceField(
        label=_("Jabatan fungsional tujuan"),
        queryset=JabatanFungsional.objects.order_by("nama"),
        to_field_name="kode",
    )


class UnggahForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas"), allow_empty_file=True)
    # The PAK signed by the atasan langsung: its number and date (the SK cites them; the service
    # requires them for that document only).
    nomor_surat = forms.CharField(label=_("Nomor PAK"), max_length=100, required=False)
    tanggal_surat = forms.DateField(label=_("Tanggal PAK"), required=False)


class FormasiForm(BootstrapMixin, forms.Form):
    jenjang = forms.ModelChoiceField(label=_("Jenjang"), queryset=Jenjang.objects.none())
    unit_kerja = forms.CharField(
        label=_("Unit kerja"),
        required=False,
        max_length=200,
        help_text=_("Kosongkan untuk seluruh instansi."),
    )
    jumlah = forms.IntegerField(label=_("Jumlah formasi"), min_value=0, max_value=10000)

    def __init__(self, *args, jf: JabatanFungsional, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenjang"].queryset = Jenjang.objects.filter(jf=jf).order_by("urutan")
        self.fields["jenjang"].label_from_instance = lambda jenjang: jenjang.nama


class ImporForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas XLSX"))
    jf = forms.ModelChoiceField(
        label=_("Jabatan fungsional tujuan"),
        queryset=JabatanFungsional.objects.order_by("nama"),
        to_field_name="kode",
    )
