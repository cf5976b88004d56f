"""Looking a move up in a declared workflow table: the one rule both status tables share.

The inpassing workflow (``apps.pengusulan.domain.TRANSITIONS``) and the penetapan angka kredit
workflow (``apps.penetapan.domain.TRANSITIONS``) are tables of rows keyed by action, each row with
its ``sources`` (states it may start from), ``roles`` (who may make it) and ``label``. Whether a
move is allowed — a known action, a role that may make it, a state it may start from — and the
refusal the user reads are the same for both; each domain passes its own table and state labels."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _


class TransitionError(Exception):
    """A move the workflow does not allow; the message is for the user."""


def transisi_cari(tabel: Mapping, action: str, status, roles, label_status: Mapping, frasa: Mapping | None = None):
    """The row ``action`` of ``tabel`` from ``status`` (a member of the table's state enum) for a
    user with ``roles``, or TransitionError. ``frasa``: per action, the passive verb phrase that
    ends the refusal "Usulan berstatus <status> tidak dapat <frasa>." (a label such as "Tidak lulus
    (sidang)" cannot be glued into that sentence); an action without one gets a sentence that
    quotes its label."""
    t = tabel.get(action)
    if t is None:
        raise TransitionError(_("Aksi tidak dikenal."))
    if not set(roles) & t.roles:
        raise TransitionError(_("Peran Anda tidak dapat melakukan aksi ini."))
    if status not in t.sources:
        kata = (frasa or {}).get(action)
        if kata:
            raise TransitionError(
                _("Usulan berstatus %(status)s tidak dapat %(frasa)s.")
                % {"status": label_status[status], "frasa": kata}
            )
        raise TransitionError(
            _("Langkah \u201c%(action)s\u201d tidak dapat dilakukan pada usulan berstatus %(status)s.")
            % {"status": label_status[status], "action": t.label}
        )
    return t


def transisi_boleh(tabel: Mapping, status, roles) -> list:
    """The rows of ``tabel`` a user with ``roles`` may make from ``status``, in table order."""
    return [t for t in tabel.values() if status in t.sources and set(roles) & t.roles]
