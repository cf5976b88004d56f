from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapMixin, DateInput
from apps.core.models import ALAMAT_BANTUAN, KOP_BANTUAN
from apps.referensi import domain as rules
from apps.surat.models import ALASAN_MAKS, SERI_LABELS


def nip_pejabat(raw: str | None) -> str:
    """The signing official's NIP (optional), read by the one NIP rule (``referensi.domain``)."""
    if not (raw or "").strip():
        return ""
    try:
        return rules.parse_nip(raw).nip
    except rules.NipError as exc:
        raise forms.ValidationError(str(exc)) from None


class PenandatanganMixin(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal surat"), widget=DateInput(), initial=timezone.localdate)
    penandatangan_nama = forms.CharField(label=_("Nama pejabat penanda tangan"), max_length=150)
    penandatangan_jabatan = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200)
    penandatangan_nip = forms.CharField(label=_("NIP penanda tangan"), max_length=30, required=False)

    def __init__(self, *args, penerbit_id: int | None = None, **kwargs):
        from apps.ttd import pilihan

        super().__init__(*args, **kwargs)
        # The issuer's registered signing officials, offered and filled in (apps.ttd.pilihan).
        pilihan.pasang(self, instansi_id=penerbit_id)

    def clean(self):
        from apps.ttd import pilihan

        data = pilihan.terapkan(self, super().clean())
        kosong = not (data.get("penandatangan_nama") or "").strip()
        if kosong and "penandatangan_nama" not in self.errors and not self.errors.get("pejabat"):
            self.add_error("penandatangan_nama", _("Isi nama pejabat penanda tangan."))
        if not (data.get("penandatangan_jabatan") or "").strip() and "penandatangan_jabatan" not in self.errors:
            self.add_error("penandatangan_jabatan", _("Isi jabatan penanda tangan."))
        return data

    def clean_tanggal(self):
        from apps.surat.services import masalah_tanggal

        tanggal = self.cleaned_data["tanggal"]
        masalah = masalah_tanggal(tanggal)
        if masalah:  # on the field, with the form's other errors (the service checks it again)
            raise forms.ValidationError(masalah)
        return tanggal

    def clean_penandatangan_nip(self):
        return nip_pejabat(self.cleaned_data.get("penandatangan_nip"))

    def penandatangan(self) -> tuple[str, str, str]:
        d = self.cleaned_data
        return d["penandatangan_nama"], d["penandatangan_jabatan"], d.get("penandatangan_nip") or ""


class RekomendasiForm(BootstrapMixin, PenandatanganMixin):
    pass


