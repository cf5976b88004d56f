"""API tokens (issue 15, finding 3): issued by ``POST /api/v1/token/``, listed and revoked by
their owner (page ``/akun/token/`` and ``/api/v1/akun/token/``).

* Only the key's SHA-256 is stored; the key is shown once.
* A token is bound to the 2FA state at issue (``TokenAPI.dua_langkah``): one issued without a
  verified second factor is refused once its user must give a code (a role that requires 2FA
  while ``SIAKS_2FA_WAJIB`` is on, or a user who enrolled).
* It expires after ``SIAKS_TOKEN_UMUR`` seconds (default a working day, like a session).
* Enrolling, resetting or switching off 2FA, a new password and a change of role revoke every
  token of the user (:func:`cabut_semua`, called from ``dua_langkah`` and ``signals``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from apps.accounts.models import TokenAPI

# A use is stamped at most this often, so that a busy client does not write on every request.
STEMPEL_PAKAI = timedelta(minutes=5)


def _sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def terbitkan(user, *, dua_langkah: bool, nama: str = "", ip_address=None) -> tuple[TokenAPI, str]:
    """A new token for ``user``; returns the row and the key (shown once, never stored)."""
    key = secrets.token_hex(20)
    token = TokenAPI.objects.create(
        user=user,
        kunci_sha256=_sha(key),
        awalan=key[:8],
        nama=nama[:100],
        dua_langkah=dua_langkah,
        ip_address=ip_address,
        kedaluwarsa_at=timezone.now() + timedelta(seconds=settings.SIAKS_TOKEN_UMUR),
    )
    return token, key


def aktif(user):
    return TokenAPI.objects.filter(user=user, dicabut_at__isnull=True, kedaluwarsa_at__gt=timezone.now())


def cabut(token: TokenAPI, *, alasan: str) -> None:
    TokenAPI.objects.filter(pk=token.pk, dicabut_at__isnull=True).update(dicabut_at=timezone.now(), alasan_cabut=alasan)


def cabut_semua(user, *, alasan: str) -> int:
    """Revoke every live token of ``user``; returns how many."""
    if user is None or user.pk is None:
        return 0
    return TokenAPI.objects.filter(user_id=user.pk, dicabut_at__isnull=True).update(
        dicabut_at=timezone.now(), alasan_cabut=alasan[:100]
    )


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>``."""

    keyword = "Token"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Header token tidak valid."))
        try:
            key = auth[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Header token tidak valid.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str):
        from apps.accounts import dua_langkah

        token = TokenAPI.objects.select_related("user").filter(kunci_sha256=_sha(key)).first()
        now = timezone.now()
        if token is None or token.dicabut_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak dikenal atau sudah dicabut. Minta token baru."))
        if token.kedaluwarsa_at <= now:
            raise exceptions.AuthenticationFailed(_("Token sudah kedaluwarsa. Minta token baru."))
        if not token.dua_langkah and dua_langkah.perlu_kode(token.user):
            raise exceptions.AuthenticationFailed(
                _("Token ini diterbitkan tanpa verifikasi dua langkah. Minta token baru dengan kode verifikasi.")
            )
        if token.dipakai_at is None or now - token.dipakai_at > STEMPEL_PAKAI:
            TokenAPI.objects.filter(pk=token.pk).update(dipakai_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
