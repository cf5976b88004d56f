"""Turning a service's refusal into what the user sees, without breaking the request.

A view runs inside the request's transaction (``ATOMIC_REQUESTS``). When a service refuses
(``ValidationError``), what it did must be undone, but the request must go on: the page that
explains the refusal is rendered in the same transaction, and the navigation, the form's
choices and the messages all query the database. Marking the *whole* request for rollback
(``transaction.set_rollback(True)``) made every one of those queries fail with
``TransactionManagementError`` — a 500 instead of the refusal's message.

So a refusal is contained in a savepoint: ``with penolakan(request) as hasil:`` runs the block
in ``transaction.atomic()`` (a savepoint inside the request); a ``ValidationError`` rolls back
that savepoint only (nothing half-done is kept), is swallowed, and its reasons go to the form
(field by field when the service names fields) or to the page's messages. The request's
transaction stays usable, so the view can render the form again with the user's input::

    with penolakan(request, form=form) as hasil:
        services.simpan(...)
        messages.success(request, ...)
        return redirect(...)
    return render(...)          # hasil.ditolak: the reasons are on the form / in messages
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.db import transaction


def alasan(exc: ValidationError) -> list[str]:
    """Each reason of a refusal as a translated sentence."""
    from apps.core.format import kalimat

    return [kalimat(str(m)) for m in exc.messages]


class PenyimpananPesan(FallbackStorage):
    """Django's message storage (``MESSAGE_STORAGE``) whose sentences end with one dot: a message
    that ends with a title such as "M.Si." is not shown with a second dot."""

    def add(self, level, message, extra_tags=""):
        from apps.core.format import kalimat

        if isinstance(message, str):
            message = kalimat(message)
        return super().add(level, message, extra_tags)


def catat(exc: ValidationError) -> None:
    """Audit the refusal; the entry is written after the request's transaction, so it stays
    whatever that transaction does."""
    from apps.core import audit

    reasons = alasan(exc)
    audit.record_denial(
        "aksi.ditolak", message="; ".join(reasons)[:500], data={"alasan": [r[:200] for r in reasons[:5]]}
    )


def tolak(request, exc: ValidationError) -> None:
    """Audit the refusal and show each of the service's reasons as an error message.

    Call it for a refusal that happened inside a savepoint (every service is atomic, or use
    :class:`penolakan`): it never marks the request's transaction for rollback, so the page
    that follows can still query the database."""
    catat(exc)
    reasons = alasan(exc)
    if len(reasons) > 1:  # one alert holding the list, not an alert per reason
        messages.error(request, "\n".join(reasons), extra_tags="daftar")
    elif reasons:
        messages.error(request, reasons[0])


def per_bidang(exc: ValidationError) -> dict[str, list[str]]:
    """A refusal's reasons per field the service named (``"__all__"`` for the rest)."""
    from django.core.exceptions import NON_FIELD_ERRORS

    from apps.core.format import kalimat

    if hasattr(exc, "error_dict"):
        return {f: [kalimat(str(m)) for m in ValidationError(e).messages] for f, e in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: alasan(exc)}


def ke_formulir(form, exc: ValidationError) -> None:
    """Put a refusal on a form: per field when the service named the field, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, alasan(exc))


class penolakan:  # lower case: used as a statement, ``with penolakan(request):``
    """Run a block in a savepoint; a ``ValidationError`` rolls back the block only and is shown.

    ``hasil.ditolak`` tells whether it was refused, ``hasil.alasan`` the reasons. With
    ``form=`` the reasons go on the form (an error summary at its top); without, into messages.
    """

    def __init__(self, request, form=None, *, pesan: bool = True):
        self.request = request
        self.form = form
        self.pesan = pesan
        self.ditolak = False
        self.alasan: list[str] = []
        self.galat: dict[str, list[str]] = {}  # the reasons per field the service named ("__all__": none)
        self._atomic = transaction.atomic()

    def __enter__(self):
        self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None or not issubclass(exc_type, ValidationError):
            return self._atomic.__exit__(exc_type, exc, tb)
        self._atomic.__exit__(exc_type, exc, tb)  # rolls back the savepoint, not the request
        self.ditolak = True
        self.alasan = alasan(exc)
        self.galat = per_bidang(exc)
        if self.form is not None:
            catat(exc)
            ke_formulir(self.form, exc)
        elif self.pesan:
            tolak(self.request, exc)
        else:
            catat(exc)
        return True

    def __bool__(self) -> bool:
        return self.ditolak


# --------------------------------------------------------------------------- input kept over a redirect


def simpan_masukan(request, kunci: str, nilai: str) -> None:
    """Keep what the user typed into a form that posts and redirects (post/redirect/get) when the
    post is refused, so the page it returns to shows it again; :func:`ambil_masukan` reads it once."""
    request.session[f"masukan:{kunci}"] = (nilai or "")[:2000]


def ambil_masukan(request, kunci: str) -> str:
    """The input :func:`simpan_masukan` kept for ``kunci`` (once), or ""."""
    return request.session.pop(f"masukan:{kunci}", "") if hasattr(request, "session") else ""
