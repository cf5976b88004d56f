from __future__ import annotations

from apps.core import tenancy


class TenantScopeMiddleware:
    """Enter the logged-in user's tenant scope for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tenancy.activate(tenancy.scope_for_user(request.user)):
            return self.get_response(request)

    def process_exception(self, request, exception):
        """A tenant page reached with no tenant scope (the platform's superadmin, who belongs to
        no instansi, on /surat/ or a download) is a page that does not exist for this user: 404,
        the same answer as another tenant's object, never a 500."""
        if isinstance(exception, tenancy.ScopeError):
            from django.core.handlers.exception import response_for_exception
            from django.http import Http404

            return response_for_exception(request, Http404(str(exception)))
        return None


class RejectNulBytesMiddleware:
    """PostgreSQL text cannot hold NUL; a request carrying one in its query string or in a
    non-file body is refused with a clear 400 instead of failing deep in the database."""

    CHECKED_TYPES = ("application/json", "application/x-www-form-urlencoded")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("Permintaan memuat karakter yang tidak sah (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        query = request.META.get("QUERY_STRING", "").lower()
        if "%00" in query or "\x00" in query:
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(self.CHECKED_TYPES):
            body = request.body
            return b"\\u0000" in body or b"%00" in body.lower() or b"\x00" in body
        if content_type.startswith("multipart/form-data"):
            # Files may hold NUL bytes; the other fields may not.
            return any("\x00" in value for _key, items in request.POST.lists() for value in items)
        return False


# --------------------------------------------------------------------------- database outages


def _mark_database_error(sender, request=None, **kwargs):
    import sys

    from django.db import InterfaceError, OperationalError

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OperationalError | InterfaceError):
        request._siaks_database_down = True


class DatabaseDownMiddleware:
    """While PostgreSQL is unreachable (restart, failover), answer 503 with a clear, translated
    page (JSON under /api/) and Retry-After, instead of a 500; once it is back, the next request
    opens a fresh connection — no restart of the application. Outermost, so it also covers
    errors raised by inner middleware (sessions, tenant scope)."""

    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        self.get_response = get_response
        got_request_exception.connect(_mark_database_error, dispatch_uid="siaks-database-down")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_siaks_database_down", False):
            from django.db import connections
            from django.http import HttpResponse, JsonResponse
            from django.template.loader import render_to_string
            from django.utils.translation import gettext as _

            for conn in connections.all(initialized_only=True):
                conn.close_if_unusable_or_obsolete()
            message = _(
                "Basis data sedang tidak dapat dihubungi. Data Anda tidak berubah; coba lagi dalam beberapa saat."
            )
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": message}, status=503)
            else:
                response = HttpResponse(render_to_string("503.html", {"pesan": message}), status=503)
            response["Retry-After"] = "30"
        return response
