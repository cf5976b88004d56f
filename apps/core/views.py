"""Infrastructure endpoints (no app above core is needed to answer them); health is in sehat.py."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponsePermanentRedirect


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links (PDFs, downloads, old bookmarks): send
    them to the icon the base template links, instead of a 404 on every page."""
    from django.templatetags.static import static

    response = HttpResponsePermanentRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
