"""Rendering letters in the worker (queue ``pdf``), requested through the outbox.

Idempotent per letter version: the version row is locked while it renders, and a version that
is already ``selesai`` is skipped, so a re-delivered or re-queued request never makes a second
file, and the number (taken when the letter was issued) is never taken again. A worker killed
mid-render leaves the version ``diproses``: the broker redelivers the message
(acks_late + reject_on_worker_lost) and :func:`pulihkan_macet` re-queues anything stuck."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from apps.core import outbox, tenancy

logger = logging.getLogger(__name__)

#: Transient failures: retried with exponential backoff. Anything else marks the version failed.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_PERCOBAAN = 5
MACET_SETELAH = timedelta(minutes=10)


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
            raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
        except DatabaseError:
            raise
        except Exception as exc:
            if _transient_storage_error(exc):
                raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
            logger.exception("surat %s: rendering failed", versi_id)
            _gagal(versi_id, f"{type(exc).__name__}: {exc}")
            return "gagal"


def _gagal(versi_id: int, message: str) -> None:
    from apps.surat.models import VersiSurat

    with transaction.atomic():
        VersiSurat.objects.filter(pk=versi_id).exclude(status=VersiSurat.Status.SELESAI).update(
            status=VersiSurat.Status.GAGAL, galat=message[:2000]
        )


@shared_task(name="surat.pulihkan_macet")
def pulihkan_macet() -> int:
    """Re-queue versions stuck in the queue or mid-render (e.g. the whole worker was killed and
    the broker has not redelivered yet); give up after MAX_PERCOBAAN attempts."""
    from django.db.models import Q

    from apps.surat.models import VersiSurat

    batas = timezone.now() - MACET_SETELAH
    count = 0
    with tenancy.all_tenants(reason="the recovery sweep looks at letters of every instansi"), transaction.atomic():
        stuck = VersiSurat.objects.select_for_update(skip_locked=True).filter(
            Q(status=VersiSurat.Status.DIPROSES, diproses_at__lt=batas)
            | Q(status=VersiSurat.Status.ANTREAN, created_at__lt=batas, diproses_at__isnull=True)
            | Q(status=VersiSurat.Status.ANTREAN, diproses_at__lt=batas)
        )
        for versi in stuck:
            if versi.percobaan >= MAX_PERCOBAAN:
                versi.status = VersiSurat.Status.GAGAL
                versi.galat = "Gagal setelah beberapa kali percobaan."
                versi.save(update_fields=["status", "galat"])
                continue
            versi.status = VersiSurat.Status.ANTREAN
            versi.diproses_at = timezone.now()
            versi.save(update_fields=["status", "diproses_at"])
            outbox.enqueue("surat.render", queue="pdf", versi_id=versi.pk)
            count += 1
    return count
