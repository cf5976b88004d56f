"""The benchmark's floor (bench/halaman_beban.py): the least a logged-in page can cost here.

Login required, one ``.values()`` query for the same 50 usulan a list page shows first (the
user's tenant scope, oldest submitted first), a plain table, the same middleware and context
processors as every page. Routed only when ``SIAKS_BENCH_LANTAI`` is on, which only
``siaks.settings.bench`` does — never the production settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def lantai(request):
    from apps.pengusulan.models import Usulan

    rows = list(
        Usulan.objects.exclude(status="draft")
        .order_by("diajukan_at", "id")
        .values("id", "nomor", "pegawai_nip", "pegawai_nama", "status", "diajukan_at")[:50]
    )
    return render(request, "portal/lantai.html", {"rows": rows})
