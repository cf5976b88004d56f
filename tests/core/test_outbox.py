"""No request talks to the broker; with Redis down a change still commits, and its task runs
once Redis is back — exactly once in effect, even when it is delivered twice."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from apps.accounts import services
from apps.accounts.models import Role
from apps.core import outbox
from apps.core.models import OutboxMessage, TaskReceipt
from siaks import embedded
from siaks.celery import app as celery_app


def _stop_redis():
    embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)


def _start_redis():
    embedded.ensure_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)


def _create_user(username, instansi):
    return services.user_create(
        username=username,
        nama_lengkap=f"Pengguna {username}",
        email=f"{username}@uji.siaks.go.id",
        instansi=instansi,
        roles=[Role.PIC_INSTANSI],
    )


@pytest.fixture
def redis_restored():
    yield
    _start_redis()


def test_enqueue_outside_a_transaction_is_refused(db):
    from django.db import connection

    assert connection.in_atomic_block  # pytest-django wraps tests; leave it to prove the guard
    with pytest.raises(RuntimeError):
        connection.in_atomic_block = False
        try:
            outbox.enqueue("accounts.kirim_email_akun_baru", user_id=1)
        finally:
            connection.in_atomic_block = True


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_redis_down_commit_then_exactly_once_after_it_returns(instansi_a, monkeypatch, redis_restored):
    _stop_redis()

    def _no_broker_in_requests(*args, **kwargs):
        raise AssertionError("a service published to the broker directly")

    with monkeypatch.context() as patched:
        patched.setattr(celery_app, "send_task", _no_broker_in_requests)
        started = time.monotonic()
        user = _create_user("pic.redis.mati", instansi_a)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    message = OutboxMessage.objects.get(kwargs={"user_id": user.pk})
    assert message.published_at is None

    # The relay cannot publish while Redis is down: the message waits, with the error noted.
    assert outbox.relay_once() == 0
    message.refresh_from_db()
    assert message.published_at is None and message.attempts == 1 and message.last_error
    assert message.available_at is not None

    _start_redis()
    OutboxMessage.objects.filter(pk=message.pk).update(available_at=None)  # skip the backoff wait
    assert outbox.relay_once() == 1
    message.refresh_from_db()
    assert message.published_at is not None

    mail.outbox.clear()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        _wait_for(lambda: len(mail.outbox) == 1)
        assert mail.outbox[0].to == ["pic.redis.mati@uji.siaks.go.id"]
        assert "pic.redis.mati" in mail.outbox[0].body

        # A relay that crashed after publishing publishes again: the task must not repeat its effect.
        celery_app.send_task(message.task_name, kwargs=message.kwargs, task_id=str(message.id))
        # A later request marks the point where the duplicate has certainly been consumed (FIFO, solo).
        later = _create_user("pic.berikutnya", instansi_a)
        assert outbox.relay_once() == 1
        _wait_for(lambda: len(mail.outbox) == 2)

    assert [m.to for m in mail.outbox] == [
        ["pic.redis.mati@uji.siaks.go.id"],
        ["pic.berikutnya@uji.siaks.go.id"],
    ]
    assert TaskReceipt.objects.filter(task_name="accounts.kirim_email_akun_baru").count() == 2
    assert later.pk != user.pk
