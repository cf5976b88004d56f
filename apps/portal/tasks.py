"""Jobs of the portal shell, which may read every app's data."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="portal.retensi_data")
def retensi_data() -> dict:
    """The retention schedule (UU 27/2022 PDP), daily: see apps/portal/retensi.py."""
    from apps.portal import retensi

    return retensi.jalankan()
