from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts import lockout
from apps.accounts.forms import LoginForm
from apps.accounts.sandi import FormSandiBaru, FormUbahSandi


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        sampai = lockout.ip_terblokir(request)  # password spraying: many usernames, one address
        if sampai is not None:
            return lockout.respons_ip_terkunci(request, sampai)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = FormUbahSandi
    success_url = reverse_lazy("portal:beranda")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Kata sandi Anda telah diubah."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = FormSandiBaru
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def permintaan_ppk(request):
    """The PIC asks for the PPK account of their instansi and follows the decision."""
    from apps.accounts import platform_services
    from apps.accounts.models import PermintaanAkun, Role
    from apps.accounts.permissions import has_role
    from apps.accounts.platform_forms import PermintaanPPKForm
    from apps.core.audit import client_ip
    from apps.core.pesan import penolakan

    if not has_role(request.user, Role.PIC_INSTANSI):
        raise Http404
    form = PermintaanPPKForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            platform_services.permintaan_ppk_buat(
                actor=request.user, data=form.cleaned_data, ip_address=client_ip(request)
            )
            messages.success(request, _("Permintaan dikirim ke superadmin. Anda akan diberi tahu keputusannya."))
            return redirect("accounts:permintaan_ppk")
    daftar = list(PermintaanAkun.objects.select_related("pengguna").order_by("-created_at")[:20])
    ppk = list(request.user.instansi.memberships.filter(role=Role.PPK, is_active=True).select_related("user"))
    context = {"form": form, "daftar": daftar, "ppk": ppk, "menunggu": any(p.status == "menunggu" for p in daftar)}
    return render(request, "accounts/permintaan_ppk.html", context)
