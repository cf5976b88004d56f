"""When a letter version is made, it keeps the paraf chain in force (its snapshot); when it has
been rendered, its first approver (paraf) is told it waits for them.

A ``post_save`` receiver rather than a call in the renderer keeps apps.surat unaware of the
paraf chain. The render task saves a finished version exactly once (``status`` moves to
``selesai`` in that save); later saves of the version (the signed copy) pass ``update_fields``."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.surat.models import VersiSurat


@receiver(post_save, sender=VersiSurat, dispatch_uid="ttd_alur_versi")
def alur_versi(sender, instance: VersiSurat, created: bool, raw: bool = False, **kwargs):
    """A version just made keeps the paraf chain in force now (a later change of the chain
    applies to letters issued afterwards); the earlier versions' parafs become void, kept."""
    if created and not raw:
        from apps.ttd.services import simpan_alur_versi

        simpan_alur_versi(instance)


@receiver(post_save, sender=VersiSurat, dispatch_uid="ttd_beritahu_paraf")
def beritahu_paraf(sender, instance: VersiSurat, created: bool, update_fields=None, **kwargs):
    if created or update_fields is not None or instance.status != VersiSurat.Status.SELESAI:
        return
    if not instance.terkini:
        return
    from apps.ttd.services import beritahu_siap_paraf

    versi_id = instance.pk

    def _kirim():
        from apps.core import tenancy

        with tenancy.all_tenants(reason="notify the first approver of a rendered letter"):
            versi = VersiSurat.objects.select_related("surat").filter(pk=versi_id).first()
            if versi is not None:
                beritahu_siap_paraf(versi)

    transaction.on_commit(_kirim)
