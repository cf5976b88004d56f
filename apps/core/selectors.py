from __future__ import annotations

from django.db.models import QuerySet

from apps.core.models import Instansi


def instansi_list() -> QuerySet[Instansi]:
    return Instansi.objects.select_related("parent").order_by("jenis", "nama")


def audit_log(*, semua: bool, aksi: str = "", q: str = "", limit: int = 200):
    """Audit entries: every instansi's when ``semua`` (the superadmin, decided by the caller),
    otherwise those of the current tenant scope (an admin pembina: own instansi and JFs)."""
    from apps.core import tenancy
    from apps.core.models import AuditLog

    if semua:
        with tenancy.all_tenants(reason="superadmin reads the whole audit log"):
            qs = AuditLog.objects.select_related("actor", "instansi")
            return _filter_audit(qs, aksi, q, limit)
    return _filter_audit(AuditLog.objects.select_related("actor", "instansi"), aksi, q, limit)


def _filter_audit(qs, aksi: str, q: str, limit: int):
    from django.db.models import Q

    if aksi:
        qs = qs.filter(action__startswith=aksi)
    if q.strip():
        qs = qs.filter(Q(message__icontains=q) | Q(actor__username__icontains=q) | Q(ip_address__startswith=q))
    return list(qs.order_by("-created_at", "-id")[:limit])
