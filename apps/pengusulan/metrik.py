"""Usulan per status for Prometheus (apps/core/metrik.py reads it at scrape time)."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from apps.core import metrik


@metrik.daftarkan_data
def usulan_per_status():
    from apps.pengusulan.models import Usulan

    family = GaugeMetricFamily("siaks_usulan", "Usulan per status", labels=["status"])
    for status, n in Usulan.objects.values_list("status").annotate(n=Count("id")).order_by():
        family.add_metric([status], n)
    yield family
