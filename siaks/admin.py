"""The Django admin: superadmins with a verified second factor only (issue 15, finding 9).

Mounted at all only when ``SIAKS_ADMIN_AKTIF`` is on (off by default under production settings)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SiaksAdminSite(admin.AdminSite):
    site_header = "SIAKS — administrasi teknis"

    def has_permission(self, request) -> bool:
        user = request.user
        verified = getattr(user, "is_verified", None)
        return bool(user.is_active and user.is_superuser and callable(verified) and verified())


class SiaksAdminConfig(AdminConfig):
    default_site = "siaks.admin.SiaksAdminSite"
