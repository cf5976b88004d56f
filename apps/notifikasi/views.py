from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.notifikasi import services
from apps.notifikasi.models import Notifikasi


@login_required
def daftar(request):
    qs = Notifikasi.objects.filter(user=request.user)
    belum = request.GET.get("belum") == "1"
    if belum:
        qs = qs.filter(dibaca_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifikasi/daftar.html", {"page": page, "belum": belum,
                                                       "querystring": "belum=1" if belum else ""})  # fmt: skip


@login_required
def buka(request, pk: int):
    """Mark one notification read and follow its link (only to this site)."""
    n = get_object_or_404(Notifikasi, pk=pk, user=request.user)
    if n.dibaca_at is None:
        Notifikasi.objects.filter(pk=n.pk).update(dibaca_at=timezone.now())
    safe = url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}) and n.url.startswith("/")
    return redirect(n.url if safe else "notifikasi:daftar")


@login_required
@require_POST
def baca_semua(request):
    n = services.notifikasi_tandai_dibaca(request.user)
    messages.success(request, _("%(n)d pemberitahuan ditandai sudah dibaca.") % {"n": n})
    return redirect("notifikasi:daftar")


class PengaturanForm(forms.Form):
    pengiriman_email = forms.ChoiceField(
        label=gettext_lazy("Kirim pemberitahuan lewat e-mail"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        choices=[
            ("segera", gettext_lazy("Segera, satu e-mail per pemberitahuan")),
            ("harian", gettext_lazy("Ringkasan harian (sekali sehari, pukul 07.00 WIB)")),
            ("mati", gettext_lazy("Tidak usah; cukup di portal")),
        ],
    )


@login_required
def pengaturan(request):
    form = PengaturanForm(
        request.POST if request.method == "POST" else None, initial={"pengiriman_email": request.user.pengiriman_email}
    )
    if request.method == "POST" and form.is_valid():
        request.user.pengiriman_email = form.cleaned_data["pengiriman_email"]
        request.user.save(update_fields=["pengiriman_email"])
        messages.success(request, _("Pengaturan pemberitahuan disimpan."))
        return redirect("notifikasi:daftar")
    return render(request, "notifikasi/pengaturan.html", {"form": form})
