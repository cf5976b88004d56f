"""Pages forming a Tim Penilai angka kredit and its Sekretariat (``apps.penetapan.pembentukan``):
the list of the user's teams, the form of a new team, a team's page with a new sekretariat term.
A team the user has no part in managing is a 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import Role
from apps.core import tenancy
from apps.core.audit import client_ip
from apps.core.forms import BootstrapMixin
from apps.core.pesan import penolakan
from apps.penetapan import domain, pembentukan
from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK

PERAN = [("", gettext_lazy("— bukan anggota —")), *AnggotaTimAK.Peran.choices]


class TimForm(BootstrapMixin, forms.Form):
    jf = forms.ModelChoiceField(label=gettext_lazy("Jabatan fungsional"), queryset=None)
    nama = forms.CharField(label=gettext_lazy("Nama tim"), max_length=150)
    nomor_sk = forms.CharField(
        label=gettext_lazy("Nomor keputusan pembentukan tim"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Keputusan pejabat yang berwenang tentang tim penilai (disampaikan ke instansi pembina)."
        ),
    )
    masa_mulai = forms.DateField(
        label=gettext_lazy("Masa jabatan tim mulai"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Masa jabatan tim penilai 3 tahun; tanggal selesai dihitung otomatis."),
    )
    sekretariat_mulai = forms.DateField(
        label=gettext_lazy("Masa sekretariat mulai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Masa keanggotaan sekretariat 1 tahun; kosong: sama dengan mulai masa jabatan tim."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jf"].queryset = pembentukan.jf_pilihan(user)


class UndangForm(BootstrapMixin, forms.Form):
    peran = forms.ChoiceField(
        label=gettext_lazy("Peran"),
        choices=[(r.value, r.label) for r in pembentukan.PERAN_UNDANGAN],
        widget=forms.RadioSelect,
    )
    nama_lengkap = forms.CharField(label=gettext_lazy("Nama lengkap (dengan gelar)"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Alamat e-mail dinas"),
        help_text=gettext_lazy("Tautan untuk membuat kata sandi dikirim ke alamat ini."),
    )
    nip = forms.CharField(
        label=gettext_lazy("NIP"),
        max_length=25,
        required=False,
        help_text=gettext_lazy("18 digit; bila diisi, menjadi nama pengguna (selain itu alamat e-mail)."),
    )


class SekretariatForm(BootstrapMixin, forms.Form):
    mulai = forms.DateField(
        label=gettext_lazy("Masa sekretariat mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _wajib_pembentuk(user) -> str:
    tingkat = pembentukan.tingkat_dibentuk(user)
    if tingkat is None or tenancy.current() is None:
        raise Http404
    return tingkat


@login_required
def tim_daftar(request):
    _wajib_pembentuk(request.user)
    hari = timezone.localdate()
    tim_list = list(
        pembentukan.tim_terlihat(request.user).select_related("jf", "instansi").order_by("jf__nama", "-masa_mulai")
    )
    for t in tim_list:
        t.berlaku = t.masa_mulai <= hari <= t.masa_selesai
        t.dikelola = pembentukan.boleh_kelola(request.user, t)
    return render(request, "penetapan/tim_daftar.html", {"tim_list": tim_list})


def _anggota_dari_post(post, calon_anggota):
    anggota = []
    for user in calon_anggota:
        peran = post.get(f"peran_{user.pk}", "")
        if peran in AnggotaTimAK.Peran.values:
            anggota.append((user, peran, post.get(f"sertifikat_{user.pk}") == "on"))
    return anggota


@login_required
@require_http_methods(["GET", "POST"])
def tim_baru(request):
    tingkat = _wajib_pembentuk(request.user)
    user = request.user
    calon_anggota = list(pembentukan.calon(user, Role.PENILAI_AK))
    calon_stp = list(pembentukan.calon(user, Role.SEKRETARIAT_TIM))
    posted = request.POST if request.method == "POST" else {}
    form = TimForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        anggota = _anggota_dari_post(posted, calon_anggota)
        sekretariat = [u for u in calon_stp if posted.get(f"stp_{u.pk}") == "on"]
        valid = form.is_valid()
        d = form.cleaned_data
        # Every rule at once: the team's rules are checked even while a field above is wrong.
        aturan = pembentukan.masalah(
            actor=user,
            jf=d.get("jf"),
            mulai=d.get("masa_mulai"),
            anggota=anggota,
            sekretariat=sekretariat,
            sekretariat_mulai=d.get("sekretariat_mulai"),
        )
        if valid and not aturan:
            with penolakan(request, form=form):
                tim = pembentukan.tim_bentuk(
                    actor=user,
                    jf=d["jf"],
                    nama=d["nama"],
                    nomor_sk=d["nomor_sk"],
                    mulai=d["masa_mulai"],
                    anggota=anggota,
                    sekretariat=sekretariat,
                    sekretariat_mulai=d["sekretariat_mulai"],
                    ip_address=client_ip(request),
                )
                messages.success(request, _("%(t)s dibentuk.") % {"t": tim.nama})
                return redirect("penetapan:tim_detail", pk=tim.pk)
        elif aturan:
            form.add_error(None, aturan)
    for u in calon_anggota:  # a refused form comes back as the user left it
        u.peran_dipilih = posted.get(f"peran_{u.pk}", "")
        u.bersertifikat_dipilih = posted.get(f"sertifikat_{u.pk}") == "on"
    for u in calon_stp:
        u.dipilih = posted.get(f"stp_{u.pk}") == "on"
    return render(
        request,
        "penetapan/tim_form.html",
        {
            "form": form,
            "tingkat_label": dict(domain.TINGKAT_LABEL)[tingkat],
            "minimum": domain.MIN_ANGGOTA_LAIN.get(tingkat, domain.MIN_ANGGOTA_LAIN_BAWAAN),
            "calon_anggota": calon_anggota,
            "calon_stp": calon_stp,
            "peran": PERAN,
        },
        status=400 if form.errors else 200,
    )


def _tim(request, pk):
    _wajib_pembentuk(request.user)
    return get_object_or_404(pembentukan.tim_terlihat(request.user).select_related("jf", "instansi"), pk=pk)


def _detail(request, tim, form=None, dipilih=(), status=200):
    hari = timezone.localdate()
    sekretariat = list(SekretariatTimAK.objects.filter(tim=tim).select_related("user").order_by("-masa_mulai", "id"))
    for s in sekretariat:
        s.berlaku = s.masa_mulai <= hari <= s.masa_selesai
    dikelola = pembentukan.boleh_kelola(request.user, tim)
    calon_stp = list(pembentukan.calon(request.user, Role.SEKRETARIAT_TIM)) if dikelola else []
    for u in calon_stp:
        u.dipilih = str(u.pk) in dipilih
    return render(
        request,
        "penetapan/tim_detail.html",
        {
            "tim": tim,
            "anggota": AnggotaTimAK.objects.filter(tim=tim).select_related("user").order_by("peran", "id"),
            "sekretariat": sekretariat,
            "dikelola": dikelola,
            "calon_stp": calon_stp,
            "form": form or SekretariatForm(),
            "kuorum": domain.kuorum(AnggotaTimAK.objects.filter(tim=tim).exclude(peran="pengganti").count()),
        },
        status=status,
    )


@login_required
def tim_detail(request, pk):
    return _detail(request, _tim(request, pk))


@login_required
@require_POST
def tim_sekretariat(request, pk):
    tim = _tim(request, pk)
    if not pembentukan.boleh_kelola(request.user, tim):
        raise Http404
    form = SekretariatForm(request.POST)
    dipilih = request.POST.getlist("stp")
    users = [u for u in pembentukan.calon(request.user, Role.SEKRETARIAT_TIM) if str(u.pk) in dipilih]
    form.is_valid()
    with penolakan(request, form=form):
        pembentukan.sekretariat_tetapkan(
            actor=request.user,
            tim=tim,
            users=users,
            mulai=form.cleaned_data.get("mulai"),
            ip_address=client_ip(request),
        )
        messages.success(request, _("Sekretariat tim penilai ditetapkan."))
        return redirect("penetapan:tim_detail", pk=tim.pk)
    return _detail(request, tim, form=form, dipilih=dipilih, status=400)


def _kembali(request) -> str:
    """Back to the team form or a team's page the user came from (never another site)."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    tujuan = request.POST.get("kembali") or request.GET.get("kembali") or ""
    prefix = reverse("penetapan:tim_daftar")
    if tujuan.startswith(prefix) and url_has_allowed_host_and_scheme(tujuan, allowed_hosts={request.get_host()}):
        return tujuan
    return reverse("penetapan:tim_baru")


@login_required
@require_http_methods(["GET", "POST"])
def tim_undang(request):
    """Invite a member or sekretariat account of the user's own instansi (``pembentukan.akun_undang``),
    from the team form: the invited account is then listed there."""
    _wajib_pembentuk(request.user)
    form = UndangForm(request.POST or None, initial={"peran": request.GET.get("peran", Role.PENILAI_AK)})
    kembali = _kembali(request)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with penolakan(request, form=form):
            user = pembentukan.akun_undang(
                actor=request.user,
                peran=d["peran"],
                nama_lengkap=d["nama_lengkap"],
                email=d["email"],
                nip=d["nip"],
                ip_address=client_ip(request),
            )
            messages.success(
                request,
                _("Undangan dikirim ke %(e)s. %(n)s sudah dapat dipilih dalam susunan tim.")
                % {"e": user.email, "n": user.nama_lengkap or user.username},
            )
            return redirect(kembali)
    return render(
        request,
        "penetapan/tim_undang.html",
        {"form": form, "kembali": kembali, "instansi": request.user.instansi},
        status=400 if form.errors else 200,
    )
