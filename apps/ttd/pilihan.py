"""The signer on the issuance forms (SK, rekomendasi, PAK's PYB, corrections): the issuer's
registered signing officials are offered, and the name, NIP and jabatan are filled from the
chosen one (in the browser from the option's data, and again on the server, which is what
counts). Free text only where the issuer has no registered official, with a link to the page
that registers them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

PENANDATANGAN = ("penandatangan_nama", "penandatangan_jabatan", "penandatangan_nip")


class PilihanPejabat(forms.Select):
    """Each option carries the official's name, jabatan and NIP (``siaks.js`` copies them into
    the fields named by ``data-isi-penanda``)."""

    pejabat: dict = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        obj = self.pejabat.get(str(value))
        if obj is not None:
            option["attrs"].update({"data-nama": obj.nama, "data-jabatan": obj.jabatan, "data-nip": obj.nip})
        return option


def pejabat_aktif(instansi_id: int | None) -> list:
    """The issuer's active officials. Read across tenants: the issuer is the caller's (the user's
    own instansi, the letter's issuer, the sidang's team's instansi), which may not be the
    user's scope (a team member of another instansi deciding the team's sidang)."""
    from apps.core import tenancy
    from apps.ttd.models import Pejabat

    if instansi_id is None:
        return []
    with tenancy.all_tenants(reason="the issuer's registered signing officials offered on its issuance form"):
        return list(Pejabat.objects.filter(instansi_id=instansi_id, aktif=True).order_by("nama"))


def pasang(form: forms.Form, *, instansi_id: int | None, bidang=PENANDATANGAN, wajib: bool = True) -> None:
    """Add the ``pejabat`` choice before ``bidang`` (name, jabatan, NIP fields) when the issuer
    has registered officials: then the name and NIP are the chosen official's (read-only here),
    the jabatan defaults to theirs. ``wajib``: a signer must be named (else: only when changed).
    Sets ``form.tanpa_pejabat`` when there is none (the template links to the register)."""
    nama, jabatan, nip = bidang
    daftar = pejabat_aktif(instansi_id)
    form.bidang_penanda = bidang
    form.pejabat_terdaftar = daftar
    form.penanda_wajib = wajib
    form.tanpa_pejabat = not daftar
    if not daftar:
        return
    widget = PilihanPejabat(attrs={"data-isi-penanda": ",".join(bidang), "class": "form-select"})
    widget.pejabat = {str(p.pk): p for p in daftar}
    field = forms.TypedChoiceField(
        choices=[("", _("— pilih pejabat —"))] + [(str(p.pk), f"{p.nama} — {p.jabatan}") for p in daftar],
        coerce=lambda v: widget.pejabat[v], empty_value=None, required=False, widget=widget,
        label=_l("Pejabat penanda tangan terdaftar"),
        help_text=_l("Nama dan NIP diisi dari pejabat yang dipilih; jabatan boleh disesuaikan."),
    )  # fmt: skip
    # Placed just before the name field.
    fields = list(form.fields.items())
    pos = next((i for i, (k, _f) in enumerate(fields) if k == nama), len(fields))
    fields.insert(pos, ("pejabat", field))
    form.fields = type(form.fields)(fields)
    for name in (nama, nip):
        form.fields[name].required = False
        form.fields[name].widget.attrs["readonly"] = True
    form.fields[jabatan].required = False
    # Pre-selected: the official whose NIP the initial values carry.
    nip_awal = (form.initial.get(nip) or "").strip()
    if "pejabat" not in form.initial:
        cocok = next((p for p in daftar if nip_awal and p.nip == nip_awal), None)
        if cocok is None and wajib and len(daftar) == 1:
            cocok = daftar[0]
        if cocok is not None:
            form.initial["pejabat"] = str(cocok.pk)
            form.initial.update({nama: cocok.nama, nip: cocok.nip, jabatan: form.initial.get(jabatan) or cocok.jabatan})


def terapkan(form: forms.Form, cleaned: dict, *, sekarang: tuple[str, str] | None = None) -> dict:
    """In ``clean()``: the chosen official's name and NIP (and jabatan when left empty) replace
    what was typed. Without a choice, a typed NIP of a registered official counts as choosing
    them (API clients, the forms of before); any other signer is refused while officials are
    registered — except ``sekarang`` (name, NIP): the letter's current signer, kept as it is."""
    if not getattr(form, "pejabat_terdaftar", None):
        return cleaned
    nama, jabatan, nip = form.bidang_penanda
    p = cleaned.get("pejabat")
    typed_nip = (cleaned.get(nip) or "").strip()
    if p is None and typed_nip:
        p = next((o for o in form.pejabat_terdaftar if o.nip and o.nip == typed_nip), None)
    if p is not None:
        cleaned["pejabat"] = p
        cleaned[nama], cleaned[nip] = p.nama, p.nip
        cleaned[jabatan] = (cleaned.get(jabatan) or "").strip() or p.jabatan
        return cleaned
    typed_nama = (cleaned.get(nama) or "").strip()
    if sekarang is not None and (typed_nama, typed_nip) == tuple(x or "" for x in sekarang):
        return cleaned
    if form.penanda_wajib or typed_nama or typed_nip:
        form.add_error(
            "pejabat",
            _("Pilih pejabat penanda tangan yang terdaftar. Pejabat lain didaftarkan dahulu oleh PIC instansi atau "
              "admin pembina di halaman Pejabat penanda tangan."),
        )  # fmt: skip
    return cleaned