class SKForm(BootstrapMixin, PenandatanganMixin):
    tmt = forms.DateField(label=_("TMT pengangkatan"), widget=DateInput())
    kolektif = forms.BooleanField(
        label=_("Satu SK kolektif untuk semua pegawai terpilih (dengan lampiran)"), required=False
    )
    ditetapkan_di = forms.CharField(
        label=_("Ditetapkan di (kota)"), max_length=80, required=False,
        help_text=_("Kosong: kota kedudukan instansi."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        tanggal, tmt = data.get("tanggal"), data.get("tmt")
        if tanggal and tmt and abs((tmt - tanggal).days) > 366:
            self.add_error("tmt", _("TMT terlalu jauh dari tanggal SK (lebih dari satu tahun)."))
        return data


class KoreksiForm(BootstrapMixin, forms.Form):
    """A correction: opened with the letter's current TMT and signer (changed only where the user
    changes them); the signer is chosen among the issuer's registered officials when it has any."""

    alasan = forms.CharField(
        label=_("Alasan perbaikan"), max_length=ALASAN_MAKS, widget=forms.Textarea(attrs={"rows": 2})
    )
    tmt = forms.DateField(label=_("TMT"), widget=DateInput(), required=False)
    penandatangan_nama = forms.CharField(label=_("Nama penanda tangan"), max_length=150, required=False)
    penandatangan_jabatan = forms.CharField(label=_("Jabatan penanda tangan"), max_length=200, required=False)
    penandatangan_nip = forms.CharField(label=_("NIP penanda tangan"), max_length=30, required=False)

    def __init__(self, *args, surat=None, **kwargs):
        from apps.surat.models import JenisSurat
        from apps.ttd import pilihan

        self.surat = surat
        if surat is not None:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("tmt", surat.tmt)
            initial.setdefault("penandatangan_nama", surat.penandatangan_nama)
            initial.setdefault("penandatangan_jabatan", surat.penandatangan_jabatan)
            initial.setdefault("penandatangan_nip", surat.penandatangan_nip)
        super().__init__(*args, **kwargs)
        if surat is None:
            return
        if surat.tmt is None and surat.jenis not in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF):
            del self.fields["tmt"]  # a letter without a TMT (rekomendasi, berita acara, PAK, HAPAK)
        if surat.jenis in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI):
            for name in pilihan.PENANDATANGAN:  # signed by the people it names, not a typed signer
                del self.fields[name]
        elif surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
            self._penanda_tim_penilai(surat)
        else:
            pilihan.pasang(self, instansi_id=surat.penerbit_id, wajib=False)

    def _penanda_tim_penilai(self, surat) -> None:
        """A Tim Penilai AK's letter (apps.penetapan.koreksi, seed 001 BAB IV E): nothing about its
        signer is typed. A HAPAK is signed by the team's ketua (no field); a PAK by the PYB, chosen
        among the registered signing officials of the team's instansi — by default the one the
        letter names, else the one configured for the PAK on the alur paraf page."""
        from apps.core import tenancy
        from apps.surat.models import JenisSurat
        from apps.ttd import pilihan
        from apps.ttd.alur import penanda_bawaan

        for name in pilihan.PENANDATANGAN:
            del self.fields[name]
        self.tim_penilai = True
        if surat.jenis != JenisSurat.PAK_AK:
            return
        daftar = [p for p in pilihan.pejabat_aktif(surat.penerbit_id) if p.nip]
        self.tanpa_pejabat_pyb = not daftar
        if not daftar:
            return
        awal = next((p for p in daftar if p.nip == (surat.penandatangan_nip or "").strip()), None)
        if awal is None:
            with tenancy.all_tenants(reason="the PAK signer the team's instansi configured"):
                awal = penanda_bawaan(surat.penerbit_id, ["pak_ak"])
        pilihan_pyb = [(str(p.pk), f"{p.nama} — {p.jabatan} (NIP {p.nip})") for p in daftar]
        terdaftar = any(p.nip == (surat.penandatangan_nip or "").strip() for p in daftar)
        if not terdaftar:  # named at the sidang while no official was registered (signed by hand)
            tetap = _("Tetap: %(n)s (belum terdaftar)") % {"n": surat.penandatangan_nama}
            pilihan_pyb.insert(0, ("", tetap))
        self.fields["pejabat"] = forms.TypedChoiceField(
            label=_("PYB (pejabat yang berwenang menetapkan angka kredit)"),
            choices=pilihan_pyb, coerce=int, empty_value=None, required=False,  # none sent: unchanged
            initial=str(awal.pk) if awal is not None else "",
            help_text=_("Nama, jabatan dan NIP dicetak sebagaimana pejabat itu terdaftar sebagai pejabat penanda "
                        "tangan instansi tim penilai."),
        )  # fmt: skip

    def clean_penandatangan_nip(self):
        return nip_pejabat(self.cleaned_data.get("penandatangan_nip"))

    def clean(self):
        from apps.ttd import pilihan

        data = super().clean()
        if getattr(self, "tim_penilai", False):
            return data
        sekarang = (self.surat.penandatangan_nama, self.surat.penandatangan_nip) if self.surat else None
        return pilihan.terapkan(self, data, sekarang=sekarang)

    def perubahan(self) -> dict:
        """What differs from the letter as it stands (nothing typed differently: nothing changes)."""
        d = self.cleaned_data
        s = self.surat
        if getattr(self, "tim_penilai", False):  # a PAK's PYB: the chosen registered official
            return {"pejabat": d["pejabat"]} if d.get("pejabat") else {}
        out = {}
        if d.get("tmt") and (s is None or d["tmt"] != s.tmt):
            out["tmt"] = d["tmt"]
        if d.get("penandatangan_nama"):
            baru = (d["penandatangan_nama"].strip(), (d.get("penandatangan_jabatan") or "").strip(),
                    (d.get("penandatangan_nip") or "").strip())  # fmt: skip
            if s is None or baru != (s.penandatangan_nama, s.penandatangan_jabatan, s.penandatangan_nip):
                out["penandatangan"] = baru
        return out


class PengaturanForm(BootstrapMixin, forms.Form):
    kop_surat = forms.CharField(
        label=_("Kop surat (satu baris per baris)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=KOP_BANTUAN,
    )  # fmt: skip
    alamat = forms.CharField(
        label=_("Alamat"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=ALAMAT_BANTUAN
    )
    kota = forms.CharField(
        label=_("Kota kedudukan"), max_length=80, required=False,
        help_text=_('Dicetak pada SK: "Ditetapkan di <kota>", misalnya Sleman. Wajib sebelum menerbitkan SK.'),
    )  # fmt: skip

    def __init__(self, *args, seri: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for s in seri:
            self.fields[f"pola_{s}"] = forms.CharField(
                label=_("Format nomor %(s)s") % {"s": SERI_LABELS[s]},
                max_length=120,
                help_text=_("Kolom: {urut}, {urut:04d}, {kode}, {tahun}, {bulan}, {bulan_romawi}."),
            )
            self.fields[f"pola_{s}"].widget.attrs["class"] = "form-control font-monospace"


class CocokkanForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas PDF yang ingin dicocokkan"))
