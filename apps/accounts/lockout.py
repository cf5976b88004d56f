"""The answer to a locked (username, IP) pair: JSON for the API, the Indonesian page otherwise."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def respons_terkunci(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Terlalu banyak percobaan masuk. Coba lagi setelah %(m)d menit.") % {"m": minutes}},
            status=429,
        )
    return render(request, "accounts/terkunci.html", {"cooloff_minutes": minutes}, status=429)
