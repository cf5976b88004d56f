"""Platform jobs: the outbox reconciliation sweep (Celery beat) and fresh planner statistics
after bulk writes. Data retention, which reads every app's data, is ``pengusulan.retensi_data``."""

from __future__ import annotations

from celery import shared_task
from celery.signals import task_postrun


@shared_task(name="core.rekonsiliasi_outbox")
def rekonsiliasi_outbox() -> dict:
    from apps.core import outbox

    return outbox.rekonsiliasi()


@task_postrun.connect(dispatch_uid="siaks-outbox-receipt")
def _tanda_terima(sender=None, task_id=None, state=None, **kwargs) -> None:
    """A successful outbox task leaves a receipt (tasks wrapped in ``outbox.idempotent`` have
    written theirs with their effect already; the insert then does nothing)."""
    if state != "SUCCESS" or sender is None:
        return
    if getattr(getattr(sender, "request", None), "siaks_tanda_terima", False):
        return  # written by the task with its effect, in its own transaction (apps.ttd.tasks)
    from django.db import transaction

    from apps.core import outbox

    try:
        with transaction.atomic():
            outbox.catat_tanda_terima(task_id, sender.name)
    except Exception:  # never fail a finished task over its receipt: the sweep re-publishes
        import logging

        logging.getLogger(__name__).exception("receipt for %s not written", task_id)


@shared_task(name="core.analisis_statistik", acks_late=True)
def analisis_statistik(tabel: list[str]) -> str:
    """Fresh planner statistics for ``tabel`` after a bulk write (owner connection; idempotent)."""
    from apps.core import statistik

    statistik.analyze(*tabel)
    return ",".join(tabel)
