from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from apps.accounts import permissions
from apps.pengusulan import selectors


def _require_instansi_data(user) -> None:
    if not permissions.can_view_instansi_data(user):
        raise PermissionDenied


@login_required
def pegawai_list(request):
    _require_instansi_data(request.user)
    q = request.GET.get("q", "")
    page = Paginator(selectors.pegawai_list(q=q), 50).get_page(request.GET.get("page"))
    return render(request, "pengusulan/pegawai_list.html", {"page": page, "q": q})


@login_required
def pegawai_detail(request, pk: int):
    _require_instansi_data(request.user)
    # Scoped: another instansi's pegawai is simply not found.
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pk)
    return render(request, "pengusulan/pegawai_detail.html", {"pegawai": pegawai})
