"""The declared workflow: every allowed transition works, every other one is refused, and no
code outside the transition core sets the status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.pengusulan.domain import STATUS_LABELS, TRANSITIONS, Status, allowed_actions, transition_for
from apps.pengusulan.models import Usulan
from apps.pengusulan.services import kunci_usulan, pindahkan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class Everyone:
    """An actor holding every role (to test the state table apart from the role check)."""

    is_authenticated = True
    roles = frozenset({"pic_instansi", "ppk", "verifikator", "penilai", "ketua_tim", "admin_pembina", "sistem"})


@pytest.fixture
def usulan(diajukan):
    return diajukan(1)[0]


def _set_status(usulan, status):
    with tenancy.all_tenants(reason="test: put an usulan in a given state"):
        Usulan.objects.filter(pk=usulan.pk).update(status=status)


def test_every_allowed_transition_works_and_every_other_is_refused(usulan):
    walked = refused = 0
    for status in Status:
        for action, t in TRANSITIONS.items():
            _set_status(usulan, status)
            with tenancy.all_tenants(reason="test"):
                locked = kunci_usulan(usulan)
                if status in t.sources:
                    moved = pindahkan(
                        usulan=locked, action=action, actor=None, roles=Everyone.roles,
                        audit_action=f"usulan.{action}", message="uji",
                    )  # fmt: skip
                    assert moved.status == t.target
                    assert Usulan.objects.get(pk=usulan.pk).status == t.target
                    walked += 1
                else:
                    with pytest.raises(ValidationError, match="tidak dapat"):
                        pindahkan(usulan=locked, action=action, actor=None, roles=Everyone.roles,
                                  audit_action="x", message="x")  # fmt: skip
                    assert Usulan.objects.get(pk=usulan.pk).status == status
                    refused += 1
    assert walked == sum(len(t.sources) for t in TRANSITIONS.values())
    assert walked + refused == len(Status) * len(TRANSITIONS)
    with tenancy.all_tenants(reason="test"):
        assert AuditLog.objects.filter(object_id=str(usulan.pk), action__startswith="usulan.").count() >= walked
        assert OutboxMessage.objects.filter(task_name="pengusulan.kabari_transisi").count() >= walked


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_a_role_outside_the_transition_is_refused(action):
    t = TRANSITIONS[action]
    source = sorted(t.sources)[0]
    others = {"pic_instansi", "ppk", "verifikator", "penilai", "ketua_tim", "admin_pembina"} - t.roles
    with pytest.raises(Exception, match="Peran Anda tidak dapat"):
        transition_for(action, source, others)
    assert transition_for(action, source, t.roles).target == t.target


def test_allowed_actions_follow_the_table():
    assert [t.action for t in allowed_actions(Status.DRAFT, {"pic_instansi"})] == ["ajukan", "batalkan"]
    assert [t.action for t in allowed_actions(Status.VERIFIKASI, {"verifikator"})] == [
        "kembalikan", "tolak", "loloskan_administrasi",
    ]  # fmt: skip
    assert allowed_actions(Status.SK_TERBIT, Everyone.roles) == []
    assert set(STATUS_LABELS) == set(Status)


def test_no_code_outside_the_transition_core_sets_the_status():
    """Status strings are not assigned in views, serializers, signals or save() (house style)."""
    offenders = []
    pattern = re.compile(r"\.status\s*=(?!=)|\.update\([^)]*\bstatus=")
    for path in (ROOT / "apps").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            # Sidang, letter versions and exports have states of their own (not the usulan workflow).
            other = ("sidang.status", "Sidang.Status", "VersiSurat.Status", "Ekspor.Status")
            if pattern.search(line) and not any(o in line for o in other):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    allowed = {"apps/pengusulan/services.py"}
    outside = [o for o in offenders if o.split(":")[0] not in allowed]
    assert outside == []
    inside = [o for o in offenders if o.split(":")[0] in allowed]
    assert len(inside) == 1 and "usulan.status = transition.target" in inside[0]


def test_pindahkan_checks_the_actors_roles(usulan, staf):
    with tenancy.all_tenants(reason="test"):
        locked = kunci_usulan(usulan)
        with pytest.raises(ValidationError, match="Peran Anda tidak dapat"):
            pindahkan(usulan=locked, action="batalkan", actor=staf["verifikator"], audit_action="x", message="x")
