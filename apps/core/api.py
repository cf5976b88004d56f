"""What every API view shares: the tenant scope, and service errors as 400s.

Token-authenticated requests pass the session middleware as anonymous, so the scope is entered
here, right after DRF has authenticated the request — same scope, same rules as the pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, permissions, serializers, throttling
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core import tenancy
from apps.core.sumber import kutipan


class TenantScopedMixin:
    """Views implement ``scoped_queryset()``; ``schema_model`` lets the OpenAPI generator (which
    has no user, hence no scope) see the model through an empty queryset that never hits the DB."""

    schema_model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuerySet(model=self.schema_model).none()
        return self.scoped_queryset()

    def dispatch(self, request, *args, **kwargs):
        # Reset in ``finally``: DRF skips finalize_response when it re-raises an unhandled
        # exception, and a scope left set would outlive the request in a reused worker thread.
        self._siaks_scope = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._siaks_scope is not None:
                self._siaks_scope.__exit__(None, None, None)
                self._siaks_scope = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        from apps.core.logs import bind_user

        bind_user(request.user)  # token-authenticated: known only now, for the log lines
        self._siaks_scope = tenancy.activate(tenancy.scope_for_user(request.user))
        self._siaks_scope.__enter__()


class KutipanField(serializers.CharField):
    """A source cited as the pages cite it (``apps.core.sumber.kutipan``): the document's name,
    article or section and "belum terverifikasi", never the reference data's working notes."""

    def to_representation(self, value):
        return kutipan(value)


class RincianField(serializers.DictField):
    """A breakdown (JSON) whose ``*_sumber`` entries are sources: cited as :class:`KutipanField` does."""

    def to_representation(self, value):
        data = super().to_representation(value)
        return {k: kutipan(v) if k.endswith("_sumber") and isinstance(v, str) else v for k, v in data.items()}


class GalatSerializer(serializers.Serializer):
    """An error answer: 401 (no or a refused token), 403 (your role may not), 404 (not found —
    also another instansi's object, answered alike), 409, 429 (rate limit)."""

    detail = serializers.CharField(help_text="Pesan galat (bahasa Indonesia).")


class GalatValidasiSerializer(serializers.Serializer):
    """A 400 answer: the reasons per field of the request (``{"berkas": ["…"]}``), a service's
    refusal under ``non_field_errors``, an unreadable request body under ``detail``. Its schema is
    :class:`GalatValidasiSchema`'s (the field names vary per route)."""


class GalatValidasiSchema(OpenApiSerializerExtension):
    """The schema of :class:`GalatValidasiSerializer`: an object whose keys are the field names."""

    target_class = GalatValidasiSerializer

    def map_serializer(self, auto_schema, direction):
        daftar = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": "Alasan penolakan per kolom permintaan (nama kolom → daftar pesan); penolakan layanan di "
            "non_field_errors; isi permintaan yang tidak terbaca di detail.",
            "properties": {"non_field_errors": daftar, "detail": {"type": "string"}},
            "additionalProperties": True,
        }


#: The error answers of an authenticated API route, for ``extend_schema(responses=…)``.
GALAT = {400: GalatValidasiSerializer, 401: GalatSerializer, 403: GalatSerializer, 404: GalatSerializer}
#: ...of a read without a request body (no 400).
GALAT_BACA = {401: GalatSerializer, 403: GalatSerializer, 404: GalatSerializer}


class SkemaAPI(AutoSchema):
    """The OpenAPI generator of every route (``DEFAULT_SCHEMA_CLASS``): a write documents the
    error answers it can give, also where its ``extend_schema`` names only the success — 400 for
    a POST, PUT or PATCH with a body or behind :class:`Capability` (the body, or the service's
    refusal under ``non_field_errors``); 401 unless the route is public; 403 behind
    :class:`Capability` (a role that may not); 404 for a path with a parameter or behind
    :class:`Capability` (an object not found — another instansi's answers the same — or a
    holder's login off their own routes). What a route documents itself is kept."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return bodies
        izin = self.view.get_permissions()
        publik = any(isinstance(p, permissions.AllowAny) for p in izin)
        peran = any(isinstance(p, Capability) for p in izin)
        galat = {}
        if self.method != "DELETE" and (peran or self.get_request_serializer() is not None):
            galat[400] = GalatValidasiSerializer
        if not publik:
            galat[401] = GalatSerializer
        if peran:
            galat[403] = GalatSerializer
        if peran or "{" in self.path:
            galat[404] = GalatSerializer
        for code, serializer in galat.items():
            if str(code) not in bodies:
                bodies[str(code)] = self._get_response_for_code(serializer, str(code), direction=direction)
        return bodies


class Capability(permissions.BasePermission):
    """Allow a view when the user passes its ``read_capability`` / ``write_capability`` predicate."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        check = view.read_capability if request.method in permissions.SAFE_METHODS else view.write_capability
        if check(request.user):
            return True
        if set(getattr(request.user, "roles", ()) or ()) == {"pejabat_fungsional"}:
            # A holder's own login reaches only their own record (the /api/v1/saya/ routes):
            # anything here is another's object, which is not found (404), never 403.
            raise exceptions.NotFound()
        return False


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        # A service refused (e.g. a transition): audited after the request's rollback.
        from apps.core import audit

        audit.record_denial(
            "aksi.ditolak",
            message="; ".join(str(m) for m in exc.messages)[:500],
            data={"alasan": [str(m)[:200] for m in exc.messages[:5]]},
        )
        if hasattr(exc, "error_dict"):
            # Per field; what no field holds under DRF's key, as a refusal without fields.
            detail = {("non_field_errors" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, tenancy.ScopeError | Http404):
        # get_object_or_404's "No X matches the given query." is English and names the model:
        # every route answers another tenant's (or a missing) object the same way.
        exc = exceptions.NotFound(_("Data tidak ditemukan."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ParseError) and str(exc.detail).startswith(("JSON parse error", "Multipart")):
        # DRF's parsers write these in English without gettext (apps.core.drf_pesan has the rest).
        exc = exceptions.ParseError(_("Isi permintaan tidak dapat dibaca: kirim JSON atau formulir yang sah."))
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        exc = exceptions.PermissionDenied(_("Token CSRF tidak ada atau salah. Muat ulang halaman lalu coba lagi."))
    return drf_exception_handler(exc, context)


class UnggahThrottle(throttling.UserRateThrottle):
    """Uploads per user per minute (POST only), on top of the general API rate."""

    scope = "unggah"

    def get_rate(self):
        return f"{settings.SIAKS_RATE_UNGGAH}/minute"

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


UPLOAD_THROTTLES = [UnggahThrottle, throttling.UserRateThrottle, throttling.AnonRateThrottle]
