"""Platform administration pages: the superadmin creates, changes and deactivates instansi,
creates and invites users, assigns and revokes roles. Everyone else gets a 404 (the pages do
not exist for them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import permissions, platform_services
from apps.accounts.models import User
from apps.accounts.platform_forms import InstansiForm, PenggunaForm, PeranForm, TolakForm
from apps.core import tenancy
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
        request.POST if request.method == "POST" else None,
        initial=InstansiForm.awal(instansi) if instansi else None,
        instansi=instansi,
    )
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            saved = platform_services.instansi_simpan(
                actor=request.user, data=form.cleaned_data, instansi=instansi, ip_address=client_ip(request)
            )
            messages.success(request, _("Instansi %(n)s disimpan.") % {"n": saved.nama})
            return redirect("portal:instansi_list")
    judul = _("Ubah instansi %(n)s") % {"n": instansi.nama} if instansi else _("Tambah instansi")
    remah = [(reverse("portal:instansi_list"), _("Instansi"))]
    context = {"form": form, "judul": judul, "instansi": instansi, "remah": remah}
    return render(request, "accounts/platform/form.html", context)


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


def _lingkup_atau_404(request, *, superadmin: bool):
    """The actor's account scope: the superadmin's on platform pages, an admin pembina's on the
    staff pages; anyone else gets a 404."""
    ling = platform_services.lingkup(request.user)
    if ling is None or ling.superadmin != superadmin:
        raise Http404
    return ling


def _halaman_pengguna_baru(request, ling, *, judul, remah, data_awal=None):
    form = PenggunaForm(
        request.POST if request.method == "POST" else None, lingkup=ling,
        initial=data_awal or {"instansi": request.GET.get("instansi")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            user = platform_services.pengguna_buat(
                actor=request.user, data=form.cleaned_data, ip_address=client_ip(request)
            )
            messages.success(
                request,
                _("Akun %(u)s dibuat; tautan untuk menetapkan kata sandi dikirim ke %(e)s.")
                % {"u": user.username, "e": user.email},
            )
            return user, None
    return None, render(request, "accounts/platform/form.html", {"form": form, "judul": judul, "remah": remah})


def _halaman_peran(request, ling, pk: int, *, remah, kembali: str):
    user = get_object_or_404(platform_services.pengguna_dikelola(request.user), pk=pk)
    with penolakan(request) as ditolak:
        platform_services.wajib_bukan_superadmin(user)
    if ditolak:
        return redirect("accounts:pengguna")
    aktif = list(user.memberships.filter(is_active=True).select_related("instansi"))
    initial = {"instansi": aktif[0].instansi_id if aktif else None, "peran": [m.role for m in aktif],
               "email": user.email}  # fmt: skip
    form = PeranForm(request.POST if request.method == "POST" else None, initial=initial, lingkup=ling, pengguna=user)
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            email_baru = form.cleaned_data["email"] != user.email
            if email_baru:
                platform_services.pengguna_ubah_email(
                    actor=request.user, user=user, email=form.cleaned_data["email"], ip_address=client_ip(request)
                )
            granted, revoked = platform_services.peran_atur(
                actor=request.user, user=user, instansi=form.cleaned_data["instansi"],
                roles=set(form.cleaned_data["peran"]), ip_address=client_ip(request),
            )  # fmt: skip
            if not (granted or revoked or email_baru):
                raise ValidationError(_("Tidak ada perubahan alamat e-mail atau peran."))
            messages.success(request, _("Akun dan peran %(u)s disimpan.") % {"u": user})
            return redirect(kembali, pk=user.pk)
    context = {"form": form, "judul": _("Akun dan peran %(u)s") % {"u": user}, "pengguna": user, "aktif": aktif,
               "remah": remah}  # fmt: skip
    return render(request, "accounts/platform/form.html", context)


def _ubah_aktif(request, pk: int):
    user = get_object_or_404(platform_services.pengguna_dikelola(request.user), pk=pk)
    nilai = request.POST.get("aktif")
    if nilai not in ("0", "1"):
        messages.error(request, _("Pilih aktifkan atau nonaktifkan."))
        return redirect("accounts:pengguna")
    with penolakan(request):
        user = platform_services.pengguna_aktifkan(
            actor=request.user, user=user, aktif=nilai == "1", ip_address=client_ip(request)
        )
        messages.success(
            request, (_("Akun %(u)s diaktifkan.") if user.is_active else _("Akun %(u)s dinonaktifkan.")) % {"u": user}
        )
    return redirect("accounts:pengguna")


def _remah_platform():
    return [(reverse("portal:instansi_list"), _("Instansi")), (reverse("accounts:pengguna"), _("Pengguna"))]


@login_required
def pengguna_baru(request):
    ling = _lingkup_atau_404(request, superadmin=True)
    user, page = _halaman_pengguna_baru(request, ling, judul=_("Tambah pengguna"), remah=_remah_platform())
    return redirect("platform:peran", pk=user.pk) if user else page


@login_required
def peran(request, pk: int):
    ling = _lingkup_atau_404(request, superadmin=True)
    return _halaman_peran(request, ling, pk, remah=_remah_platform(), kembali="platform:peran")


@login_required
@require_POST
def pengguna_aktif(request, pk: int):
    _lingkup_atau_404(request, superadmin=True)
    return _ubah_aktif(request, pk)


# --------------------------------------------------------------------------- the admin pembina's staff


def _remah_staf():
    return [(reverse("accounts:pengguna"), _("Pengguna"))]


@login_required
def staf_baru(request):
    ling = _lingkup_atau_404(request, superadmin=False)
    user, page = _halaman_pengguna_baru(request, ling, judul=_("Tambah staf pembina"), remah=_remah_staf())
    return redirect("accounts:pengguna") if user else page


@login_required
def staf_peran(request, pk: int):
    ling = _lingkup_atau_404(request, superadmin=False)
    return _halaman_peran(request, ling, pk, remah=_remah_staf(), kembali="staf:peran")


@login_required
@require_POST
def staf_aktif(request, pk: int):
    _lingkup_atau_404(request, superadmin=False)
    return _ubah_aktif(request, pk)


# --------------------------------------------------------------------------- requests for a PPK account


@login_required
def permintaan_list(request):
    """The superadmin's queue: open requests first, then the last decisions."""
    from apps.accounts.models import PermintaanAkun

    _lingkup_atau_404(request, superadmin=True)
    with tenancy.all_tenants(reason="the superadmin's queue of account requests from every instansi"):
        menunggu = list(PermintaanAkun.objects.filter(status="menunggu").select_related("instansi", "diminta_oleh")
                        .order_by("created_at"))  # fmt: skip
        diputus = list(PermintaanAkun.objects.exclude(status="menunggu").select_related("instansi", "pengguna")
                       .order_by("-diputus_at")[:50])  # fmt: skip
    return render(request, "accounts/platform/permintaan_list.html", {"menunggu": menunggu, "diputus": diputus})


