from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone


@shared_task(bind=True, name="rekap.buat_ekspor", acks_late=True, soft_time_limit=600, time_limit=900)
def buat_ekspor(self, ekspor_id: int) -> str:
    """Write a background export, then tell its owner (notification with the download link)."""
    from django.db import transaction
    from django.urls import reverse

    from apps.core import tenancy
    from apps.notifikasi.services import notifikasi_buat
    from apps.rekap import ekspor as ek
    from apps.rekap.models import Ekspor

    with transaction.atomic():
        job = Ekspor.objects.select_for_update().select_related("user").filter(pk=ekspor_id).first()
        if job is None or job.status == Ekspor.Status.SELESAI:
            return "sudah"
        job.status = Ekspor.Status.DIPROSES
        job.save(update_fields=["status"])
    scope = tenancy.scope_for_user(job.user)  # the owner's own scope: an export sees what its owner sees
    try:
        # In a transaction: the scope reaches PostgreSQL (row-level security) per transaction.
        with tenancy.activate(scope), transaction.atomic():
            data, rows, name = ek.jalankan(job)
        job.berkas.save(name, ContentFile(data), save=False)
        job.jumlah_baris = rows
        job.status = Ekspor.Status.SELESAI
        job.selesai_at = timezone.now()
        job.save()
    except Exception as exc:
        from apps.core.storage import PenyimpananGagal

        Ekspor.objects.filter(pk=job.pk).update(status=Ekspor.Status.GAGAL, galat=f"{type(exc).__name__}: {exc}"[:2000])
        isi = PenyimpananGagal.pesan() if isinstance(exc, PenyimpananGagal) else str(exc)[:500]
        notifikasi_buat([job.user], jenis="ekspor.gagal", judul="Ekspor gagal dibuat", isi=isi,
             url_for=reverse("rekap:ekspor_daftar"))  # fmt: skip
        raise
    url = reverse("rekap:ekspor_unduh", args=[job.pk])
    notifikasi_buat(
        [job.user], jenis="ekspor.selesai", judul=f"Ekspor siap diunduh: {name}", isi=f"{rows} baris.", url_for=url
    )
    return "selesai"


#: Finished exports (and their files) are removed after this many days, unless the retention
#: schedule (settings.SIAKS_RETENSI["ekspor"], docs/operasi.md) says otherwise; 0 keeps them.
SIMPAN_HARI = 7


@shared_task(name="rekap.bersihkan_ekspor")
def bersihkan_ekspor() -> int:
    """Delete exports older than the retention schedule's days with their files (personal data)."""
    from datetime import timedelta

    from django.conf import settings

    from apps.rekap.models import Ekspor

    hari = int(getattr(settings, "SIAKS_RETENSI", {}).get("ekspor", SIMPAN_HARI))
    if hari <= 0:
        return 0
    batas = timezone.now() - timedelta(days=hari)
    removed = 0
    for job in Ekspor.objects.filter(created_at__lt=batas):
        if job.berkas:
            job.berkas.delete(save=False)
        job.delete()
        removed += 1
    return removed
