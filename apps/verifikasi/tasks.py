from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.verifikasi import services


@shared_task(name="verifikasi.proses_perbaikan_lewat_tenggat")
def proses_perbaikan_lewat_tenggat(on: date | str | None = None) -> int:
    """Daily (beat): for JFs whose rule says so, an overdue perbaikan becomes tidak memenuhi syarat.

    JFs with the default rule only flag it (the verifier sees it in the overdue list)."""
    on = date.fromisoformat(on) if isinstance(on, str) else (on or timezone.localdate())
    count = 0
    with tenancy.all_tenants(reason="system rule across every instansi of the JFs that chose it"):
        overdue = Usulan.objects.filter(
            status=Status.PERBAIKAN, tenggat_perbaikan__lt=on, jf__perbaikan_lewat_tenggat="tidak_memenuhi"
        ).values_list("pk", flat=True)
        for pk in list(overdue):
            if services.usulan_tolak_lewat_tenggat(usulan=Usulan.objects.get(pk=pk), on=on):
                count += 1
    return count
