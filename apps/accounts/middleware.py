"""Keep a user who must present a second factor on the 2FA pages until they have."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts import dua_langkah

# Reachable before the second factor: signing in/out, the 2FA pages, password reset, public pages.
BEBAS = ("/akun/masuk/", "/akun/keluar/", "/akun/2fa/", "/akun/kata-sandi/lupa/", "/akun/kata-sandi/atur/",
         "/static/", "/v/", "/sehat/", "/api/v1/verifikasi-surat/", "/api/v1/token/", "/i18n/")  # fmt: skip


class Wajib2FAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(BEBAS)
            and dua_langkah.perlu_verifikasi(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Verifikasi dua langkah diperlukan. Masuk lewat portal dan masukkan kode.")},
                    status=403,
                )
            target = "accounts:2fa_verifikasi" if dua_langkah.aktif(user) else "accounts:2fa_daftar"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SesiMiddleware:
    """Sessions end after a working day (absolute, from login) and after a spell of inactivity.

    Django's cookie age alone is refreshed whenever the session is saved, so both limits are
    kept here, from timestamps in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings
        from django.contrib import messages
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            login_at = session.setdefault("siaks_login_at", now)
            last_seen = session.get("siaks_last_seen", now)
            idle = now - last_seen > settings.SIAKS_SESI_MENGANGGUR
            expired = now - login_at > settings.SIAKS_SESI_MAKS
            if idle or expired:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        _("Sesi Anda berakhir karena tidak aktif. Silakan masuk lagi.")
                        if idle
                        else _("Sesi Anda berakhir (batas satu hari kerja). Silakan masuk lagi."),
                    )
                    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
            elif now - last_seen >= 60 or "siaks_last_seen" not in session:
                session["siaks_last_seen"] = now  # written at most once a minute
        return self.get_response(request)
