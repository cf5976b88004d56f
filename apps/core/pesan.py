"""Turning a service's refusal into what the user sees on the next page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction


def tolak(request, exc: ValidationError) -> None:
    """Roll back the view's transaction (nothing half-done is kept) and show each of the
    service's reasons as an error message. The refusal is audited after the rollback."""
    from apps.core import audit

    transaction.set_rollback(True)
    audit.record_denial(
        "aksi.ditolak",
        message="; ".join(str(m) for m in exc.messages)[:500],
        data={"alasan": [str(m)[:200] for m in exc.messages[:5]]},
    )
    for message in exc.messages:
        messages.error(request, str(message))
