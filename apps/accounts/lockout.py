"""Answers to too many failed logins.

* django-axes locks a (username, IP) pair after ``AXES_FAILURE_LIMIT`` failures
  (:func:`respons_terkunci`).
* Password spraying — one address trying many usernames — never trips a pair. :func:`ip_terblokir`
  counts the failures of *every* username from the address within axes' cool-off window (axes'
  own ``AccessAttempt`` rows, so the same client-IP rule and the same clean-up) and refuses logins
  from it past ``SIAKS_LOGIN_GAGAL_PER_IP`` (:func:`respons_ip_terkunci`)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Min, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.core.audit import client_ip


def respons_terkunci(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Terlalu banyak percobaan masuk. Coba lagi setelah %(m)d menit.") % {"m": minutes}},
            status=429,
        )
    return render(request, "accounts/terkunci.html", {"cooloff_minutes": minutes}, status=429)


def ip_terblokir(request) -> datetime | None:
    """Until when logins from this client's address are refused, or None."""
    from axes.models import AccessAttempt

    ip = client_ip(request)
    if not ip:
        return None
    window = settings.AXES_COOLOFF_TIME
    row = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=timezone.now() - window).aggregate(
        n=Sum("failures_since_start"), awal=Min("attempt_time")
    )
    if (row["n"] or 0) < settings.SIAKS_LOGIN_GAGAL_PER_IP:
        return None
    return row["awal"] + window


def respons_ip_terkunci(request, sampai: datetime):
    seconds = max(1, int((sampai - timezone.now()).total_seconds()))
    jam = formats.time_format(timezone.localtime(sampai), "H.i")
    pesan = _(
        "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan Anda. Masuk dari alamat ini "
        "dijeda sampai pukul %(jam)s WIB."
    ) % {"jam": jam}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": pesan}, status=429)
    else:
        response = render(request, "accounts/terkunci.html", {"pesan": pesan}, status=429)
    response["Retry-After"] = str(seconds)
    return response
