"""Two-factor pages: set up an authenticator, verify at login, backup codes, admin reset."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import dua_langkah
from apps.accounts.models import Membership, Role, User
from apps.accounts.permissions import has_role
from apps.core.audit import client_ip


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def status(request):
    user = request.user
    return render(request, "accounts/2fa_status.html", {
        "aktif": dua_langkah.aktif(user),
        "wajib": dua_langkah.wajib(user),
        "sisa_kode": sum(d.token_set.count() for d in user.staticdevice_set.all()),
    })  # fmt: skip


@login_required
def daftar(request):
    """Show the QR code of a new authenticator and confirm it with a first code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if request.method == "POST" and device is not None:
        codes = dua_langkah.konfirmasi(request, device, request.POST.get("kode", ""))
        if codes is not None:
            return render(request, "accounts/2fa_kode_cadangan.html", {"codes": codes, "next": _next(request)})
        messages.error(request, _("Kode tidak cocok. Periksa jam ponsel Anda dan masukkan kode yang sedang tampil."))
    if device is None:
        device = dua_langkah.mulai(user)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    context = {
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
        "wajib": dua_langkah.wajib(user),
    }
    return render(request, "accounts/2fa_daftar.html", context)


@login_required
def verifikasi(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if request.method == "POST":
        hasil = dua_langkah.verifikasi(request, request.POST.get("kode", ""))
        if hasil.device is not None:
            return redirect(_next(request))
        if hasil.jeda_sampai is not None:
            messages.error(request, hasil.pesan_jeda)
        else:
            messages.error(request, _("Kode salah atau sudah dipakai. Coba lagi dengan kode yang sedang tampil."))
    return render(request, "accounts/2fa_verifikasi.html", {"next": _next(request)})


@login_required
@require_POST
def kode_baru(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = dua_langkah.kode_cadangan_baru(request.user)
    return render(request, "accounts/2fa_kode_cadangan.html", {"codes": codes, "next": "/akun/2fa/"})


@login_required
@require_POST
def nonaktifkan(request):
    dua_langkah.nonaktifkan(user=request.user, ip_address=client_ip(request))
    messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
    return redirect("accounts:2fa_status")


def _pengguna_untuk(actor):
    from apps.accounts.platform_services import pengguna_dikelola

    if actor.is_superuser:
        return User.objects.all()
    if has_role(actor, Role.ADMIN_PEMBINA) and actor.instansi is not None:
        anggota = User.objects.filter(
            memberships__instansi=actor.instansi, memberships__is_active=True, is_superuser=False
        )
        # and the staff they manage whose roles were all revoked (to give them back)
        return User.objects.filter(Q(pk__in=anggota.values("pk")) | Q(pk__in=pengguna_dikelola(actor).values("pk")))
    return User.objects.none()


@login_required
def pengguna(request):
    """Accounts the actor may reset 2FA for (superadmin: all; admin pembina: own instansi)."""
    if not (request.user.is_superuser or has_role(request.user, Role.ADMIN_PEMBINA)):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    qs = _pengguna_untuk(request.user).distinct().order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(nama_lengkap__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    aktif = set(TOTPDevice.objects.filter(user__in=list(page), confirmed=True).values_list("user_id", flat=True))
    from apps.accounts.platform_services import lingkup, pengguna_dikelola

    ids = [u.pk for u in page]
    dikelola = set(pengguna_dikelola(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    peran: dict[int, list[str]] = {}
    for m in Membership.objects.filter(user_id__in=ids, is_active=True).order_by("role"):
        peran.setdefault(m.user_id, []).append(m.get_role_display())
    for u in page:
        u.dua_langkah_aktif = u.pk in aktif
        u.dikelola = u.pk in dikelola and not u.is_superuser  # another superadmin: not from the portal
        u.daftar_peran = peran.get(u.pk, [])
    ling = lingkup(request.user)
    context = {"page": page, "q": q, "querystring": f"q={q}" if q else "",
               "kelola_staf": ling is not None and not ling.superadmin}  # fmt: skip
    return render(request, "accounts/pengguna.html", context)


@login_required
@require_POST
def reset(request, pk: int):
    target = get_object_or_404(_pengguna_untuk(request.user).distinct(), pk=pk)
    dua_langkah.reset(actor=request.user, target=target, ip_address=client_ip(request))
    messages.success(
        request, _("Verifikasi dua langkah %(u)s direset; ia akan mendaftar ulang saat masuk.") % {"u": target.username}
    )
    return redirect("accounts:pengguna")


# --------------------------------------------------------------------------- API tokens


@login_required
def token(request):
    """The user's live API tokens, each revocable (issue 15, finding 3)."""
    from django.conf import settings

    from apps.accounts import token as api_token

    tokens = list(api_token.aktif(request.user).order_by("-dibuat_at", "-id"))
    return render(request, "accounts/token.html", {"tokens": tokens, "umur_jam": settings.SIAKS_TOKEN_UMUR // 3600})


@login_required
@require_POST
def token_cabut(request, pk: int):
    from apps.accounts import token as api_token
    from apps.core import audit

    t = get_object_or_404(api_token.aktif(request.user), pk=pk)
    api_token.cabut(t, alasan="dicabut pemilik")
    audit.record("token.cabut", actor=request.user, instansi=request.user.instansi, obj=request.user,
                 ip_address=client_ip(request), message=_("Token API %(a)s… dicabut.") % {"a": t.awalan})  # fmt: skip
    messages.success(request, _("Token %(a)s… dicabut.") % {"a": t.awalan})
    return redirect("accounts:token")


@login_required
@require_POST
def token_cabut_semua(request):
    from apps.accounts import token as api_token
    from apps.core import audit

    n = api_token.cabut_semua(request.user, alasan="dicabut pemilik")
    audit.record("token.cabut", actor=request.user, instansi=request.user.instansi, obj=request.user,
                 ip_address=client_ip(request), message=_("%(n)d token API dicabut.") % {"n": n})  # fmt: skip
    messages.success(request, _("%(n)d token dicabut.") % {"n": n})
    return redirect("accounts:token")
