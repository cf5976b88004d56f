"""Two-factor authentication (TOTP with django-otp) and its backup codes.

Required for pembina staff, PPK and the superadmin (``wajib``); optional for the PIC — but once a
PIC has confirmed a device, that PIC is asked for a code too. Every change is audited."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Role
from apps.core import audit

WAJIB_ROLES = frozenset({Role.VERIFIKATOR, Role.PENILAI, Role.KETUA_TIM, Role.ADMIN_PEMBINA, Role.PPK})
JUMLAH_KODE_CADANGAN = 10


def wajib(user) -> bool:
    return bool(user.is_superuser or user.roles & WAJIB_ROLES)


def aktif(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def perlu_verifikasi(user) -> bool:
    """Must this logged-in user present a code before using the portal?"""
    if not user.is_authenticated or user.is_verified():
        return False
    if settings.SIAKS_2FA_WAJIB and wajib(user):
        return True
    # Loaded with the user at the start of this request (apps/portal/konteks.py), else asked here.
    if hasattr(user, "_siaks_totp"):
        return user._siaks_totp is not None
    return aktif(user)


def _instansi_id(user):
    return user.instansi.pk if user.instansi else None


@transaction.atomic
def mulai(user) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (an earlier unconfirmed one is discarded)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=False)


def _kode_cadangan(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Kode cadangan")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(JUMLAH_KODE_CADANGAN)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def konfirmasi(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns the backup codes (shown once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token((token or "").replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _kode_cadangan(user)
    otp_login(request, device)
    audit.record("2fa.aktif", actor=user, instansi=_instansi_id(user), obj=user,
                 message=_("Verifikasi dua langkah diaktifkan."))  # fmt: skip
    return codes


def verifikasi(request, token: str) -> bool:
    """Check a TOTP or backup code for the logged-in user; on success the session is verified."""
    user = request.user
    device = match_token(user, (token or "").replace(" ", "").replace("-", ""))
    if device is None:
        audit.record("2fa.gagal", actor=user, instansi=_instansi_id(user), obj=user,
                     message=_("Kode verifikasi dua langkah salah."))  # fmt: skip
        return False
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        sisa = device.token_set.count()
        audit.record("2fa.kode_cadangan", actor=user, instansi=_instansi_id(user), obj=user,
                     message=_("Masuk dengan kode cadangan; sisa %(n)d.") % {"n": sisa})  # fmt: skip
    return True


@transaction.atomic
def kode_cadangan_baru(user) -> list[str]:
    codes = _kode_cadangan(user)
    audit.record("2fa.kode_cadangan_baru", actor=user, instansi=_instansi_id(user), obj=user,
                 message=_("Kode cadangan dibuat ulang."))  # fmt: skip
    return codes


def dapat_mereset(actor, target) -> bool:
    """The superadmin resets anyone; an admin pembina resets the accounts of the own instansi."""
    if actor.is_superuser:
        return True
    return bool(
        actor.roles & {Role.ADMIN_PEMBINA}
        and actor.instansi is not None
        and target.memberships.filter(instansi=actor.instansi, is_active=True).exists()
        and not target.is_superuser
    )


@transaction.atomic
def reset(*, actor, target, ip_address=None) -> int:
    """Remove the target's authenticators and backup codes: the next login sets 2FA up again."""
    if not dapat_mereset(actor, target):
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=target).delete()[0] + StaticDevice.objects.filter(user=target).delete()[0]
    audit.record("2fa.reset", actor=actor, instansi=_instansi_id(target), obj=target, ip_address=ip_address,
                 message=_("Verifikasi dua langkah %(u)s direset.") % {"u": target.username})  # fmt: skip
    return removed


@transaction.atomic
def nonaktifkan(*, user, ip_address=None) -> None:
    """A PIC may switch the optional 2FA off; a role that requires it may not."""
    if settings.SIAKS_2FA_WAJIB and wajib(user):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record("2fa.nonaktif", actor=user, instansi=_instansi_id(user), obj=user, ip_address=ip_address,
                 message=_("Verifikasi dua langkah dinonaktifkan."))  # fmt: skip
