"""Transactional outbox: services ask for side effects here; no request talks to the broker.

``enqueue()`` writes an :class:`OutboxMessage` in the caller's transaction (and a ``NOTIFY`` that
PostgreSQL delivers only on commit). The relay publishes committed messages to Celery with the
message id as task id, and marks them published. If the broker is down, messages wait and the
relay retries with backoff. If the relay dies between publishing and marking, the message is
published again: tasks use :func:`idempotent` so the effect happens once.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.core.models import OutboxMessage, TaskReceipt

logger = logging.getLogger(__name__)

CHANNEL = "siaks_outbox"


def enqueue(task_name: str, *, queue: str = "", **kwargs) -> OutboxMessage:
    """Record a task request in the current transaction. Arguments must be JSON (ids, not objects)."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.enqueue() must be called inside transaction.atomic()")
    message = OutboxMessage.objects.create(task_name=task_name, kwargs=kwargs, queue=queue)
    with connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {CHANNEL}")
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2 ** min(attempts, 8)))


def relay_once(*, limit: int = 100, app=None) -> int:
    """Publish up to ``limit`` committed messages. Returns how many were published.

    Stops at the first broker error: the rest stay for the next round."""
    from siaks.celery import app as default_app

    app = app or default_app
    published = 0
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(published_at__isnull=True)
            .exclude(available_at__gt=now)
            .order_by("created_at")[:limit]
        )
        for message in batch:
            options = {"task_id": str(message.id), "retry": False}
            if message.queue:
                options["queue"] = message.queue
            try:
                app.send_task(message.task_name, kwargs=message.kwargs, **options)
            except Exception as exc:  # broker unreachable: keep the message, retry later
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.available_at = timezone.now() + _backoff(message.attempts)
                message.save(update_fields=["attempts", "last_error", "available_at"])
                logger.warning("outbox: broker unavailable (%s); %s waits", exc, message.id)
                break
            message.published_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["published_at", "attempts"])
            published += 1
    return published


def denyut() -> None:
    """The relay's heartbeat: its liveness file (``python -m siaks.probe relay``) and the time
    of its last round in the shared cache (shown by the readiness endpoint and the metrics)."""
    from apps.core import sehat
    from siaks import probe

    try:
        probe.touch("relay")
    except OSError:
        logger.warning("outbox relay: liveness file not writable", exc_info=True)
    sehat.catat_denyut_relay()


def relay_forever(*, poll_seconds: float = 2.0, stop=lambda: False) -> None:  # pragma: no cover - loop
    """Run the relay: wake on NOTIFY or every ``poll_seconds``."""
    import psycopg
    from django.db import connections

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    listener = None
    last_beat = 0.0
    while not stop():
        if time.monotonic() - last_beat >= min(poll_seconds, 5.0):
            denyut()
            last_beat = time.monotonic()
        try:
            if listener is None:
                listener = psycopg.connect(**params, autocommit=True)
                listener.execute(f"LISTEN {CHANNEL}")
            while relay_once():
                pass
            for _notify in listener.notifies(timeout=poll_seconds, stop_after=1):
                pass
        except Exception:
            logger.exception("outbox relay error; retrying")
            if listener is not None:
                listener.close()
                listener = None
            connections.close_all()
            time.sleep(poll_seconds)


def idempotent(task_func):
    """Run a bound Celery task's body at most once per task id, atomically with a receipt.

    The body and the :class:`TaskReceipt` commit together; a re-delivered request finds the
    receipt and does nothing."""

    @functools.wraps(task_func)
    def wrapper(self, *args, **kwargs):
        key = f"{self.name}:{self.request.id}"
        with transaction.atomic():
            try:
                with transaction.atomic():
                    TaskReceipt.objects.create(key=key, task_name=self.name)
            except IntegrityError:
                logger.info("task %s already done; skipping re-delivery", key)
                return None
            return task_func(self, *args, **kwargs)

    return wrapper
