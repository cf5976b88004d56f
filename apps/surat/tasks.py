"""Rendering letters in the worker (queue ``pdf``), requested through the outbox.

Idempotent per letter version: the version row is locked while it renders, and a version that
is already ``selesai`` is skipped, so a re-delivered or re-queued request never makes a second
file, and the number (taken when the letter was issued) is never taken again. A worker killed
mid-render leaves the version ``diproses``. When only the pool child dies, the worker rejects the
message and the broker redelivers it at once (acks_late + reject_on_worker_lost). When the whole
worker dies, the broker would redeliver only after ``visibility_timeout``; :func:`pulihkan_macet`
(every 30 s) sees a render no live worker reports and re-queues it."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from apps.core import metrik, outbox, tenancy

logger = logging.getLogger(__name__)

#: Transient failures: retried with exponential backoff. Anything else marks the version failed.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_PERCOBAAN = 5
MACET_SETELAH = timedelta(minutes=10)
#: A render older than this that no live worker reports as active lost its worker: re-queued.
#: The broker itself would only redeliver it after ``visibility_timeout`` (20 minutes).
MATI_SETELAH = timedelta(seconds=30)


def _transient_storage_error(exc: Exception) -> bool:
    from apps.core.storage import PenyimpananGagal

    if isinstance(exc, PenyimpananGagal):  # full or read-only store: retried, no partial file left
        return True
    try:
        from botocore.exceptions import ConnectionError as BotoConnectionError
        from botocore.exceptions import EndpointConnectionError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, BotoConnectionError | EndpointConnectionError)


@shared_task(
    bind=True,
    name="surat.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    max_retries=6,
)
def render(self, versi_id: int) -> str:
    from apps.surat.models import VersiSurat
    from apps.surat.pdf import render_pdf

    with tenancy.all_tenants(reason="the PDF worker renders letters of every instansi"):
        with transaction.atomic():
            versi = VersiSurat.objects.select_for_update().filter(pk=versi_id).first()
            if versi is None:
                return "hilang"
            if versi.status == VersiSurat.Status.SELESAI:
                return "sudah"
            versi.status = VersiSurat.Status.DIPROSES
            versi.percobaan += 1
            versi.diproses_at = timezone.now()
            versi.save(update_fields=["status", "percobaan", "diproses_at"])
        try:
            with transaction.atomic():
                # Locked for the whole render: a concurrent delivery waits here, then skips.
                versi = VersiSurat.objects.select_for_update(of=("self",)).select_related("surat").get(pk=versi_id)
                if versi.status == VersiSurat.Status.SELESAI:
                    return "sudah"
                with metrik.ukur_render(versi.surat.jenis):
                    pdf, pages = render_pdf(versi)
                versi.berkas.save(f"{versi.kode}.pdf", ContentFile(pdf), save=False)
                versi.sha256 = hashlib.sha256(pdf).hexdigest()
                versi.ukuran = len(pdf)
                versi.jumlah_halaman = pages
                versi.status = VersiSurat.Status.SELESAI
                versi.selesai_at = timezone.now()
                versi.galat = ""
                versi.save()
            return "selesai"
        except SoftTimeLimitExceeded:
            _gagal(versi_id, "Waktu pembuatan PDF habis.")
            raise
        except TRANSIENT as exc:
            logger.warning("surat %s: transient error %s; retrying", versi_id, exc)
            _menunggu_ulang(versi_id)
            raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
        except DatabaseError:
            raise
        except Exception as exc:
            if _transient_storage_error(exc):
                logger.warning("surat %s: storage refused the file (%s); retrying", versi_id, exc)
                _menunggu_ulang(versi_id)
                raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
            logger.exception("surat %s: rendering failed", versi_id)
            _gagal(versi_id, f"{type(exc).__name__}: {exc}")
            return "gagal"


def _menunggu_ulang(versi_id: int) -> None:
    """A retry is scheduled: the version waits in the queue again (not ``diproses``, which the
    sweep would take for a render whose worker died)."""
    from apps.surat.models import VersiSurat

    try:
        with transaction.atomic():
            VersiSurat.objects.filter(pk=versi_id, status=VersiSurat.Status.DIPROSES).update(
                status=VersiSurat.Status.ANTREAN, diproses_at=timezone.now()
            )
    except DatabaseError:  # the database is what failed: the sweep will see it later
        logger.warning("surat %s: could not mark the retry", versi_id)


def _render_aktif() -> set[int] | None:
    """Ids of the versions live workers are rendering now (asked over the broker, 1 s), or None
    when the broker cannot be asked."""
    from siaks.celery import app

    try:
        replies = app.control.inspect(timeout=1.0).active() or {}
    except Exception:
        logger.warning("recovery sweep: workers could not be asked", exc_info=True)
        return None
    aktif = set()
    for tasks in replies.values():
        for task in tasks:
            if task.get("name") == "surat.render":
                kwargs = task.get("kwargs") or {}
                args = task.get("args") or []
                versi_id = kwargs.get("versi_id", args[0] if args else None)
                if versi_id is not None:
                    aktif.add(int(versi_id))
    return aktif


def _gagal(versi_id: int, message: str) -> None:
    from apps.surat.models import VersiSurat

    with transaction.atomic():
        VersiSurat.objects.filter(pk=versi_id).exclude(status=VersiSurat.Status.SELESAI).update(
            status=VersiSurat.Status.GAGAL, galat=message[:2000]
        )


@shared_task(name="surat.pulihkan_macet")
def pulihkan_macet() -> int:
    """Re-queue versions whose render was lost; give up after MAX_PERCOBAAN attempts.

    * ``diproses`` for more than MATI_SETELAH (30 s) and no live worker reports it active: the
      worker died with it (a killed pod, OOM, power). Runs every 30 s (beat), so a letter is
      rendered again within about a minute of its worker's death.
    * ``diproses`` or ``antrean`` for more than MACET_SETELAH (10 min): stuck, whatever the cause
      (also when the workers cannot be asked)."""
    from django.db.models import Q

    from apps.surat.models import VersiSurat

    now = timezone.now()
    batas = now - MACET_SETELAH
    stuck = (
        Q(status=VersiSurat.Status.DIPROSES, diproses_at__lt=batas)
        | Q(status=VersiSurat.Status.ANTREAN, created_at__lt=batas, diproses_at__isnull=True)
        | Q(status=VersiSurat.Status.ANTREAN, diproses_at__lt=batas)
    )
    with tenancy.all_tenants(reason="the recovery sweep looks at letters of every instansi"):
        mungkin_mati = VersiSurat.objects.filter(
            status=VersiSurat.Status.DIPROSES, diproses_at__lt=now - MATI_SETELAH, diproses_at__gte=batas
        ).exists()
    if mungkin_mati:
        aktif = _render_aktif()
        if aktif is not None:
            stuck |= Q(status=VersiSurat.Status.DIPROSES, diproses_at__lt=now - MATI_SETELAH) & ~Q(pk__in=aktif)
    count = 0
    with tenancy.all_tenants(reason="the recovery sweep looks at letters of every instansi"), transaction.atomic():
        for versi in VersiSurat.objects.select_for_update(skip_locked=True).filter(stuck):
            if versi.percobaan >= MAX_PERCOBAAN:
                versi.status = VersiSurat.Status.GAGAL
                versi.galat = "Gagal setelah beberapa kali percobaan."
                versi.save(update_fields=["status", "galat"])
                continue
            logger.warning("surat: version %s lost its render (status %s); re-queued", versi.pk, versi.status)
            versi.status = VersiSurat.Status.ANTREAN
            versi.diproses_at = timezone.now()
            versi.save(update_fields=["status", "diproses_at"])
            outbox.enqueue("surat.render", queue="pdf", versi_id=versi.pk)
            count += 1
    return count
