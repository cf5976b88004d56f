from __future__ import annotations

from apps.core import tenancy


class TenantScopeMiddleware:
    """Enter the logged-in user's tenant scope for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tenancy.activate(tenancy.scope_for_user(request.user)):
            return self.get_response(request)


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
