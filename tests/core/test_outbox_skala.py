"""The outbox at scale: a message marked published whose task left no receipt is published
again (Redis failover can lose it), a message that keeps failing becomes a dead letter the
superadmin sees and can retry (everyone else: 404), and every outbox task leaves a receipt."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import outbox
from apps.core import tasks as core_tasks
from apps.core.models import AuditLog, OutboxMessage, TaskReceipt

pytestmark = pytest.mark.django_db


class Broker:
    """Stands in for Celery's send_task: records what was published, or refuses."""

    def __init__(self, down: bool = False):
        self.down = down
        self.sent: list[tuple[str, str]] = []

    def send_task(self, name, *, kwargs, task_id, **options):
        if self.down:
            raise ConnectionError("Redis sedang failover")
        self.sent.append((name, task_id))


def _pesan(task="accounts.kirim_email_akun_baru", **kwargs) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(task, **(kwargs or {"user_id": 1}))


def test_a_published_message_whose_task_left_no_receipt_is_published_again(settings):
    settings.SIAKS_OUTBOX_TANPA_TANDA_TERIMA_MENIT = 15
    broker = Broker()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pesan = _pesan()
        assert outbox.relay_once(app=broker) == 1
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert outbox.rekonsiliasi() == {"diterbitkan_ulang": 0, "surat_mati": 0}  # not yet due
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert outbox.rekonsiliasi() == {"diterbitkan_ulang": 1, "surat_mati": 0}
        pesan.refresh_from_db()
        assert pesan.published_at is None and pesan.dead_at is None
        assert outbox.relay_once(app=broker) == 1
    pesan.refresh_from_db()
    assert pesan.attempts == 2 and pesan.published_at is not None
    # Same task id both times: the idempotent task runs its body once.
    assert broker.sent == [(pesan.task_name, str(pesan.id))] * 2


def test_a_message_with_a_receipt_is_left_alone(settings):
    broker = Broker()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        pesan = _pesan()
        outbox.relay_once(app=broker)
        TaskReceipt.objects.create(key=outbox.receipt_key(pesan.task_name, pesan.id), task_name=pesan.task_name)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert outbox.rekonsiliasi() == {"diterbitkan_ulang": 0, "surat_mati": 0}
    pesan.refresh_from_db()
    assert pesan.published_at is not None and pesan.attempts == 1


def test_an_outbox_task_that_is_not_wrapped_in_idempotent_still_leaves_a_receipt():
    """surat.render and rekap.buat_ekspor are idempotent on their own terms; the task_postrun
    hook writes their receipt on success, so the sweep does not publish them forever."""
    pesan = _pesan("core.rekonsiliasi_outbox")
    core_tasks.rekonsiliasi_outbox.apply(task_id=str(pesan.id))
    assert TaskReceipt.objects.filter(key=f"core.rekonsiliasi_outbox:{pesan.id}").exists()
    # A beat task (its id is not an outbox message) leaves no receipt row behind.
    core_tasks.rekonsiliasi_outbox.apply(task_id="d6f9a7c4-0000-4000-8000-000000000001")
    assert TaskReceipt.objects.count() == 1


def test_a_task_that_never_completes_becomes_a_dead_letter_after_the_attempts(settings):
    settings.SIAKS_OUTBOX_MAKS_PERCOBAAN = 3
    broker = Broker()
    moment = timezone.now()
    pesan = _pesan()
    hasil = []
    for _ in range(4):
        with time_machine.travel(moment, tick=False):
            outbox.relay_once(app=broker)
        moment += timedelta(minutes=20)
        with time_machine.travel(moment, tick=False):
            hasil.append(outbox.rekonsiliasi())
    assert [h["diterbitkan_ulang"] for h in hasil] == [1, 1, 0, 0]
    assert [h["surat_mati"] for h in hasil] == [0, 0, 1, 0]
    pesan.refresh_from_db()
    assert pesan.dead_at is not None and pesan.attempts == 3
    assert "tanda terima" in pesan.last_error
    assert len(broker.sent) == 3


