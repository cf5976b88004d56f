from __future__ import annotations

from django.db.models import Q, QuerySet

from apps.pengusulan.models import Pegawai


def pegawai_list(*, q: str = "") -> QuerySet[Pegawai]:
    """Pegawai visible in the active tenant scope (the scoped manager filters by instansi)."""
    qs = Pegawai.objects.all()
    q = q.strip()
    if q:
        digits = q.replace(" ", "")
        qs = qs.filter(Q(nama__icontains=q) | Q(nip__startswith=digits))
    return qs.order_by("nama", "id")
