from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="notifikasi.pengingat_harian")
def pengingat_harian() -> dict:
    from apps.notifikasi.pengingat import jalankan

    return jalankan(timezone.localdate())


@shared_task(name="notifikasi.ringkasan_harian")
def ringkasan_harian() -> int:
    from apps.notifikasi.services import ringkasan_kirim

    return ringkasan_kirim()
