"""Scoped reads of holders and their ledger."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from apps.jabatan.domain import Ambang
from apps.jabatan.models import MutasiAK, PejabatFungsional


def ak_kumulatif(pejabat: PejabatFungsional) -> Decimal:
    """The holder's AK kumulatif: the sum of the ledger (corrections are signed rows)."""
    total = MutasiAK.objects.filter(pejabat=pejabat).aggregate(s=Sum("nilai"))["s"]
    return Decimal(total or 0)


def mutasi_dari(pejabat: PejabatFungsional):
    return (
        MutasiAK.objects.filter(pejabat=pejabat)
        .select_related("jenjang", "surat", "dibuat_oleh")
        .order_by("created_at", "id")
    )


def ambang(pejabat: PejabatFungsional, kumulatif: Decimal | None = None) -> Ambang:
    """The holder's AK kumulatif against the thresholds of their jenjang (reference data)."""
    jenjang = pejabat.jenjang
    return Ambang(
        kumulatif=ak_kumulatif(pejabat) if kumulatif is None else kumulatif,
        pangkat=jenjang.ak_kumulatif_pangkat,
        jenjang=jenjang.ak_kumulatif_jenjang,
    )


def pejabat_satu(pk) -> PejabatFungsional:
    """One holder of the scope (404 for anyone else's: the manager and RLS hide it)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PejabatFungsional.objects.select_related("jf", "jenjang", "golongan"), pk=pk)
