"""The audit trail: one call per state change or security event, in the caller's transaction."""

from __future__ import annotations

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models

from apps.core import tenancy
from apps.core.format import kalimat
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
            message=kalimat(str(message))[:500],
            data=data or {},
            ip_address=ip_address,
        )


def record_objek(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    message: str = "",
    data: dict | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """An entry about a tenant row, filed under the row's own instansi and JF (``instansi_id``,
    ``jf_id``; a model without a JF files none) — :func:`record` for the usual case."""
    return record(
        action, actor=actor, instansi=obj.instansi_id, jf=getattr(obj, "jf_id", None), obj=obj, message=message,
        data=data, ip_address=ip_address,
    )  # fmt: skip


def record_bulk(
    action: str, objs, *, actor=None, jf=None, message_for=None, data_for=None, ip_address: str | None = None
) -> int:
    """One entry per object of a bulk write, in one insert (the XLSX import); same fields as
    :func:`record`, filed under each object's instansi. ``message_for``/``data_for``: each
    object's message and data."""
    entries = [
        AuditLog(
            instansi_id=obj.instansi_id,
            jf_id=getattr(jf, "pk", jf),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            message=kalimat(str(message_for(obj)))[:500] if message_for else "",
            data=data_for(obj) if data_for else {},
            ip_address=ip_address,
        )
        for obj in objs
    ]
    with tenancy.all_tenants(reason="audit entries are filed under the object's instansi"):
        AuditLog.objects.bulk_create(entries)
    return len(entries)


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


# --------------------------------------------------------------------------- denials that survive a rollback
#
# A denied action (403/404 on someone else's object, a refused transition) happens in a request
# whose transaction is then rolled back — and an entry written in it would vanish with it. Such
# entries are therefore collected on the request and written by AuditPenolakanMiddleware after
# the view's transaction has ended (ATOMIC_REQUESTS wraps the view, not the middleware), in a
# transaction of their own, as the same application role under row-level security.

_tertunda: ContextVar[list | None] = ContextVar("siaks_audit_tertunda", default=None)


def record_denial(action: str, **fields) -> None:
    """Record an entry that must outlive the current transaction's rollback. In a request it
    is written once the view's transaction is over; elsewhere at once."""
    pending = _tertunda.get()
    if pending is None:
        record(action, **fields)
    else:
        pending.append((action, fields))


@contextmanager
def kumpulkan_penolakan():
    """Collect :func:`record_denial` entries for the duration of a request; yields the list."""
    pending: list = []
    token = _tertunda.set(pending)
    try:
        yield pending
    finally:
        _tertunda.reset(token)


def request_data(request, **extra) -> dict:
    """What identifies a request in an entry: method, path, the view and its arguments."""
    match = getattr(request, "resolver_match", None)
    data = {"metode": request.method, "path": request.path[:300]}
    if match is not None:
        data["view"] = match.view_name
        data["argumen"] = {k: str(v)[:64] for k, v in match.kwargs.items()}
    data.update(extra)
    return data
