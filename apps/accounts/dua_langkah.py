"""Two-factor authentication (TOTP with django-otp) and its backup codes.

Required for pembina staff, PPK and the superadmin (``wajib``); optional for the PIC — but once a
PIC has confirmed a device, that PIC is asked for a code too. Every change is audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import token as api_token
from apps.accounts.models import PercobaanOTP, Role
from apps.core import audit, outbox

WAJIB_ROLES = frozenset({Role.VERIFIKATOR, Role.PENILAI, Role.KETUA_TIM, Role.ADMIN_PEMBINA, Role.PPK})
JUMLAH_KODE_CADANGAN = 10


def wajib(user) -> bool:
    return bool(user.is_superuser or user.roles & WAJIB_ROLES)


def aktif(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def perlu_kode(user) -> bool:
    """Must this user give a second-factor code to log in or to get (and use) an API token?"""
    return bool((settings.SIAKS_2FA_WAJIB and wajib(user)) or aktif(user))


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
    api_token.cabut_semua(user, alasan="2fa.aktif")
    audit.record("2fa.aktif", actor=user, instansi=_instansi_id(user), obj=user,
                 message=_("Verifikasi dua langkah diaktifkan."))  # fmt: skip
    return codes


# ----------------------------------------------------------------- checking a code, with a pause


@dataclass(frozen=True)
class HasilKode:
    device: object | None  # the device that matched, or None
    jenis: str  # PercobaanOTP.Jenis: which kind of code was given
    jeda_sampai: datetime | None = None  # set while this kind of code is paused for the address

    @property
    def pesan_jeda(self) -> str:
        jam = formats.time_format(timezone.localtime(self.jeda_sampai), "H.i")
        if self.jenis == PercobaanOTP.Jenis.CADANGAN:
            return _(
                "Terlalu banyak kode cadangan yang salah dari alamat Anda. Verifikasi dengan kode cadangan "
                "dijeda sampai pukul %(jam)s WIB. Kode dari aplikasi autentikator tetap dapat dipakai."
            ) % {"jam": jam}
        return _(
            "Terlalu banyak kode yang salah dari alamat Anda. Verifikasi dengan kode aplikasi dijeda sampai "
            "pukul %(jam)s WIB. Kode cadangan (8 angka) tetap dapat dipakai sekarang; bila tidak ada, minta "
            "admin instansi pembina atau superadmin mereset verifikasi dua langkah Anda."
        ) % {"jam": jam}


def _bersih(token: str) -> str:
    return (token or "").replace(" ", "").replace("-", "")


def jenis_kode(token: str) -> str:
    """Backup codes have 8 digits, authenticator codes 6: each kind has its own pause, so an
    attacker guessing one kind never pauses the other for the real user."""
    token = _bersih(token)
    if len(token) == 8 and token.isdigit():
        return PercobaanOTP.Jenis.CADANGAN
    return PercobaanOTP.Jenis.TOTP


def _cocokkan(user, token: str, jenis: str):
    model = StaticDevice if jenis == PercobaanOTP.Jenis.CADANGAN else TOTPDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def _jeda(gagal: int) -> timedelta | None:
    lebih = gagal - settings.SIAKS_OTP_GAGAL_BEBAS
    if lebih < 0:
        return None
    return timedelta(seconds=min(settings.SIAKS_OTP_JEDA_AWAL * 2 ** min(lebih, 20), settings.SIAKS_OTP_JEDA_MAKS))


def cek_kode(user, token: str, *, ip_address=None) -> HasilKode:
    """Check a second-factor code, paced per (user, address, kind of code).

    After ``SIAKS_OTP_GAGAL_BEBAS`` failures the pair is paused — the code is not even checked —
    for ``SIAKS_OTP_JEDA_AWAL`` seconds, doubling with each further failure up to
    ``SIAKS_OTP_JEDA_MAKS``. A success clears the count. After ``SIAKS_OTP_GAGAL_PERINGATAN``
    failures within an hour (any address), the user is e-mailed once an hour."""
    token = _bersih(token)
    jenis = jenis_kode(token)
    now = timezone.now()
    with transaction.atomic():
        row, _created = PercobaanOTP.objects.get_or_create(
            user=user, ip_address=ip_address, jenis=jenis, defaults={"terakhir_at": now}
        )
        row = PercobaanOTP.objects.select_for_update().get(pk=row.pk)
        if row.jeda_sampai and row.jeda_sampai > now:
            return HasilKode(None, jenis, row.jeda_sampai)
        device = _cocokkan(user, token, jenis) if token else None
        if device is not None:
            row.delete()
            return HasilKode(device, jenis)
        if row.terakhir_at < now - timedelta(days=1):
            row.gagal = 0
        row.gagal += 1
        row.terakhir_at = now
        jeda = _jeda(row.gagal)
        row.jeda_sampai = now + jeda if jeda else None
        row.save()
        audit.record("2fa.gagal", actor=user, instansi=_instansi_id(user), obj=user, ip_address=ip_address,
                     message=_("Kode verifikasi dua langkah salah (%(j)s, kegagalan ke-%(n)d dari alamat ini).")
                     % {"j": PercobaanOTP.Jenis(jenis).label, "n": row.gagal})  # fmt: skip
        _peringatkan(user, now=now, ip_address=ip_address)
    return HasilKode(None, jenis, row.jeda_sampai)


def _peringatkan(user, *, now, ip_address) -> None:
    jam_lalu = now - timedelta(hours=1)
    rows = PercobaanOTP.objects.filter(user=user, terakhir_at__gte=jam_lalu)
    jumlah = rows.aggregate(n=Sum("gagal"))["n"] or 0
    if jumlah < settings.SIAKS_OTP_GAGAL_PERINGATAN or not user.email:
        return
    if PercobaanOTP.objects.filter(user=user, diperingatkan_at__gte=jam_lalu).exists():
        return  # one alert an hour
    PercobaanOTP.objects.filter(user=user, ip_address=ip_address).update(diperingatkan_at=now)
    outbox.enqueue("accounts.kirim_peringatan_otp", user_id=user.pk, jumlah=jumlah, ip_address=ip_address or "")
    audit.record("2fa.peringatan", actor=user, instansi=_instansi_id(user), obj=user, ip_address=ip_address,
                 message=_("Peringatan %(n)d kode salah dikirim ke e-mail pengguna.") % {"n": jumlah})  # fmt: skip


def verifikasi(request, token: str) -> HasilKode:
    """Check a TOTP or backup code for the logged-in user; on success the session is verified."""
    from apps.core.audit import client_ip

    user = request.user
    hasil = cek_kode(user, token, ip_address=client_ip(request))
    if hasil.device is None:
        return hasil
    otp_login(request, hasil.device)
    if isinstance(hasil.device, StaticDevice):
        sisa = hasil.device.token_set.count()
        audit.record("2fa.kode_cadangan", actor=user, instansi=_instansi_id(user), obj=user,
                     message=_("Masuk dengan kode cadangan; sisa %(n)d.") % {"n": sisa})  # fmt: skip
    return hasil


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
    api_token.cabut_semua(target, alasan="2fa.reset")
    PercobaanOTP.objects.filter(user=target).delete()
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
    api_token.cabut_semua(user, alasan="2fa.nonaktif")
    audit.record("2fa.nonaktif", actor=user, instansi=_instansi_id(user), obj=user, ip_address=ip_address,
                 message=_("Verifikasi dua langkah dinonaktifkan."))  # fmt: skip
