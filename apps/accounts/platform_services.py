"""Platform administration (the superadmin's): instansi and accounts. Every change is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions
from apps.accounts.models import Membership, Role, User
from apps.core import audit
from apps.core.models import Instansi

# The 38 provinces (Kemendagri codes), the parent of every kabupaten and kota.
PROVINSI = [
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"), ("15", "Jambi"),
    ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"), ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"), ("32", "Jawa Barat"), ("33", "Jawa Tengah"),
    ("34", "DI Yogyakarta"), ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"), ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"), ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua"), ("92", "Papua Barat"),
    ("93", "Papua Selatan"), ("94", "Papua Tengah"), ("95", "Papua Pegunungan"), ("96", "Papua Barat Daya"),
]  # fmt: skip
NAMA_PROVINSI = dict(PROVINSI)
FIELDS = ("kode", "nama", "jenis", "parent_id", "is_pembina", "alamat", "kop_surat")


def _require(actor) -> None:
    if not permissions.is_superadmin(actor):
        raise PermissionDenied


def provinsi(kode: str) -> Instansi:
    """The Pemerintah Provinsi of a province code: the existing instansi (matched by name), or a new one."""
    nama = f"Pemerintah Provinsi {NAMA_PROVINSI[kode]}"
    found = Instansi.objects.filter(jenis=Instansi.Jenis.PROVINSI, nama__iexact=nama).first()
    if found is None:
        found = Instansi.objects.create(kode=f"PROV-{kode}", nama=nama, jenis=Instansi.Jenis.PROVINSI)
    return found


@transaction.atomic
def instansi_simpan(*, actor, data: dict, instansi: Instansi | None = None, ip_address=None) -> Instansi:
    """Create or change an instansi. ``data``: kode, nama, jenis, provinsi (code or ""), is_pembina,
    alamat, kop_surat."""
    _require(actor)
    data = dict(data)
    kode_prov = data.pop("provinsi", "")
    if data["jenis"] in (Instansi.Jenis.KABUPATEN, Instansi.Jenis.KOTA):
        if not kode_prov:
            raise ValidationError({"provinsi": _("Pilih provinsi tempat kabupaten/kota ini berada.")})
        data["parent_id"] = provinsi(kode_prov).pk
    else:
        data["parent_id"] = None
    data["kode"] = data["kode"].strip().upper()
    clash = Instansi.objects.filter(kode__iexact=data["kode"])
    if instansi is not None:
        clash = clash.exclude(pk=instansi.pk)
    if clash.exists():
        raise ValidationError({"kode": _("Kode %(k)s sudah dipakai instansi lain.") % {"k": data["kode"]}})
    obj = Instansi.objects.select_for_update().get(pk=instansi.pk) if instansi else Instansi()
    before = {f: getattr(obj, f) for f in FIELDS} if instansi else {}
    for f in FIELDS:
        setattr(obj, f, data[f])
    obj.full_clean(validate_unique=False)
    obj.save()
    diff = {f: [str(before.get(f, "")), str(getattr(obj, f))] for f in FIELDS if before.get(f) != getattr(obj, f)}
    audit.record(
        "platform.instansi_diubah" if instansi else "platform.instansi_dibuat",
        actor=actor, instansi=obj, obj=obj, ip_address=ip_address,
        message=(_("Instansi %(n)s diubah.") if instansi else _("Instansi %(n)s dibuat.")) % {"n": obj.nama},
        data={"perubahan": diff},
    )  # fmt: skip
    return obj


@transaction.atomic
def instansi_aktifkan(*, actor, instansi: Instansi, aktif: bool, ip_address=None) -> Instansi:
    """Deactivate (its users lose their roles there; nothing is deleted) or reactivate an instansi."""
    _require(actor)
    obj = Instansi.objects.select_for_update().get(pk=instansi.pk)
    if obj.aktif == aktif:
        return obj
    obj.aktif = aktif
    obj.save(update_fields=["aktif"])
    dicabut = 0
    if not aktif:
        dicabut = Membership.objects.filter(instansi=obj, is_active=True).update(is_active=False)
    audit.record(
        "platform.instansi_diaktifkan" if aktif else "platform.instansi_dinonaktifkan",
        actor=actor, instansi=obj, obj=obj, ip_address=ip_address,
        message=(_("Instansi %(n)s diaktifkan.") if aktif else _("Instansi %(n)s dinonaktifkan; %(r)d peran dicabut."))
        % {"n": obj.nama, "r": dicabut},
        data={"peran_dicabut": dicabut},
    )  # fmt: skip
    return obj


@transaction.atomic
def peran_atur(*, actor, user: User, instansi: Instansi, roles: set[str], ip_address=None) -> tuple[set, set]:
    """Make the user's active roles exactly ``roles`` in ``instansi``; returns (granted, revoked)."""
    from apps.accounts.services import _check_roles

    _require(actor)
    if not instansi.aktif:
        raise ValidationError(_("Instansi %(n)s nonaktif.") % {"n": instansi.nama})
    other = user.memberships.filter(is_active=True).exclude(instansi=instansi)
    if roles and other.exists():
        raise ValidationError(
            _("%(u)s masih berperan di %(i)s; seorang pengguna hanya berada di satu instansi.")
            % {"u": user, "i": other.first().instansi}
        )
    if Role.PEJABAT_FUNGSIONAL in roles:
        raise ValidationError(_("Peran pejabat fungsional diberikan lewat undangan PIC dari halaman pejabatnya."))
    _check_roles(instansi, sorted(roles))
    # The holder's login comes with their record (the PIC's invitation); these pages leave it alone.
    current = set(
        user.memberships.filter(is_active=True, instansi=instansi)
        .exclude(role=Role.PEJABAT_FUNGSIONAL)
        .values_list("role", flat=True)
    )
    granted, revoked = roles - current, current - roles
    for role in granted:
        Membership.objects.update_or_create(user=user, role=role, defaults={"instansi": instansi, "is_active": True})
    Membership.objects.filter(user=user, role__in=revoked).update(is_active=False)
    for action, changed in (("akun.peran_diberikan", granted), ("akun.peran_dicabut", revoked)):
        for role in sorted(changed):
            audit.record(
                action, actor=actor, instansi=instansi, obj=user, ip_address=ip_address, data={"role": role},
                message=_("%(r)s untuk %(u)s.") % {"r": Role(role).label, "u": user},
            )  # fmt: skip
    return granted, revoked
