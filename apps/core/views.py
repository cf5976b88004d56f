"""Infrastructure endpoints (no app above core is needed to answer them); health is in sehat.py."""

from __future__ import annotations

from django.http import HttpResponse


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
