"""Transactional outbox: services ask for side effects here; no request talks to the broker.

``enqueue()`` writes an :class:`OutboxMessage` in the caller's transaction (and a ``NOTIFY`` that
PostgreSQL delivers only on commit). The relay publishes committed messages to Celery with the
message id as task id, and marks them published. If the broker is down, messages wait and the
relay retries with backoff. If the relay dies between publishing and marking, the message is
published again: tasks use :func:`idempotent` so the effect happens once.

At scale two more things go wrong, and both are handled here:

* a message marked published can still be lost (a Redis failover drops what the old primary had
  not replicated). Every task request leaves a :class:`TaskReceipt` when it is done
  (:func:`idempotent` writes it with the task's effect; :func:`catat_tanda_terima` writes it for
  the other outbox tasks on success). :func:`rekonsiliasi` (beat) re-publishes a message whose
  receipt has not appeared ``SIAKS_OUTBOX_TANPA_TANDA_TERIMA_MENIT`` minutes after publishing;
  the tasks are idempotent, so a slow task that does finish only finds a receipt on the repeat;
* a message that fails ``SIAKS_OUTBOX_MAKS_PERCOBAAN`` times (broker refuses it, or its task
  keeps failing) is a dead letter: ``dead_at`` is set, the relay and sweep skip it, and the
  superadmin sees it at ``/platform/outbox/`` with a retry button (:func:`ulangi`).

The relay LISTENs on a connection of its own to the database itself (``DATABASE_DIRECT_URL``),
never through PgBouncer: in transaction pooling mode LISTEN lands on whichever server
connection runs that statement and the notifications never reach the relay.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from apps.core.models import OutboxMessage, TaskReceipt

logger = logging.getLogger(__name__)
HEADER = "siaks_request_id"  # apps.core.logs.HEADER

CHANNEL = "siaks_outbox"


def enqueue(task_name: str, *, queue: str = "", **kwargs) -> OutboxMessage:
    """Record a task request in the current transaction. Arguments must be JSON (ids, not objects)."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.enqueue() must be called inside transaction.atomic()")
    from apps.core.logs import request_id

    rid = request_id()
    message = OutboxMessage.objects.create(
        task_name=task_name, kwargs=kwargs, queue=queue, konteks={"request_id": rid} if rid else {}
    )
    with connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {CHANNEL}")
    return message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2 ** min(attempts, 8)))


def maks_percobaan() -> int:
    return int(getattr(settings, "SIAKS_OUTBOX_MAKS_PERCOBAAN", 5))


def receipt_key(task_name: str, message_id) -> str:
    return f"{task_name}:{message_id}"


def relay_once(*, limit: int = 100, app=None) -> int:
    """Publish up to ``limit`` committed messages. Returns how many were published.

    Stops at the first broker error: the rest stay for the next round."""
    from siaks.celery import app as default_app

    app = app or default_app
    published = 0
    now = timezone.now()
    terbit: list = []
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(published_at__isnull=True, dead_at__isnull=True)
            .exclude(available_at__gt=now)
            .order_by("created_at")[:limit]
        )
        for message in batch:
            options = {"task_id": str(message.id), "retry": False}
            if message.konteks.get("request_id"):  # the worker logs under the same request id
                options["headers"] = {HEADER: message.konteks["request_id"]}
            if message.queue:
                options["queue"] = message.queue
            try:
                app.send_task(message.task_name, kwargs=message.kwargs, **options)
            except Exception as exc:  # broker unreachable: keep the message, retry later
                from apps.core import metrik

                metrik.OUTBOX_PUBLISH_ERRORS.inc()
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.available_at = timezone.now() + _backoff(message.attempts)
                if message.attempts >= maks_percobaan():
                    message.dead_at = timezone.now()
                    logger.error("outbox: %s dead after %s attempts: %s", message.id, message.attempts, exc)
                else:
                    logger.warning("outbox: broker unavailable (%s); %s waits", exc, message.id)
                message.save(update_fields=["attempts", "last_error", "available_at", "dead_at"])
                break
            terbit.append(message.pk)
        # The published ones marked in one statement, not one UPDATE per message (a batch of 500
        # signatures was 500 round trips in the relay before the first could be signed).
        if terbit:
            published = OutboxMessage.objects.filter(pk__in=terbit).update(
                published_at=timezone.now(), attempts=F("attempts") + 1
            )
    if published:
        from apps.core import metrik

        metrik.OUTBOX_PUBLISHED.inc(published)
    return published


