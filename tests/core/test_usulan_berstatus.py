"""The shared ``usulan_berstatus`` fixture (tests/perlengkapan/berkas.py) reaches every usulan state
through the transition core: the state is the one asked for, and the usulan's timeline holds the
audit entry of a declared move into it (a status written by hand leaves none)."""

from __future__ import annotations

import pytest

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan.domain import TRANSITIONS, Status
from tests.perlengkapan.berkas import JALAN

pytestmark = pytest.mark.django_db
OBJEK = "pengusulan.usulan"


def _aksi_ke(status: Status) -> set[str]:
    """The audit actions of the declared moves into ``status`` (first, repeated and system ones)."""
    found = set()
    for t in TRANSITIONS.values():
        if t.target == status:
            found |= {j.aksi for j in (t.jejak, t.jejak_ulang, t.jejak_sistem) if j is not None}
    return found


def test_every_state_has_a_walk():
    assert set(JALAN) == set(Status)


@pytest.mark.parametrize("status", [s for s in Status if s != Status.DRAFT])
def test_the_usulan_reaches_the_state_through_the_transition_core(usulan_berstatus, status):
    usulan = usulan_berstatus(status)
    assert usulan.status == status
    with tenancy.all_tenants(reason="test: the usulan's timeline"):
        aksi = list(
            AuditLog.objects.filter(object_type=OBJEK, object_id=str(usulan.pk)).values_list("action", flat=True)
        )
    assert set(aksi) & _aksi_ke(status), aksi


def test_a_draft_is_made_by_the_pic_service(usulan_berstatus):
    assert usulan_berstatus("draft").status == Status.DRAFT