def _usul_username(permintaan) -> str:
    dasar = permintaan.email.split("@")[0].lower()
    return dasar if not User.objects.filter(username__iexact=dasar).exists() else f"ppk.{dasar}"


@login_required
def permintaan(request, pk: int):
    """One request: approve (the PPK account, created and invited, with the superadmin's own
    user form, filled in from the request) or reject with a reason."""
    from apps.accounts.models import PermintaanAkun

    ling = _lingkup_atau_404(request, superadmin=True)
    with tenancy.all_tenants(reason="the superadmin decides an account request of any instansi"):
        obj = get_object_or_404(PermintaanAkun.objects.select_related("instansi", "diminta_oleh"), pk=pk)
        keputusan = request.POST.get("keputusan") if request.method == "POST" else None
        awal = {"username": _usul_username(obj), "nama_lengkap": obj.nama_lengkap, "email": obj.email,
                "nip": obj.nip, "instansi": obj.instansi_id, "peran": [obj.peran]}  # fmt: skip
        form = PenggunaForm(request.POST if keputusan == "setujui" else None, initial=awal, lingkup=ling)
        tolak = TolakForm(request.POST if keputusan == "tolak" else None)
        if request.method == "POST" and keputusan not in ("setujui", "tolak"):
            messages.error(request, _("Pilih setujui atau tolak."))
        elif keputusan == "setujui" and form.is_valid():
            with penolakan(request, form=form):
                user = platform_services.permintaan_setujui(
                    actor=request.user, permintaan=obj, data=form.cleaned_data, ip_address=client_ip(request)
                )
                messages.success(
                    request,
                    _("Akun PPK %(u)s dibuat; tautan untuk menetapkan kata sandi dikirim ke %(e)s.")
                    % {"u": user.username, "e": user.email},
                )
                return redirect("platform:permintaan_list")
        elif keputusan == "tolak" and tolak.is_valid():
            with penolakan(request, form=tolak):
                platform_services.permintaan_tolak(
                    actor=request.user, permintaan=obj, alasan=tolak.cleaned_data["alasan"],
                    ip_address=client_ip(request),
                )  # fmt: skip
                messages.success(request, _("Permintaan ditolak; PIC diberi tahu alasannya."))
                return redirect("platform:permintaan_list")
        context = {"p": obj, "form": form, "tolak": tolak}
        return render(request, "accounts/platform/permintaan.html", context)
