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
            from django.utils.translation import gettext as _

            for conn in connections.all(initialized_only=True):
                conn.close_if_unusable_or_obsolete()
            message = _(
                "Basis data sedang tidak dapat dihubungi. Data Anda tidak berubah; coba lagi dalam beberapa saat."
            )
            response = jawaban_503(request, message, coba_lagi_detik=30)
        return response


def jawaban_503(request, pesan: str, *, coba_lagi_detik: int):
    """A dependency is down (the database, the file storage): a 503 with ``Retry-After`` that says
    so — JSON ``{"detail": …}`` for the API, the 503 page otherwise."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": pesan}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"pesan": pesan}), status=503)
    response["Retry-After"] = str(coba_lagi_detik)
    return response


# --------------------------------------------------------------------------- denials, audited


class AuditPenolakanMiddleware:
    """Audit what was refused, even though the request's transaction rolled back: a 403 or a
    404 for a signed-in user (another instansi's object is a 404 by design), and the refusals
    views and the API report through :func:`apps.core.audit.record_denial`. Written after the
    view's transaction is over, in a transaction of its own (see apps/core/audit.py)."""

    DITOLAK = {403: "akses.ditolak", 404: "akses.tidak_ditemukan"}
    #: What browsers and crawlers ask for on their own (icons, robots, well-known files, source
    #: maps): a miss there is not a user reaching for data, and would bury the real entries.
    BISING_AWALAN = ("/static/", "/sehat/", "/.well-known/", "/apple-touch-icon", "/favicon", "/robots.txt")
    BISING_AKHIRAN = (".map", ".ico")

    @classmethod
    def _bising(cls, path: str) -> bool:
        return path.startswith(cls.BISING_AWALAN) or path.endswith(cls.BISING_AKHIRAN)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apps.core import audit

        with audit.kumpulkan_penolakan() as pending:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        action = self.DITOLAK.get(response.status_code)
        if action and signed_in and not self._bising(request.path):
            pending.append((action, {"message": f"{request.method} {request.path}"[:500]}))
        if pending:
            self._write(request, user if signed_in else None, response.status_code, pending)
        return response

    def _write(self, request, user, status: int, pending: list) -> None:
        import logging

        from django.db import DatabaseError, transaction

        from apps.core import audit

        try:
            with transaction.atomic():
                for action, fields in pending:
                    fields = dict(fields)
                    fields.setdefault("actor", user)
                    fields.setdefault("instansi", getattr(user, "instansi", None))
                    fields.setdefault("ip_address", audit.client_ip(request))
                    fields["data"] = audit.request_data(request, status=status, **(fields.get("data") or {}))
                    audit.record(action, **fields)
        except DatabaseError:  # the database is down: the response stands, the log says why
            logging.getLogger(__name__).exception("denied-action audit entries not written: %s", pending)
