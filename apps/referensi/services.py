"""Changes to reference data: each one locked, validated and written to the audit log with
who, when and what changed (before → after)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from apps.core import audit
from apps.referensi import permissions
from apps.referensi.models import AKDasar, JabatanFungsional, NilaiPenyesuaianAK


def _jsonable(value):
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _apply(obj: models.Model, changes: dict) -> dict[str, list]:
    diff = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            diff[field] = [_jsonable(old), _jsonable(new)]
            setattr(obj, field, new)
    return diff


@transaction.atomic
def referensi_update(*, obj: models.Model, jf: JabatanFungsional, changes: dict, actor, ip_address=None) -> dict:
    """Update a JF or one of its rows (jenjang, dokumen, tahapan, kompetensi).

    Caller: the JF's admin pembina or the superadmin. Returns the diff (empty: nothing saved)."""
    if not permissions.can_edit_jf(actor, jf):
        raise PermissionDenied
    locked = type(obj).objects.select_for_update().get(pk=obj.pk) if obj.pk else obj
    diff = _apply(locked, changes)
    if not diff and obj.pk:
        return {}
    if "terverifikasi" in diff and hasattr(locked, "diverifikasi_oleh"):  # AK data rows: who confirmed, when
        locked.diverifikasi_oleh = actor if locked.terverifikasi else None
        locked.diverifikasi_pada = timezone.now() if locked.terverifikasi else None
    locked.full_clean()
    locked.save()
    label = type(obj)._meta.model_name
    audit.record(
        f"referensi.{label}_{'diubah' if obj.pk else 'dibuat'}",
        actor=actor,
        instansi=jf.instansi_pembina_id,
        obj=locked,
        message=f"{type(obj)._meta.verbose_name}: {locked}",
        data={"jf": jf.kode, "perubahan": diff},
        ip_address=ip_address,
    )
    obj.pk = locked.pk
    return diff


@transaction.atomic
def ak_row_update(
    *, row: NilaiPenyesuaianAK | AKDasar, nilai: Decimal, terverifikasi: bool, actor, ip_address=None
) -> dict:
    """Correct and/or confirm a row of the national AK tables. Caller: an admin pembina."""
    if not permissions.can_edit_ak_tables(actor):
        raise PermissionDenied
    locked = type(row).objects.select_for_update().get(pk=row.pk)
    diff = _apply(locked, {"nilai": nilai, "terverifikasi": terverifikasi})
    if not diff:
        return {}
    if terverifikasi:
        locked.diverifikasi_oleh = actor
        locked.diverifikasi_pada = timezone.now()
    else:
        locked.diverifikasi_oleh = None
        locked.diverifikasi_pada = None
    locked.full_clean()
    locked.save()
    audit.record(
        "referensi.ak_diubah",
        actor=actor,
        instansi=actor.instansi,
        obj=locked,
        message=str(locked),
        data={"jf": "*", "perubahan": diff},
        ip_address=ip_address,
    )
    # The usulan built on the row are pengusulan's to write (its service recomputes and audits them).
    from apps.pengusulan.services import usulan_ak_hitung_ulang

    usulan_ak_hitung_ulang(row=locked, diff=diff, actor=actor, ip_address=ip_address)
    return diff
