"""Platform administration: instansi and accounts. Every change is audited.

Who may manage which accounts is one rule, :func:`lingkup`: the superadmin any account and any
role; an admin pembina the staff of their own pembina (verifikator, penilai, ketua tim) and only
those roles. The superadmin's pages and the admin pembina's staff pages call the same services
with the same forms (``platform_forms``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from apps.accounts import permissions
from apps.accounts.models import PLATFORM_ROLES, Membership, Role, User
from apps.core import audit
from apps.core.models import Instansi

#: The roles an admin pembina gives and takes from the staff of their pembina.
STAF_ROLES = frozenset({Role.VERIFIKATOR, Role.PENILAI, Role.KETUA_TIM})


@dataclass(frozen=True)
class Lingkup:
    """What an actor may manage: accounts of ``instansi`` (None: every instansi) and ``peran``."""

    instansi: Instansi | None
    peran: frozenset[str]

    @property
    def superadmin(self) -> bool:
        return self.instansi is None


def lingkup(actor) -> Lingkup | None:
    """The accounts ``actor`` manages, or None (the pages are then 404)."""
    if permissions.is_superadmin(actor):
        return Lingkup(None, frozenset(v for v, _label in PLATFORM_ROLES))
    if permissions.has_role(actor, Role.ADMIN_PEMBINA):
        instansi = actor.instansi
        if instansi is not None and instansi.is_pembina and instansi.aktif:
            return Lingkup(instansi, STAF_ROLES)
    return None


def pengguna_dikelola(actor) -> QuerySet[User]:
    """The accounts ``actor`` may change. An admin pembina: users whose every role, active or
    revoked, is a staff role of their own pembina — never themselves, another admin pembina, a
    superadmin or anyone with a role elsewhere."""
    ling = lingkup(actor)
    if ling is None:
        return User.objects.none()
    if ling.superadmin:
        return User.objects.exclude(pk=actor.pk)
    staf = Membership.objects.filter(user=OuterRef("pk"), instansi=ling.instansi, role__in=ling.peran)
    lain = Membership.objects.filter(user=OuterRef("pk")).exclude(instansi=ling.instansi, role__in=ling.peran)
    return User.objects.filter(Exists(staf), is_superuser=False).exclude(Exists(lain)).exclude(pk=actor.pk)


def _wajib_lingkup(actor, *, instansi: Instansi | None = None, roles=(), user: User | None = None) -> Lingkup:
    ling = lingkup(actor)
    if ling is None:
        raise PermissionDenied
    if user is not None and not pengguna_dikelola(actor).filter(pk=user.pk).exists():
        raise PermissionDenied
    if not ling.superadmin:
        if instansi is not None and instansi.pk != ling.instansi.pk:
            raise PermissionDenied
        luar = set(roles) - ling.peran
        if luar:
            nama = [str(Role(r).label) if r in Role.values else str(r) for r in sorted(luar)]
            raise ValidationError(
                _("Anda hanya dapat memberikan peran verifikator, penilai dan ketua tim; bukan %(r)s.")
                % {"r": ", ".join(nama)}
            )
    return ling


def wajib_bukan_superadmin(user: User) -> None:
    """Another superadmin's account is out of the portal's reach: no superadmin can lock out or
    strip the others (the list never offers it; this refuses a forged request with the reason)."""
    if user.is_superuser:
        raise ValidationError(
            _(
                "%(u)s adalah superadmin. Akun dan peran superadmin lain tidak dapat dinonaktifkan atau diubah "
                "dari portal; hubungi pengelola server bila akun ini perlu dicabut."
            )
            % {"u": user.username}
        )


@transaction.atomic
def pengguna_buat(*, actor, data: dict, ip_address=None) -> User:
    """Create and invite an account (the set-password e-mail). ``data``: username, nama_lengkap,
    email, nip, instansi, peran. An admin pembina creates staff of their pembina only, with at
    least one staff role."""
    from apps.accounts import services

    ling = _wajib_lingkup(actor, instansi=data["instansi"], roles=data["peran"])
    if not ling.superadmin and not data["peran"]:
        raise ValidationError({"peran": _("Pilih sedikitnya satu peran.")})
    return services.user_create(
        username=data["username"], nama_lengkap=data["nama_lengkap"], email=data["email"], nip=data["nip"],
        instansi=data["instansi"], roles=data["peran"], actor=actor,
    )  # fmt: skip


@transaction.atomic
def pengguna_ubah_email(*, actor, user: User, email: str, ip_address=None) -> User:
    """Correct an account's e-mail address (the superadmin: anyone but another superadmin; an
    admin pembina: their staff), audited before → after. The address must be free (one account per
    mailbox); a set-password link sent to the old address stops working (Django's reset token
    covers the address)."""
    from apps.accounts.services import cek_email

    _wajib_lingkup(actor, user=user)
    obj = User.objects.select_for_update().get(pk=user.pk)
    wajib_bukan_superadmin(obj)
    email = (email or "").strip()
    if email.lower() == obj.email.lower() and email == obj.email:
        return obj
    cek_email(email, kecuali=obj)
    lama = obj.email
    obj.email = email
    obj.full_clean(exclude=["password"])
    obj.save(update_fields=["email"])
    audit.record(
        "akun.email_diubah", actor=actor, instansi=obj.instansi, obj=obj, ip_address=ip_address,
        message=_("Alamat e-mail %(u)s diubah dari %(a)s menjadi %(b)s.") % {"u": obj.username, "a": lama or "—",
                                                                         "b": email or "—"},
        data={"email": [lama, email]},
    )  # fmt: skip
    return obj


@transaction.atomic
def pengguna_aktifkan(*, actor, user: User, aktif: bool, ip_address=None) -> User:
    """Deactivate an account (it can no longer log in; its API tokens are revoked; nothing is
    deleted) or activate it again."""
    from apps.accounts import token

    _wajib_lingkup(actor, user=user)
    obj = User.objects.select_for_update().get(pk=user.pk)
    wajib_bukan_superadmin(obj)
    if obj.is_active == aktif:
        raise ValidationError(
            (_("Akun %(u)s sudah aktif.") if aktif else _("Akun %(u)s sudah nonaktif.")) % {"u": obj.username}
        )
    obj.is_active = aktif
    obj.save(update_fields=["is_active"])
    if not aktif:
        token.cabut_semua(obj, alasan="akun dinonaktifkan")
    audit.record(
        "akun.diaktifkan" if aktif else "akun.dinonaktifkan",
        actor=actor, instansi=obj.instansi, obj=obj, ip_address=ip_address,
        message=(_("Akun %(u)s diaktifkan.") if aktif else _("Akun %(u)s dinonaktifkan.")) % {"u": obj.username},
    )  # fmt: skip
    return obj


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
FIELDS = ("kode", "nama", "jenis", "parent_id", "is_pembina", "alamat", "kota", "kop_surat")


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
    alamat, kota, kop_surat."""
    _require(actor)
    data = dict(data)
    data["kota"] = (data.get("kota") or "").strip()
    kode_prov = data.pop("provinsi", "")
    galat = {}  # every problem at once
    data["kode"] = data["kode"].strip().upper()
    clash = Instansi.objects.filter(kode__iexact=data["kode"])
    if instansi is not None:
        clash = clash.exclude(pk=instansi.pk)
    if clash.exists():
        galat["kode"] = _("Kode %(k)s sudah dipakai instansi lain.") % {"k": data["kode"]}
    kab_kota = data["jenis"] in (Instansi.Jenis.KABUPATEN, Instansi.Jenis.KOTA)
    if kab_kota and not kode_prov:
        galat["provinsi"] = _("Pilih provinsi tempat kabupaten/kota ini berada.")
    if galat:
        raise ValidationError(galat)
    data["parent_id"] = provinsi(kode_prov).pk if kab_kota else None
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
    """Make the user's active roles exactly ``roles`` in ``instansi``; returns (granted, revoked).
    The superadmin: anyone, any platform role. An admin pembina: their staff, staff roles."""
    from apps.accounts.services import _check_roles

    _wajib_lingkup(actor, instansi=instansi, roles=roles, user=user)
    wajib_bukan_superadmin(user)
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


