"""Security events in the audit log: who, when, from where — never a password or token."""

from __future__ import annotations

from apps.core import audit


def _ip(request):
    return audit.client_ip(request) if request is not None else None


def catat_masuk(sender, request, user, **kwargs) -> None:
    audit.record(
        "auth.masuk", actor=user, instansi=user.instansi, obj=user, ip_address=_ip(request), message="Masuk ke SIAKS."
    )


def catat_keluar(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_authenticated:
        audit.record(
            "auth.keluar",
            actor=user,
            instansi=user.instansi,
            obj=user,
            ip_address=_ip(request),
            message="Keluar dari SIAKS.",
        )


def catat_gagal(sender, credentials, request=None, **kwargs) -> None:
    # Only the username: Django already masks the password, and we never keep it anyway.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        "auth.gagal", ip_address=_ip(request), message=f"Gagal masuk sebagai {username!r}.", data={"username": username}
    )