def listen_params() -> dict:
    """Connection parameters for the relay's LISTEN: the application's own database and role,
    but on the direct address of ``DATABASE_DIRECT_URL`` when the default goes through a pooler."""
    from django.db import connections

    params = connections["default"].get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    direct = getattr(settings, "DATABASE_DIRECT", None) or {}
    if direct.get("HOST"):  # the address as a whole: a socket folder has no port of its own
        params["host"] = direct["HOST"]
        params.pop("port", None)
    for setting, param in (("PORT", "port"), ("USER", "user"), ("PASSWORD", "password"), ("NAME", "dbname")):
        if direct.get(setting):
            params[param] = direct[setting]
    return params


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

    listener = None
    last_beat = 0.0
    try:
        while not stop():
            if time.monotonic() - last_beat >= min(poll_seconds, 5.0):
                denyut()
                last_beat = time.monotonic()
            try:
                if listener is None:
                    listener = psycopg.connect(**listen_params(), autocommit=True)
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
    finally:
        if listener is not None:
            listener.close()
        connections.close_all()


# --------------------------------------------------------------------------- reconciliation


def _tanpa_tanda_terima():
    """Annotated queryset filter: no TaskReceipt has the message's key (``_kunci``)."""
    return ~Exists(TaskReceipt.objects.filter(key=OuterRef("_kunci")))


def rekonsiliasi(*, limit: int = 500) -> dict:
    """Re-publish messages marked published whose task left no receipt in time; a message that
    has used up its attempts becomes a dead letter instead. Returns the counts."""
    batas = timezone.now() - timedelta(minutes=int(settings.SIAKS_OUTBOX_TANPA_TANDA_TERIMA_MENIT))
    jendela = timezone.now() - timedelta(hours=int(settings.SIAKS_OUTBOX_REKONSILIASI_JAM))
    hasil = {"diterbitkan_ulang": 0, "surat_mati": 0}
    with transaction.atomic():
        key = Concat(F("task_name"), Value(":"), Cast("id", output_field=CharField()), output_field=CharField())
        hilang = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(published_at__lt=batas, published_at__gte=jendela, dead_at__isnull=True)
            .annotate(_kunci=key)
            .filter(_tanpa_tanda_terima())
            .order_by("published_at")[:limit]
        )
        for message in hilang:
            if message.attempts >= maks_percobaan():
                message.dead_at = timezone.now()
                message.last_error = (
                    f"Tidak ada tanda terima tugas setelah {message.attempts} kali diterbitkan."
                    + (f" {message.last_error}" if message.last_error else "")
                )[:2000]
                message.save(update_fields=["dead_at", "last_error"])
                hasil["surat_mati"] += 1
                logger.error(
                    "outbox: %s (%s) dead: no receipt after %s publications",
                    message.id,
                    message.task_name,
                    message.attempts,
                )
                continue
            message.published_at = None
            message.available_at = None
            message.save(update_fields=["published_at", "available_at"])
            hasil["diterbitkan_ulang"] += 1
            logger.warning("outbox: %s (%s) left no receipt; publishing again", message.id, message.task_name)
        if hasil["diterbitkan_ulang"]:
            with connection.cursor() as cursor:
                cursor.execute(f"NOTIFY {CHANNEL}")
    return hasil


def ulangi(message_id, *, actor, ip_address: str | None = None) -> OutboxMessage:
    """The superadmin's retry of a dead letter: a fresh set of attempts, published at once."""
    from apps.core import audit

    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id, dead_at__isnull=False)
        galat = message.last_error
        message.dead_at = None
        message.published_at = None
        message.available_at = None
        message.attempts = 0
        message.save(update_fields=["dead_at", "published_at", "available_at", "attempts"])
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
        audit.record(
            "outbox.diulang",
            actor=actor,
            message=f"Pesan outbox {message.task_name} diterbitkan ulang oleh superadmin.",
            data={"pesan": str(message.id), "tugas": message.task_name, "galat": galat[:300]},
            ip_address=ip_address,
        )
    return message


def catat_tanda_terima(task_id: str | None, task_name: str) -> bool:
    """Receipt for an outbox task that is idempotent on its own terms (not wrapped in
    :func:`idempotent`), written when it succeeded. Returns True if one was written."""
    if not task_id or not OutboxMessage.objects.filter(pk=_uuid_or_none(task_id)).exists():
        return False
    created = TaskReceipt.objects.bulk_create(
        [TaskReceipt(key=receipt_key(task_name, task_id), task_name=task_name)], ignore_conflicts=True
    )
    return bool(created)


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


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
