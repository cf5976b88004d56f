"""The declared workflow: every allowed transition works, every other one is refused, and no
code outside the transition core sets the status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.pengusulan.alur import kunci_usulan, pindahkan
from apps.pengusulan.domain import STATUS_LABELS, TRANSITIONS, Status, allowed_actions, transition_for
from apps.pengusulan.models import Usulan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class Everyone:
    """An actor holding every role (to test the state table apart from the role check)."""

    is_authenticated = True
    roles = frozenset({"pic_instansi", "ppk", "verifikator", "penilai", "ketua_tim", "admin_pembina", "sistem"})


#: Every placeholder a row's audit message uses (the callers pass theirs).
KONTEKS = {"putaran": 1, "tim": "Tim Uji", "sidang": "01-02-2027", "surat": "800/1/2027"}


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
                        usulan=locked, action=action, actor=None, roles=Everyone.roles, konteks=KONTEKS,
                    )  # fmt: skip
                    assert moved.status == t.target
                    assert Usulan.objects.get(pk=usulan.pk).status == t.target
                    entry = AuditLog.objects.filter(object_id=str(usulan.pk)).order_by("-id").first()
                    assert entry.action == t.jejak_untuk(dari=status, oleh_sistem=True).aksi
                    assert entry.data["dari"] == status and entry.data["ke"] == t.target
                    walked += 1
                else:
                    with pytest.raises(ValidationError, match="tidak dapat"):
                        pindahkan(usulan=locked, action=action, actor=None, roles=Everyone.roles)
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
    offenders, own_states = [], []
    pattern = re.compile(r"\.status\s*=(?!=)|\.update\([^)]*\bstatus=")
    # Sidang, letter versions and exports have states of their own (not the usulan workflow),
    # written only by the module that owns them (their models' docstrings say why no table).
    owners = {
        "Sidang.Status": {"apps/verifikasi/services/sidang.py"},
        "VersiSurat.Status": {"apps/surat/tasks.py", "apps/surat/services.py"},
        "Ekspor.Status": {"apps/rekap/tasks.py"},
        "TandaTangan.Status": {"apps/ttd/tasks.py"},
        "SidangAK.Status": {"apps/penetapan/services.py"},
    }
    for path in (ROOT / "apps").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not pattern.search(line):
                continue
            where = str(path.relative_to(ROOT))
            owner = next((o for o in owners if o in line), None)
            if owner is None:
                offenders.append(f"{where}:{number}: {line.strip()}")
            else:
                own_states.append(owner)
                assert where in owners[owner], f"{owner} written outside its owner: {where}:{number}"
    assert set(own_states) == set(owners)
    # The two transition cores: the inpassing usulan's and the usulan penetapan AK's (same shape).
    allowed = {"apps/pengusulan/alur.py", "apps/penetapan/alur.py"}
    outside = [o for o in offenders if o.split(":")[0] not in allowed]
    assert outside == []
    inside = [o for o in offenders if o.split(":")[0] in allowed]
    assert len(inside) == 2 and all("usulan.status = transition.target" in o for o in inside)


def test_pindahkan_checks_the_actors_roles(usulan, staf):
    with tenancy.all_tenants(reason="test"):
        locked = kunci_usulan(usulan)
        with pytest.raises(ValidationError, match="Peran Anda tidak dapat"):
            pindahkan(usulan=locked, action="batalkan", actor=staf["verifikator"])


def test_every_row_carries_its_audit_entry_recipients_and_notice():
    """One move, one row: the audit entry, the recipients and the notice come from the table."""
    notice = {"nama": "N", "instansi": "I", "jf": "J", "tenggat": "T", "nomor": "U", "status": "S"}
    for t in TRANSITIONS.values():
        for jejak in filter(None, (t.jejak, t.jejak_ulang, t.jejak_sistem)):
            assert jejak.aksi.startswith("usulan.")
            assert "%(" not in str(jejak.pesan) % {"tenggat": "-", **KONTEKS}
        assert t.penerima and all(p.pihak in {"instansi", "pembina"} and p.roles for p in t.penerima)
        assert "N" in str(t.judul) % notice and "%(" not in str(t.isi) % notice


def test_the_system_rule_writes_its_own_audit_message(usulan):
    _set_status(usulan, Status.PERBAIKAN)
    with tenancy.all_tenants(reason="test"):
        Usulan.objects.filter(pk=usulan.pk).update(tenggat_perbaikan="2027-01-05")
        pindahkan(usulan=kunci_usulan(usulan), action="tolak", actor=None, roles={"sistem"})
        entry = AuditLog.objects.filter(object_id=str(usulan.pk)).order_by("-id").first()
    assert entry.action == "usulan.tidak_memenuhi_syarat"
    assert entry.message == "Tenggat perbaikan 5 Januari 2027 terlewat; tidak memenuhi syarat (aturan JF)."


def test_pembina_and_letter_code_use_the_transition_core_not_the_pic_services():
    import ast

    for app in ("verifikasi", "surat"):
        for path in (ROOT / "apps" / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom):
                    assert node.module != "apps.pengusulan.services", path
                    if node.module == "apps.pengusulan":
                        assert "services" not in {a.name for a in node.names}, path
