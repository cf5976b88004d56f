"""Who may act on the pembina's side. Role sets come from the declared transitions
(``apps.pengusulan.domain.TRANSITIONS``) where a move is involved; object access (which JF) is
the pembina's own JFs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.accounts.permissions import has_role
from apps.core import tenancy
from apps.pengusulan.domain import TRANSITIONS
from apps.verifikasi.models import AnggotaTim

#: Who verifies: the roles of the declared moves of the seleksi administrasi.
VERIFIKASI_ROLES = tuple(sorted(TRANSITIONS["mulai_verifikasi"].roles))


def pembina_jf(actor, jf_id: int, *roles: str, aksi: str = "") -> bool:
    """The actor has one of ``roles`` (or, with ``aksi``, of the declared move's roles) in the
    instansi that administers the JF."""
    roles = tuple(TRANSITIONS[aksi].roles) if aksi else roles
    return bool(has_role(actor, *roles) and actor.instansi and jf_id in tenancy.pembina_jf_ids(actor.instansi.pk))


def wajib_pembina_jf(actor, jf_id: int, *roles: str, aksi: str = "") -> None:
    if not pembina_jf(actor, jf_id, *roles, aksi=aksi):
        raise PermissionDenied


def ketua_tim(actor, tim) -> AnggotaTim | None:
    """The actor's ketua membership of ``tim`` when he or she may lead its sidang, else None."""
    if not has_role(actor, *TRANSITIONS["nyatakan_lulus"].roles):
        return None
    return tim.anggota.filter(user=actor, peran=AnggotaTim.Peran.KETUA).first()


def wajib_ketua(actor, tim) -> AnggotaTim:
    ketua = ketua_tim(actor, tim)
    if ketua is None:
        raise PermissionDenied
    return ketua
