"""The PIC's actions on a holder's page for the holder's login and career (issue 19, items 5
and 6): invite the holder (or send the invitation again), revoke the access, and propose the
holder for kenaikan jenjang. POST only; refusals through ``penolakan`` end on the holder's page
with their reasons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions
from apps.core.audit import client_ip
from apps.core.pesan import penolakan
from apps.jabatan import akses, kenaikan, selectors


def _pejabat_pic(request, pk: int):
    if not permissions.can_manage_pegawai(request.user):
        raise PermissionDenied
    return selectors.pejabat_satu(pk)  # another instansi's holder: 404


@login_required
@require_POST
def undang(request, pk: int):
    pejabat = _pejabat_pic(request, pk)
    with penolakan(request):
        user = akses.pejabat_undang(
            actor=request.user, pejabat=pejabat, email=request.POST.get("email", "")[:254],
            ip_address=client_ip(request),
        )  # fmt: skip
        pesan = _("Undangan terkirim ke %(email)s. %(nama)s masuk dengan nama pengguna %(u)s.")
        messages.success(request, pesan % {"email": user.email, "nama": pejabat.nama, "u": user.username})
    return redirect("jabatan:detail", pk=pejabat.pk)


@login_required
@require_POST
def cabut_akses(request, pk: int):
    pejabat = _pejabat_pic(request, pk)
    with penolakan(request):
        if akses.pejabat_cabut_akses(actor=request.user, pejabat=pejabat, ip_address=client_ip(request)):
            messages.success(request, _("Akses %(nama)s ke SIAKS dicabut.") % {"nama": pejabat.nama})
        else:
            messages.info(request, _("%(nama)s belum memiliki akses.") % {"nama": pejabat.nama})
    return redirect("jabatan:detail", pk=pejabat.pk)


@login_required
@require_POST
def kenaikan_jenjang(request, pk: int):
    pejabat = _pejabat_pic(request, pk)
    with penolakan(request):
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=request.user, pejabat=pejabat, ip_address=client_ip(request))
        messages.success(
            request,
            _("Usulan kenaikan jenjang %(n)s dibuat. Unggah dokumennya, lalu ajukan ke instansi pembina.")
            % {"n": usulan.nomor},
        )
        return redirect("pengusulan:usulan_detail", pk=usulan.pk)
    return redirect("jabatan:detail", pk=pejabat.pk)
