from __future__ import annotations

from celery import shared_task


@shared_task(name="core.analisis_statistik", acks_late=True)
def analisis_statistik(tabel: list[str]) -> str:
    """Fresh planner statistics for ``tabel`` after a bulk write (owner connection; idempotent)."""
    from apps.core import statistik

    statistik.analyze(*tabel)
    return ",".join(tabel)
