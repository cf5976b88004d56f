"""The transition core of the usulan penetapan AK: the one place ``UsulanPenetapanAK.status``
changes, with the guarantees of ``apps.pengusulan.alur`` (row lock, the declared row checked for
the actor's roles, one audit entry, the notice through the outbox). The usulan core itself is
bound to ``pengusulan.Usulan`` (its rekap counters and notice task), so this is a same-shaped
table rather than a reuse of it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core import audit, outbox
from apps.core.transisi import TransitionError
from apps.penetapan.domain import TRANSITIONS, Status, transition_for
from apps.penetapan.models import UsulanPenetapanAK


class PenetapanError(ValidationError):
    """A request the rules refuse; ``messages`` are shown to the user as they are."""


def peran_boleh(roles, action: str) -> bool:
    return bool(set(roles) & TRANSITIONS[action].roles)


def wajib_peran(roles, action: str) -> None:
    if not peran_boleh(roles, action):
        raise PermissionDenied


def kunci(usulan: UsulanPenetapanAK) -> UsulanPenetapanAK:
    """Lock the row for a move, inside the caller's transaction."""
    return UsulanPenetapanAK.objects.select_for_update(of=("self",)).select_related("jf").get(pk=usulan.pk)


def pindahkan(
    *,
    usulan: UsulanPenetapanAK,
    action: str,
    actor,
    roles,
    konteks: dict | None = None,
    catatan: str = "",
    fields: dict | None = None,
    data: dict | None = None,
    ip_address=None,
) -> UsulanPenetapanAK:
    """Make the declared move ``action`` for an actor holding ``roles`` on this usulan
    (``selectors.peran_pada``). ``usulan`` must be locked (``kunci``)."""
    try:
        transition = transition_for(action, usulan.status, roles)
    except TransitionError as exc:
        raise PenetapanError(str(exc)) from None
    previous = usulan.status
    usulan.status = transition.target
    usulan.status_changed_at = timezone.now()
    for name, value in (fields or {}).items():
        setattr(usulan, name, value)
    usulan.save()
    ulang = previous == Status.DIKEMBALIKAN and transition.aksi_ulang
    aksi = transition.aksi_ulang if ulang else transition.aksi
    pesan = str(transition.pesan_ulang if ulang else transition.pesan) % (konteks or {})
    if catatan.strip():
        pesan += f" {catatan.strip()}"
    audit.record_objek(
        aksi,
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=pesan,
        data={"dari": previous, "ke": usulan.status, **(data or {})},
    )
    if transition.penerima:
        outbox.enqueue(
            "penetapan.kabari",
            usulan_id=usulan.pk,
            aksi=action,
            dari=previous,
            oleh=actor.pk if getattr(actor, "is_authenticated", False) else None,
        )
    return usulan