def test_a_broker_that_keeps_refusing_makes_a_dead_letter_the_relay_then_skips(settings):
    settings.SIAKS_OUTBOX_MAKS_PERCOBAAN = 2
    broker = Broker(down=True)
    pesan = _pesan()
    for _ in range(2):
        OutboxMessage.objects.filter(pk=pesan.pk).update(available_at=None)  # skip the backoff wait
        assert outbox.relay_once(app=broker) == 0
    pesan.refresh_from_db()
    assert pesan.dead_at is not None and pesan.attempts == 2 and "failover" in pesan.last_error
    broker.down = False
    OutboxMessage.objects.filter(pk=pesan.pk).update(available_at=None)
    assert outbox.relay_once(app=broker) == 0 and broker.sent == []


def _mati() -> OutboxMessage:
    pesan = _pesan(user_id=42)
    OutboxMessage.objects.filter(pk=pesan.pk).update(
        dead_at=timezone.now(), attempts=5, last_error="ConnectionError: Redis sedang failover"
    )
    return pesan


def test_the_superadmin_sees_dead_letters_and_retries_one(client, superadmin):
    pesan = _mati()
    client.force_login(superadmin)
    page = client.get(reverse("portal:outbox_mati"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "accounts.kirim_email_akun_baru" in html and "Redis sedang failover" in html
    assert reverse("portal:outbox_ulangi", args=[pesan.pk]) in html

    response = client.post(reverse("portal:outbox_ulangi", args=[pesan.pk]), follow=True)
    assert response.status_code == 200
    assert "diterbitkan ulang" in response.content.decode()
    pesan.refresh_from_db()
    assert pesan.dead_at is None and pesan.attempts == 0 and pesan.published_at is None
    broker = Broker()
    assert outbox.relay_once(app=broker) == 1 and broker.sent == [(pesan.task_name, str(pesan.id))]
    from apps.core import tenancy

    with tenancy.all_tenants(reason="test reads the audit trail"):
        entry = AuditLog.objects.get(action="outbox.diulang")
    assert entry.actor == superadmin and entry.data["pesan"] == str(pesan.pk)
    # Retrying what is not (or no longer) a dead letter is a 404.
    assert client.post(reverse("portal:outbox_ulangi", args=[pesan.pk])).status_code == 404


@pytest.mark.parametrize("role", ["pic_instansi", "admin_pembina"])
def test_anyone_but_the_superadmin_gets_a_404(client, instansi_a, role):
    from tests.factories import UserFactory

    pesan = _mati()
    client.force_login(UserFactory(instansi=instansi_a, roles=[role]))
    assert client.get(reverse("portal:outbox_mati")).status_code == 404
    assert client.post(reverse("portal:outbox_ulangi", args=[pesan.pk])).status_code == 404
    pesan.refresh_from_db()
    assert pesan.dead_at is not None


def test_the_relay_marks_a_batch_published_in_one_statement():
    """Issue 17 (helper i17h): the relay saved every published message with its own UPDATE, so a
    batch of 500 signing requests was 500 round trips before the first could be signed. The
    batch is marked in one statement: as many queries for 40 messages as for 2."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def relay(n: int) -> tuple[int, list]:
        pesan = [_pesan(user_id=i) for i in range(n)]
        broker = Broker()
        with CaptureQueriesContext(connection) as q:
            assert outbox.relay_once(app=broker, limit=100) == n
        assert sorted(broker.sent) == sorted((p.task_name, str(p.id)) for p in pesan)
        return len([x for x in q.captured_queries if "SAVEPOINT" not in x["sql"]]), pesan

    dua, _p = relay(2)
    empat_puluh, pesan = relay(40)
    assert dua == empat_puluh <= 3
    for p in pesan:
        p.refresh_from_db()
        assert p.published_at is not None and p.attempts == 1
    # A broker error half-way: those sent before it are marked, the rest wait (as before).
    pesan = [_pesan(user_id=i) for i in range(3)]

    class Separuh(Broker):
        def send_task(self, name, *, kwargs, task_id, **options):
            if len(self.sent) == 2:
                raise ConnectionError("Redis sedang failover")
            super().send_task(name, kwargs=kwargs, task_id=task_id, **options)

    assert outbox.relay_once(app=Separuh()) == 2
    for p in pesan:
        p.refresh_from_db()
    assert [p.published_at is not None for p in pesan] == [True, True, False]
    assert pesan[2].attempts == 1 and pesan[2].last_error and pesan[2].available_at
