"""The audit trail: one call per state change or security event, in the caller's transaction."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models

from apps.core import tenancy
from apps.core.models import AuditLog


def record(
    action: str,
    *,
    actor=None,
    instansi=None,
    jf=None,
    obj: models.Model | None = None,
    message: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Write an audit entry. ``instansi`` is the instansi the event concerns (None: platform)."""
    # Entries belong to the instansi of the object, which need not be the actor's (a pembina
    # verifier acting on a PIC's usulan), so the write is deliberately unscoped.
    with tenancy.all_tenants(reason="audit entries are filed under the object's instansi"):
        return AuditLog.objects.create(
            instansi_id=getattr(instansi, "pk", instansi),
            jf_id=getattr(jf, "pk", jf),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            message=message[:500],
            data=data or {},
            ip_address=ip_address,
        )


def client_ip(request) -> str | None:
    """The client's address — the one rule for the audit log, the page limiter, django-axes
    (``AXES_CLIENT_IP_CALLABLE``) and the API throttles (DRF's ``NUM_PROXIES``, same setting).

    ``SIAKS_PROXY_TEPERCAYA`` is the number of reverse proxies in front of the application, each
    appending the address it saw to ``X-Forwarded-For``. With none (the default) the header is
    ignored: a client could write anything there. With N, the N-th address from the right is the
    one the outermost trusted proxy saw (as DRF reads it); anything left of it is the client's
    own claim and is never used."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "SIAKS_PROXY_TEPERCAYA", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    addrs = [a.strip() for a in forwarded.split(",")]
    candidate = addrs[-min(proxies, len(addrs))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
