"""Platform administration pages: the superadmin creates, changes and deactivates instansi,
creates and invites users, assigns and revokes roles. Everyone else gets a 404 (the pages do
not exist for them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions, platform_services, services
from apps.accounts.models import User
from apps.accounts.platform_forms import InstansiForm, PenggunaForm, PeranForm
from apps.core.audit import client_ip
from apps.core.models import Instansi
from apps.core.pesan import penolakan


def _superadmin(request) -> None:
    if not permissions.is_superadmin(request.user):
        raise Http404


@login_required
def instansi_form(request, pk: int | None = None):
    _superadmin(request)
    instansi = get_object_or_404(Instansi, pk=pk) if pk else None
    form = InstansiForm(
        request.POST if request.method == "POST" else None, initial=InstansiForm.awal(instansi) if instansi else None
    )
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            saved = platform_services.instansi_simpan(
                actor=request.user, data=form.cleaned_data, instansi=instansi, ip_address=client_ip(request)
            )
            messages.success(request, _("Instansi %(n)s disimpan.") % {"n": saved.nama})
            return redirect("portal:instansi_list")
    judul = _("Ubah instansi %(n)s") % {"n": instansi.nama} if instansi else _("Tambah instansi")
    return render(request, "accounts/platform/form.html", {"form": form, "judul": judul, "instansi": instansi})


@login_required
@require_POST
def instansi_aktif(request, pk: int):
    _superadmin(request)
    instansi = get_object_or_404(Instansi, pk=pk)
    aktif = request.POST.get("aktif") == "1"
    with penolakan(request):
        platform_services.instansi_aktifkan(
            actor=request.user, instansi=instansi, aktif=aktif, ip_address=client_ip(request)
        )
        messages.success(
            request,
            (_("Instansi %(n)s diaktifkan.") if aktif else _("Instansi %(n)s dinonaktifkan.")) % {"n": instansi.nama},
        )
    return redirect("portal:instansi_list")


@login_required
def pengguna_baru(request):
    _superadmin(request)
    form = PenggunaForm(
        request.POST if request.method == "POST" else None, initial={"instansi": request.GET.get("instansi")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with penolakan(request, form=form):
            user = services.user_create(
                username=d["username"], nama_lengkap=d["nama_lengkap"], email=d["email"], nip=d["nip"],
                instansi=d["instansi"], roles=d["peran"], actor=request.user,
            )  # fmt: skip
            messages.success(
                request,
                _("Akun %(u)s dibuat; tautan untuk menetapkan kata sandi dikirim ke %(e)s.")
                % {"u": user.username, "e": user.email},
            )
            return redirect("platform:peran", pk=user.pk)
    return render(request, "accounts/platform/form.html", {"form": form, "judul": _("Tambah pengguna")})


@login_required
def peran(request, pk: int):
    _superadmin(request)
    user = get_object_or_404(User, pk=pk)
    aktif = list(user.memberships.filter(is_active=True).select_related("instansi"))
    initial = {"instansi": aktif[0].instansi_id if aktif else None, "peran": [m.role for m in aktif]}
    form = PeranForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            granted, revoked = platform_services.peran_atur(
                actor=request.user, user=user, instansi=form.cleaned_data["instansi"],
                roles=set(form.cleaned_data["peran"]), ip_address=client_ip(request),
            )  # fmt: skip
            if not (granted or revoked):
                raise ValidationError(_("Tidak ada perubahan peran."))
            messages.success(request, _("Peran %(u)s disimpan.") % {"u": user})
            return redirect("platform:peran", pk=user.pk)
    context = {"form": form, "judul": _("Peran %(u)s") % {"u": user}, "pengguna": user, "aktif": aktif}
    return render(request, "accounts/platform/form.html", context)