# --------------------------------------------------------------------------- the PIC's request for a PPK account


@transaction.atomic
def permintaan_ppk_buat(*, actor, data: dict, ip_address=None):
    """The PIC asks for the PPK account of their instansi: name, NIP, e-mail and jabatan. One open
    request per instansi; the superadmins are notified (through the outbox)."""
    from apps.accounts.models import PermintaanAkun
    from apps.core import outbox

    if not permissions.has_role(actor, Role.PIC_INSTANSI) or actor.instansi is None:
        raise PermissionDenied
    instansi = actor.instansi
    if PermintaanAkun.objects.filter(instansi=instansi, peran=Role.PPK, status=PermintaanAkun.Status.MENUNGGU).exists():
        raise ValidationError(_("Permintaan akun PPK instansi Anda masih menunggu keputusan superadmin."))
    if User.objects.filter(email__iexact=data["email"]).exists():
        raise ValidationError({"email": _("Alamat e-mail ini sudah dipakai akun lain.")})
    permintaan = PermintaanAkun.objects.create(
        instansi=instansi, peran=Role.PPK, nama_lengkap=data["nama_lengkap"], nip=data["nip"], email=data["email"],
        jabatan=data["jabatan"], diminta_oleh=actor,
    )  # fmt: skip
    audit.record(
        "akun.permintaan_dibuat", actor=actor, instansi=instansi, obj=permintaan, ip_address=ip_address,
        message=_("Permintaan akun PPK untuk %(n)s.") % {"n": permintaan.nama_lengkap},
    )  # fmt: skip
    outbox.enqueue("accounts.kabari_permintaan_akun", permintaan_id=permintaan.pk, peristiwa="baru")
    return permintaan


