"""Account services: the only code that creates users and grants roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import PEMBINA_ROLES, PENGGUNA_ROLES, Membership, Role, User
from apps.core import audit, outbox
from apps.core.models import Instansi


@transaction.atomic
def user_create(
    *,
    username: str,
    nama_lengkap: str,
    email: str,
    instansi: Instansi | None,
    roles: Iterable[str] = (),
    password: str | None = None,
    nip: str = "",
    is_superuser: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with roles in one instansi and send the account e-mail (through the outbox).

    Caller: superadmin (any instansi) or the platform's demo/seed commands."""
    roles = list(dict.fromkeys(roles))
    _check_roles(instansi, roles)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}})
    cek_email(email)
    user = User(
        username=username,
        nama_lengkap=nama_lengkap,
        email=email,
        nip=nip,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for role in roles:
        Membership.objects.create(user=user, instansi=instansi, role=role)
    audit.record(
        "akun.dibuat",
        actor=actor,
        instansi=instansi,
        obj=user,
        message=_("Akun %(u)s dibuat dengan peran %(r)s.") % {"u": username, "r": ", ".join(roles) or "-"},
        data={"roles": roles},
    )
    if email and not getattr(user, "_undangan_terkirim", False):  # with a password: the demo users
        outbox.enqueue("accounts.kirim_email_akun_baru", user_id=user.pk)
    return user


def email_dipakai(email: str, *, kecuali: User | None = None) -> User | None:
    """The account that already uses this address (case-insensitive), if any."""
    email = (email or "").strip()
    if not email:
        return None
    others = User.objects.filter(email__iexact=email)
    if kecuali is not None:
        others = others.exclude(pk=kecuali.pk)
    return others.first()


def cek_email(email: str, *, kecuali: User | None = None) -> None:
    """Refuse an address another account uses: the set-password link sent to it would let that
    mailbox take over this account too (the database's ``user_email_unik`` holds the same rule)."""
    if email_dipakai(email, kecuali=kecuali) is not None:
        raise ValidationError(
            {"email": _("Alamat e-mail %(e)s sudah dipakai akun lain; setiap akun memerlukan alamatnya sendiri.")
             % {"e": email.strip()}}
        )  # fmt: skip


def cek_peran(instansi: Instansi | None, roles: list[str]) -> None:
    """Refuse a role set the rules do not allow (unknown roles, pembina roles outside a pembina,
    pengguna and pembina roles mixed). Forms call it too, to show it with their other errors."""
    _check_roles(instansi, roles)


def _check_roles(instansi: Instansi | None, roles: list[str]) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("Peran tidak dikenal: %(r)s.") % {"r": ", ".join(sorted(unknown))})
    if roles and instansi is None:
        raise ValidationError(_("Peran hanya dapat diberikan dalam sebuah instansi."))
    if instansi is not None and not instansi.is_pembina and set(roles) & PEMBINA_ROLES:
        raise ValidationError(_("Peran tim pembina hanya untuk pegawai instansi pembina."))
    if set(roles) & PEMBINA_ROLES and set(roles) & PENGGUNA_ROLES:
        raise ValidationError(_("Peran instansi pengguna dan peran tim pembina tidak dapat digabung."))
