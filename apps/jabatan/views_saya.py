"""The pejabat fungsional's own pages (issue 19, item 5): their record, AK ledger and letters.

Reached only with the role ``pejabat_fungsional``; every read goes through the holder's tenant
scope (``apps.core.tenancy``: ``pejabat_id``), so the manager and the RLS policy show nothing but
their own record and what hangs on it. There is no object id in these URLs: a holder can only
ever ask for their own data. Letters are downloaded through the letters' own route
(``surat:unduh``), which the same scope limits to the letters linked to the record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import has_role
from apps.jabatan import selectors_saya


def _pejabat_saya(request):
    if not has_role(request.user, Role.PEJABAT_FUNGSIONAL):
        raise Http404
    pejabat = selectors_saya.pejabat_saya(request.user)
    if pejabat is None:
        raise Http404
    return pejabat


@login_required
def beranda(request):
    pejabat = _pejabat_saya(request)
    return render(request, "jabatan/saya.html", selectors_saya.ringkasan(pejabat))


@login_required
@require_POST
def usulan_penetapan_buat(request):
    """The holder starts their own usulan penetapan AK (where the JF allows it), then completes
    and submits it on the usulan's page, like the PIC."""
    from apps.core.audit import client_ip
    from apps.core.pesan import penolakan
    from apps.penetapan import services as penetapan

    pejabat = _pejabat_saya(request)
    if not pejabat.jf.pejabat_boleh_mengajukan_ak:
        raise Http404
    with penolakan(request):
        usulan = penetapan.usulan_buat(actor=request.user, pejabat=pejabat, ip_address=client_ip(request))
        messages.success(request, _("Usulan penetapan angka kredit dibuat. Unggah dokumen, lalu ajukan."))
        return redirect("penetapan:detail", pk=usulan.pk)
    return redirect("saya:beranda")
