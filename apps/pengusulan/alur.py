"""The transition core: the one place ``Usulan.status`` changes.

Every move — by the PIC (``pengusulan.services``), the pembina (``apps.verifikasi``), the letters
(``apps.surat``) or the system rule — locks the row with ``kunci_usulan`` and calls ``pindahkan``
with the action name. The declared row (``domain.TRANSITIONS``) says whether the actor's roles
may make it from the current state, which audit entry it writes and who is told
(``pengusulan.kabari_transisi``, through the outbox)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.accounts.permissions import has_role
from apps.core import audit, outbox
from apps.core.format import tgl
from apps.core.transisi import TransitionError
from apps.pengusulan.domain import TRANSITIONS, transition_for
from apps.pengusulan.models import Usulan
from apps.rekap import services as rekap

#: Side effects a move declares by name (``Transition.efek``), registered by the apps that own
#: them (``daftarkan_efek``), run in the move's transaction once the status is saved.
_EFEK: dict = {}


def daftarkan_efek(nama: str):
    """Register ``fn(usulan=, actor=, data=)`` as the effect ``nama`` (a decorator)."""

    def daftar(fn):
        _EFEK[nama] = fn
        return fn

    return daftar


class UsulanError(ValidationError):
    """A request the rules refuse; ``messages`` are shown to the user as they are."""


def peran_boleh(actor, action: str) -> bool:
    """The actor holds one of the roles the declared move ``action`` allows."""
    return has_role(actor, *TRANSITIONS[action].roles)


def wajib_peran(actor, action: str) -> None:
    """PermissionDenied unless the actor's roles may make ``action`` (for services that check
    before doing the work that leads to the move, e.g. numbering a letter)."""
    if not peran_boleh(actor, action):
        raise PermissionDenied


def kunci_usulan(usulan: Usulan) -> Usulan:
    """Lock an usulan row for a transition, inside the caller's transaction.

    No join to Pegawai: row-level security keeps pegawai rows to their instansi, and an inner
    join would hide the usulan from the pembina."""
    return Usulan.objects.select_for_update(of=("self",)).select_related("jf").get(pk=usulan.pk)


def pindahkan(
    *,
    usulan: Usulan,
    action: str,
    actor,
    konteks: dict | None = None,
    catatan: str = "",
    data: dict | None = None,
    fields: dict | None = None,
    ip_address=None,
    roles=None,
) -> Usulan:
    """Make the declared move ``action``: check it for the actor's roles (``roles`` for the
    system, whose actor is None), apply it (with ``fields``), run its declared effects
    (``Transition.efek``, e.g. "SK terbit" opens the holder's AK ledger), write the row's audit entry (its
    message filled from ``konteks``, ``catatan`` appended) and ask for the row's notices.

    ``usulan`` must already be locked by the caller (``kunci_usulan``) inside its transaction."""
    try:
        transition = transition_for(action, usulan.status, roles if roles is not None else actor.roles)
    except TransitionError as exc:
        raise UsulanError(str(exc)) from None
    previous = usulan.status
    usulan.status = transition.target
    usulan.status_changed_at = timezone.now()
    for name, value in (fields or {}).items():
        setattr(usulan, name, value)
    usulan.save()
    rekap.rekap_catat_pindah(usulan, dari=previous, ke=usulan.status, aksi=action)
    for nama in transition.efek:
        if nama not in _EFEK:
            raise LookupError(f"transition effect {nama!r} is declared but not registered")
        _EFEK[nama](usulan=usulan, actor=actor, data=data or {})
    jejak = transition.jejak_untuk(dari=previous, oleh_sistem=actor is None)
    tenggat = tgl(usulan.tenggat_perbaikan)
    message = str(jejak.pesan) % {"tenggat": tenggat, **(konteks or {})}
    if catatan.strip():
        message += f" {catatan.strip()}"
    audit.record_objek(
        jejak.aksi,
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=message,
        data={"dari": previous, "ke": usulan.status, **(data or {})},
    )
    outbox.enqueue(
        "pengusulan.kabari_transisi",
        usulan_id=usulan.pk,
        aksi=action,
        dari=previous,
        oleh=actor.pk if getattr(actor, "is_authenticated", False) else None,
    )
    return usulan