def _permintaan_menunggu(permintaan):
    from apps.accounts.models import PermintaanAkun

    locked = PermintaanAkun.objects.select_for_update().get(pk=permintaan.pk)
    if locked.status != PermintaanAkun.Status.MENUNGGU:
        raise ValidationError(_("Permintaan ini sudah diputus (%(s)s).") % {"s": locked.get_status_display()})
    return locked


@transaction.atomic
def permintaan_setujui(*, actor, permintaan, data: dict, ip_address=None) -> User:
    """The superadmin approves: the PPK account is created in the request's instansi and invited
    (``data`` as ``pengguna_buat``: the superadmin may correct the username and the rest)."""
    from django.utils import timezone

    from apps.accounts.models import PermintaanAkun
    from apps.core import outbox

    if not permissions.is_superadmin(actor):
        raise PermissionDenied
    locked = _permintaan_menunggu(permintaan)
    if data["instansi"].pk != locked.instansi_id or set(data["peran"]) != {locked.peran}:
        raise ValidationError(_("Akun yang diminta adalah %(r)s di %(i)s.") % {"r": Role(locked.peran).label,
                                                                              "i": locked.instansi})  # fmt: skip
    user = pengguna_buat(actor=actor, data=data, ip_address=ip_address)
    locked.status, locked.pengguna = PermintaanAkun.Status.DISETUJUI, user
    locked.diputus_oleh, locked.diputus_at = actor, timezone.now()
    locked.save(update_fields=["status", "pengguna", "diputus_oleh", "diputus_at"])
    audit.record(
        "akun.permintaan_disetujui", actor=actor, instansi=locked.instansi_id, obj=locked, ip_address=ip_address,
        message=_("Permintaan akun PPK %(n)s disetujui; akun %(u)s dibuat.") % {"n": locked.nama_lengkap,
                                                                                 "u": user.username},
    )  # fmt: skip
    outbox.enqueue("accounts.kabari_permintaan_akun", permintaan_id=locked.pk, peristiwa="disetujui")
    return user


@transaction.atomic
def permintaan_tolak(*, actor, permintaan, alasan: str, ip_address=None):
    from django.utils import timezone

    from apps.accounts.models import PermintaanAkun
    from apps.core import outbox

    if not permissions.is_superadmin(actor):
        raise PermissionDenied
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Tuliskan alasan penolakan; PIC akan membacanya.")})
    locked = _permintaan_menunggu(permintaan)
    locked.status, locked.alasan = PermintaanAkun.Status.DITOLAK, alasan
    locked.diputus_oleh, locked.diputus_at = actor, timezone.now()
    locked.save(update_fields=["status", "alasan", "diputus_oleh", "diputus_at"])
    audit.record(
        "akun.permintaan_ditolak", actor=actor, instansi=locked.instansi_id, obj=locked, ip_address=ip_address,
        message=_("Permintaan akun PPK %(n)s ditolak: %(a)s") % {"n": locked.nama_lengkap, "a": alasan[:300]},
    )  # fmt: skip
    outbox.enqueue("accounts.kabari_permintaan_akun", permintaan_id=locked.pk, peristiwa="ditolak")
    return locked
