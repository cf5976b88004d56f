from __future__ import annotations

from django.db.models import QuerySet

from apps.core.models import Instansi


def instansi_list() -> QuerySet[Instansi]:
    return Instansi.objects.select_related("parent").order_by("jenis", "nama")
