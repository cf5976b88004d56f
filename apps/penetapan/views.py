"""Pages of the penetapan angka kredit: HTTP only — objects through ``selectors.terlihat`` (a
row the user has no part in is a 404), writes through ``services`` inside ``penolakan``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import STAF_PEMBINA
from apps.core import audit, files, tenancy
from apps.core.audit import client_ip
from apps.core.forms import BootstrapMixin
from apps.core.pesan import penolakan
from apps.penetapan import domain, selectors, services
from apps.penetapan.models import AnggotaTimAK, DokumenPenetapan, PenilaianAK, SidangAK, UsulanPenetapanAK


def _usulan(request, pk) -> UsulanPenetapanAK:
    return get_object_or_404(
        selectors.terlihat(request.user).select_related("jf", "jenjang", "periode", "instansi"), pk=pk
    )


class DokumenForm(BootstrapMixin, forms.Form):
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis dokumen"), choices=DokumenPenetapan.Jenis.choices)
    berkas = forms.FileField(label=gettext_lazy("Berkas"))


class PeriksaForm(BootstrapMixin, forms.Form):
    keputusan = forms.ChoiceField(
        label=gettext_lazy("Hasil pemeriksaan"),
        choices=[("lengkap", gettext_lazy("Lengkap")), ("kembalikan", gettext_lazy("Kembalikan untuk dilengkapi"))],
    )
    catatan = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class NilaiForm(BootstrapMixin, forms.Form):
    rekomendasi = forms.ChoiceField(
        label=gettext_lazy("Penilaian Anda atas angka kredit di atas"),
        choices=PenilaianAK.Rekomendasi.choices,
        widget=forms.RadioSelect,
    )
    catatan = forms.CharField(
        label=gettext_lazy("Catatan penilai"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Wajib bila tidak setuju: bagian angka kredit mana yang tidak sesuai dan alasannya."),
    )


class PenggantiForm(BootstrapMixin, forms.Form):
    diganti = forms.ModelChoiceField(label=gettext_lazy("Anggota yang diganti"), queryset=None)
    pengganti = forms.ModelChoiceField(label=gettext_lazy("Anggota pengganti"), queryset=None)

    def __init__(self, *args, tim_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = AnggotaTimAK.objects.filter(tim_id=tim_id).select_related("user")
        self.fields["diganti"].queryset = qs.exclude(peran=AnggotaTimAK.Peran.PENGGANTI)
        self.fields["pengganti"].queryset = qs.filter(peran=AnggotaTimAK.Peran.PENGGANTI)


@login_required
def daftar(request):
    if tenancy.current() is None:
        raise Http404
    user = request.user
    qs = selectors.terlihat(user).select_related("jf", "jenjang", "periode", "instansi").order_by("-created_at", "-id")
    # ?status=diajukan: the sekretariat's queue from their home page (issue 19 F5).
    status = request.GET.get("status", "")
    status = status if status in domain.STATUS_LABELS else ""
    if status:
        qs = qs.filter(status=status)
    pejabat = []
    if "pic_instansi" in user.roles:
        from apps.jabatan.models import PejabatFungsional

        pejabat = list(
            PejabatFungsional.objects.filter(instansi_id=user.instansi.pk, aktif=True).order_by("nama")[:500]
        )
    return render(
        request,
        "penetapan/daftar.html",
        {
            "usulan_list": qs[:200],
            "pejabat_list": pejabat,
            "labels": domain.STATUS_LABELS,
            "status": status,
            "status_label": domain.STATUS_LABELS.get(status, ""),
            "tim_sekretariat": selectors.tim_sekretariat(user) if "sekretariat_tim" in user.roles else [],
            # The instansi's PIC forms its own Tim Penilai AK (apps.penetapan.pembentukan).
            "boleh_bentuk_tim": "pic_instansi" in user.roles,
        },
    )


@login_required
@require_POST
def buat(request):
    from apps.jabatan.models import PejabatFungsional

    if "pic_instansi" not in request.user.roles or request.user.instansi is None:
        raise PermissionDenied
    pid = request.POST.get("pejabat", "")
    pejabat = PejabatFungsional.objects.filter(
        pk=int(pid) if pid.isdigit() else 0, instansi_id=request.user.instansi.pk
    ).first()
    with penolakan(request):
        if pejabat is None:
            raise ValidationError(_("Pilih pejabat fungsional yang diusulkan."))
        usulan = services.usulan_buat(actor=request.user, pejabat=pejabat, ip_address=client_ip(request))
        messages.success(request, _("Usulan penetapan angka kredit dibuat. Unggah dokumen, lalu ajukan."))
        return redirect("penetapan:detail", pk=usulan.pk)
    return redirect("penetapan:daftar")


def _konteks(request, usulan, **extra):
    user = request.user
    roles = selectors.peran_pada(user, usulan)
    anggota = selectors.anggota_dari(user, usulan.tim_id)
    menilai = anggota is not None and usulan.status == domain.Status.PENILAIAN
    with tenancy.all_tenants(reason="the assessing team's name and members on the usulan page (another instansi's)"):
        diri_sendiri = menilai and services.menilai_diri_sendiri(anggota, usulan)
        tim = usulan.tim if usulan.tim_id else None
        penilaian = list(
            PenilaianAK.objects.filter(usulan=usulan).select_related("anggota__user", "menggantikan__user")
        )
    # The holder and the instansi's PIC see the team's outcome, not who voted what (issue 19,
    # fresh-eye walks): no names, no votes per member, no notes — only how many agreed and
    # disagreed. The team, its sekretariat and the JF's pembina staff keep the full list.
    ringkas = not selectors.penilaian_rinci_boleh(user, usulan, roles)
    selesai = [p for p in penilaian if p.selesai_at]
    return {
        "usulan": usulan,
        "status_label": domain.STATUS_LABELS[domain.Status(usulan.status)],
        "roles": roles,
        "tim": tim,
        "penilaian": [] if ringkas else penilaian,
        "penilaian_ringkas": (
            {
                "dinilai": len(selesai),
                "setuju": sum(1 for p in selesai if p.rekomendasi == PenilaianAK.Rekomendasi.SETUJU),
                "tidak_setuju": sum(1 for p in selesai if p.rekomendasi != PenilaianAK.Rekomendasi.SETUJU),
            }
            if ringkas and selesai
            else None
        ),
        "dokumen": usulan.dokumen.filter(diganti_at__isnull=True).order_by("jenis"),
        "dokumen_diganti": _dokumen_diganti(usulan),
        "catatan_sekretariat": _catatan_sekretariat(usulan),
        "bisa_ubah": bool(roles & domain.PENGAJU) and usulan.status in domain.DAPAT_DIUBAH,
        "bisa_periksa": "sekretariat_tim" in roles and usulan.status == domain.Status.DIAJUKAN,
        # A member never assesses their own usulan (a substitute does): no form, the reason instead.
        "bisa_nilai": bool(menilai and not diri_sendiri),
        "nilai_diri_sendiri": domain.PESAN_DIRI_SENDIRI if menilai and diri_sendiri else "",
        "bisa_pengganti": domain.KETUA_TIM_AK in roles and usulan.status == domain.Status.PENILAIAN,
        "dokumen_form": DokumenForm(),
        "periksa_form": PeriksaForm(),
        "nilai_form": NilaiForm(),
        "pengganti_form": PenggantiForm(tim_id=usulan.tim_id),
        "surat": _surat(user, usulan),
        # What the team assesses: the holder's ledger and the computed result.
        "ak": selectors.angka_kredit(usulan),
        **extra,
    }


def _catatan_sekretariat(usulan) -> dict | None:
    """The sekretariat's note with the day it was written, and whether the usulan was submitted
    again after it (then it is the earlier round's note: issue 19 fresh-eye walk, a returned usulan
    resubmitted kept showing the old note as if current)."""
    if not usulan.catatan_sekretariat:
        return None
    from apps.core.models import AuditLog

    with tenancy.all_tenants(reason="when this usulan's sekretariat note was written (its own audit entry)"):
        pada = (
            AuditLog.objects.filter(
                object_type=usulan._meta.label_lower,
                object_id=str(usulan.pk),
                action__in=("penetapan.dikembalikan", "penetapan.lengkap"),
            )
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
    sebelumnya = pada is not None and usulan.diajukan_at is not None and usulan.diajukan_at > pada
    return {"teks": usulan.catatan_sekretariat, "pada": pada, "sebelumnya": sebelumnya}


def _dokumen_diganti(usulan) -> list[dict]:
    """The usulan's replaced documents (an SKP uploaded again, …), each with the file that replaced
    it, who uploaded that and when: a replacement leaves its trace on the page (issue 19, fresh-eye
    walk 2); the old file stays downloadable."""
    semua = list(usulan.dokumen.select_related("diunggah_oleh").order_by("jenis", "diunggah_at", "id"))
    out = []
    for i, lama in enumerate(semua):
        if lama.diganti_at is None:
            continue
        baru = next((d for d in semua[i + 1 :] if d.jenis == lama.jenis), None)
        out.append({"lama": lama, "baru": baru, "oleh": baru.diunggah_oleh if baru else None, "pada": lama.diganti_at})
    return out


def _surat(user, usulan):
    """The usulan's PAK/HAPAK, linked only for those who may read it (apps.surat.selectors): the
    pembina's staff see the result and its number on the usulan, not the letter."""
    if not usulan.surat_id:
        return None
    from apps.surat.selectors import surat_untuk

    return surat_untuk(user).filter(pk=usulan.surat_id).first()


@login_required
def detail(request, pk):
    usulan = _usulan(request, pk)
    return render(request, "penetapan/detail.html", _konteks(request, usulan))


@login_required
@require_POST
def dokumen_unggah(request, pk):
    usulan = _usulan(request, pk)
    form = DokumenForm(request.POST, request.FILES)
    if form.is_valid():
        with penolakan(request, form=form):
            services.dokumen_unggah(
                actor=request.user,
                usulan=usulan,
                jenis=form.cleaned_data["jenis"],
                upload=form.cleaned_data["berkas"],
                ip_address=client_ip(request),
            )
            messages.success(request, _("Dokumen diunggah."))
            return redirect("penetapan:detail", pk=usulan.pk)
    return render(request, "penetapan/detail.html", _konteks(request, usulan, dokumen_form=form), status=400)


@login_required
@require_POST
def aksi(request, pk):
    """One endpoint for the moves of the usulan page (``aksi``: ajukan, batalkan, periksa,
    nilai, pengganti); each goes to its service, which checks the actor's part."""
    usulan = _usulan(request, pk)
    nama = request.POST.get("aksi", "")
    ip = client_ip(request)
    form = None
    if nama == "periksa":
        form = PeriksaForm(request.POST)
    elif nama == "nilai":
        form = NilaiForm(request.POST)
    elif nama == "pengganti":
        form = PenggantiForm(request.POST, tim_id=usulan.tim_id)
    elif nama not in ("ajukan", "batalkan"):
        messages.error(request, _("Aksi tidak dikenal."))
        return redirect("penetapan:detail", pk=usulan.pk)
    roles = selectors.peran_pada(request.user, usulan)
    perlu = {"periksa": "sekretariat_tim", "nilai": domain.ANGGOTA_TIM_AK, "pengganti": domain.KETUA_TIM_AK}
    if nama in perlu and perlu[nama] not in roles:
        raise PermissionDenied
    if form is not None and not form.is_valid():
        konteks = {f"{nama}_form": form}
        return render(request, "penetapan/detail.html", _konteks(request, usulan, **konteks), status=400)
    with penolakan(request, form=form):
        if nama == "ajukan":
            services.usulan_ajukan(actor=request.user, usulan=usulan, ip_address=ip)
            messages.success(request, _("Usulan diajukan ke sekretariat tim penilai."))
        elif nama == "batalkan":
            services.usulan_batalkan(actor=request.user, usulan=usulan, ip_address=ip)
            messages.success(request, _("Usulan dibatalkan."))
        elif nama == "periksa":
            d = form.cleaned_data
            services.sekretariat_periksa(
                actor=request.user,
                usulan=usulan,
                lengkap=d["keputusan"] == "lengkap",
                catatan=d["catatan"],
                ip_address=ip,
            )
            messages.success(request, _("Hasil pemeriksaan disimpan."))
        elif nama == "nilai":
            d = form.cleaned_data
            services.penilaian_simpan(
                actor=request.user, usulan=usulan, rekomendasi=d["rekomendasi"], catatan=d["catatan"], ip_address=ip
            )
            messages.success(request, _("Penilaian disimpan."))
        else:
            d = form.cleaned_data
            services.pengganti_tunjuk(
                actor=request.user, usulan=usulan, diganti=d["diganti"], pengganti=d["pengganti"], ip_address=ip
            )
            messages.success(request, _("Anggota pengganti ditunjuk."))
        return redirect("penetapan:detail", pk=usulan.pk)
    if form is not None and form.errors:
        return render(request, "penetapan/detail.html", _konteks(request, usulan, **{f"{nama}_form": form}), status=400)
    return redirect("penetapan:detail", pk=usulan.pk)


@login_required
def dokumen_unduh(request, pk):
    dok = get_object_or_404(DokumenPenetapan.objects.filter(usulan__in=selectors.terlihat(request.user)), pk=pk)
    audit.record_objek("penetapan.dokumen_diunduh", dok, actor=request.user, ip_address=client_ip(request))
    return files.serve(
        dok.berkas,
        filename=dok.nama_asli,
        content_type="application/pdf" if dok.nama_asli.lower().endswith(".pdf") else "application/octet-stream",
    )


class SidangForm(BootstrapMixin, forms.Form):
    tim = forms.ModelChoiceField(label=gettext_lazy("Tim penilai"), queryset=None)
    tanggal = forms.DateField(label=gettext_lazy("Tanggal sidang"), widget=forms.DateInput(attrs={"type": "date"}))
    tempat = forms.CharField(label=gettext_lazy("Tempat"), required=False, max_length=150)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.penetapan.models import TimPenilaiAK

        ids = [t.pk for t in selectors.tim_sekretariat(user)] if user else []
        self.fields["tim"].queryset = TimPenilaiAK.objects.filter(pk__in=ids)


@login_required
@require_http_methods(["GET", "POST"])
def sidang_daftar(request):
    from apps.accounts import permissions

    # The sidang are the teams' (sekretariat and members): any other role finds no page here.
    if tenancy.current() is None or not permissions.has_role(request.user, "sekretariat_tim", "penilai_ak"):
        raise Http404
    user = request.user
    form = SidangForm(request.POST or None, user=user)
    if request.method == "POST":
        if "sekretariat_tim" not in user.roles:
            raise PermissionDenied
        if form.is_valid():
            with penolakan(request, form=form):
                sidang = services.sidang_buka(
                    actor=user,
                    tim=form.cleaned_data["tim"],
                    tanggal=form.cleaned_data["tanggal"],
                    tempat=form.cleaned_data["tempat"],
                    usulan_ids=[i for i in request.POST.getlist("usulan") if i.isdigit()],
                    ip_address=client_ip(request),
                )
                messages.success(request, _("Sidang dibuka."))
                return redirect("penetapan:sidang", pk=sidang.pk)
    siap = list(
        selectors.terlihat(user).filter(
            status=domain.Status.PENILAIAN, tim__in=[t.pk for t in selectors.tim_sekretariat(user)]
        )
    )
    dinilai = selectors.jumlah_dinilai([u.pk for u in siap])
    for u in siap:
        u.jumlah_dinilai = dinilai.get(u.pk, 0)  # 0 when no member has assessed it yet
    return render(
        request,
        "penetapan/sidang_daftar.html",
        {
            "form": form,
            "sidang_list": selectors.sidang_terlihat(user)[:100],
            "siap": siap,
        },
        status=400 if form.errors else 200,
    )


class PutuskanForm(BootstrapMixin, forms.Form):
    hadir = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Anggota yang hadir"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    pyb_nama = forms.CharField(label=gettext_lazy("Nama PYB (pejabat yang berwenang menetapkan AK)"), max_length=150)
    pyb_jabatan = forms.CharField(label=gettext_lazy("Jabatan PYB"), max_length=200)
    pyb_nip = forms.CharField(label=gettext_lazy("NIP PYB"), max_length=18, required=False)

    def __init__(self, *args, tim_id=None, penerbit_id=None, **kwargs):
        from apps.ttd import pilihan

        super().__init__(*args, **kwargs)
        # Substitutes may attend (their assessment counts); only the regular members make the quorum.
        self.fields["hadir"].queryset = AnggotaTimAK.objects.filter(tim_id=tim_id).select_related("user")
        # The PYB among the team's instansi's registered signing officials (apps.ttd.pilihan),
        # the signer its alur paraf page sets for the PAK first.
        if penerbit_id is not None and not self.is_bound:
            from apps.core import tenancy
            from apps.ttd.alur import penanda_bawaan

            with tenancy.all_tenants(reason="the PAK signer the team's instansi configured"):
                bawaan = penanda_bawaan(penerbit_id, ["pak_ak"])
            if bawaan is not None:
                self.initial.update(pejabat=str(bawaan.pk), pyb_nama=bawaan.nama, pyb_jabatan=bawaan.jabatan,
                                    pyb_nip=bawaan.nip)  # fmt: skip
        pilihan.pasang(self, instansi_id=penerbit_id, bidang=("pyb_nama", "pyb_jabatan", "pyb_nip"))
        if self.tanpa_pejabat:
            # No registered signing official at the team's instansi: the PAK cannot be signed in the
            # portal. The ketua says so knowingly (seed 001: manual work while the system cannot do
            # it), and the PYB's NIP, printed under the signature, is required.
            self.fields["pyb_nip"].required = True
            self.fields["ttd_manual"] = forms.BooleanField(
                label=gettext_lazy(
                    "PAK ditandatangani basah oleh PYB, lalu pindaiannya diunggah sekretariat tim beserta alasannya "
                    "(PYB belum terdaftar sebagai pejabat penanda tangan elektronik)"
                ),
                required=True,
                error_messages={
                    "required": gettext_lazy(
                        "Instansi tim penilai belum mendaftarkan pejabat penanda tangan elektronik. Daftarkan PYB "
                        "lebih dahulu, atau nyatakan bahwa PAK ditandatangani basah."
                    )
                },
            )

    def clean(self):
        from apps.referensi.domain import NipError, parse_nip
        from apps.ttd import pilihan

        data = pilihan.terapkan(self, super().clean())
        wajib = (("pyb_nama", gettext_lazy("Isi nama PYB.")), ("pyb_jabatan", gettext_lazy("Isi jabatan PYB.")))
        for name, pesan in wajib:
            if not (data.get(name) or "").strip() and name not in self.errors and not self.errors.get("pejabat"):
                self.add_error(name, pesan)
        nip = (data.get("pyb_nip") or "").strip()
        if nip and "pyb_nip" not in self.errors:
            try:
                parse_nip(nip)
            except NipError as exc:
                self.add_error("pyb_nip", str(exc))
        return data


@login_required
@require_http_methods(["GET", "POST"])
def sidang(request, pk):
    s = get_object_or_404(selectors.sidang_terlihat(request.user), pk=pk)
    form = PutuskanForm(request.POST or None, tim_id=s.tim_id, penerbit_id=s.tim.instansi_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with penolakan(request, form=form):
            services.sidang_putuskan(
                actor=request.user,
                sidang=s,
                hadir_ids=[a.pk for a in d["hadir"]],
                pyb=(d["pyb_nama"], d["pyb_jabatan"], d["pyb_nip"]),
                ttd_manual=bool(d.get("ttd_manual")),
                ip_address=client_ip(request),
            )
            messages.success(request, _("Sidang diputuskan; PAK dan HAPAK sedang dibuat."))
            return redirect("penetapan:sidang", pk=s.pk)
    with tenancy.all_tenants(reason="the usulan of the team's own sidang, listed on its page"):
        usulan_list = list(UsulanPenetapanAK.objects.filter(sidang=s).order_by("pejabat_nama"))
    # Each usulan with the figures assessed and the members' assessments (the result derives
    # from those of the members attending).
    penilaian = {}
    for p in (
        PenilaianAK.objects.filter(usulan__in=[u.pk for u in usulan_list], selesai_at__isnull=False)
        .select_related("anggota__user")
        .order_by("id")
    ):
        penilaian.setdefault(p.usulan_id, []).append(p)
    # Once decided, the result rests on the members who attended: count theirs, and say how many
    # assessments of absent members were left out (services.suara_sidang).
    dibuka = s.status == SidangAK.Status.DIBUKA
    hadir = [] if dibuka else list(s.hadir.select_related("user").order_by("user__nama_lengkap", "id"))
    hadir_ids = {a.pk for a in hadir}
    for u in usulan_list:
        u.penilaian_list = penilaian.get(u.pk, [])
        dihitung = u.penilaian_list if dibuka else [p for p in u.penilaian_list if p.anggota_id in hadir_ids]
        u.setuju = sum(1 for p in dihitung if p.rekomendasi == PenilaianAK.Rekomendasi.SETUJU)
        u.tidak_setuju = len(dihitung) - u.setuju
        u.tidak_dihitung = len(u.penilaian_list) - len(dihitung)
        u.ak_dinilai = selectors.angka_kredit(u) if dibuka else None
    anggota = selectors.anggota_dari(request.user, s.tim_id)
    return render(
        request,
        "penetapan/sidang.html",
        {
            "sidang": s,
            "form": form,
            "usulan_list": usulan_list,
            "labels": domain.STATUS_LABELS,
            "bisa_putuskan": anggota is not None and anggota.peran == "ketua" and s.status == SidangAK.Status.DIBUKA,
            "kuorum": domain.kuorum(len(selectors.anggota_reguler(s.tim_id))),
            "hadir": hadir,
            "pendaftaran_url": _pendaftaran_pejabat_url(),
        },
        status=400 if form.errors else 200,
    )


@login_required
def surat_tim(request):
    """The PAK and HAPAK of the user's Tim Penilai AK (members, ketua, sekretariat): what each
    waits for — the sekretariat's paraf, the ketua's signature on the HAPAK, the PYB's on the
    PAK — and a way to each letter's page (paraf and signing: apps.ttd)."""
    if tenancy.current() is None or not selectors.tim_ids_untuk(request.user):
        raise Http404
    from django.core.paginator import Paginator

    page = Paginator(selectors.surat_tim_qs(request.user), 50).get_page(request.GET.get("page"))
    baris = selectors.surat_tim_daftar(request.user, list(page))
    return render(
        request,
        "penetapan/surat_tim.html",
        {
            "page": page,
            "baris": baris,
            # Named to sign (the HAPAK's ketua) but no registered signing official: nobody's queue.
            "perlu_daftar": any(b["belum_terdaftar"] for b in baris),
            "pendaftaran_url": _pendaftaran_pejabat_url(),
        },
    )


def _pendaftaran_pejabat_url() -> str:
    """The page registering signing officials (apps.ttd), when the portal has one; else ''."""
    from django.urls import NoReverseMatch, reverse

    for name in ("ttd:pejabat", "ttd:pejabat_daftar"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@login_required
def rekap(request):
    """The pembina's recap of PAK/HAPAK per period (national, the JFs it administers)."""
    if not set(request.user.roles) & set(STAF_PEMBINA) or tenancy.current() is None:
        raise PermissionDenied
    baris = selectors.rekap_periode(tenancy.require().jf_ids)
    return render(request, "penetapan/rekap.html", {"baris": baris, "hari_ini": timezone.localdate()})


class PeriodeForm(BootstrapMixin, forms.Form):
    jf = forms.ModelChoiceField(label=gettext_lazy("Jabatan fungsional"), queryset=None)
    kode = forms.CharField(label=gettext_lazy("Kode"), max_length=10)
    nama = forms.CharField(label=gettext_lazy("Nama periode"), max_length=60)
    bulan_pengajuan = forms.IntegerField(label=gettext_lazy("Bulan pengajuan (1–12)"), min_value=1, max_value=12)
    # 1–31, within the days the month ever has (services.periode_simpan refuses 31 April or
    # 30 February); 29 February is 28 February in a common year (apps.penetapan.domain clamps it).
    hari_mulai = forms.IntegerField(
        label=gettext_lazy("Pengajuan dibuka tanggal"), min_value=1, max_value=31,
        help_text=gettext_lazy(
            "1–31 sesuai bulan pengajuan; 29 Februari: tanggal terakhir bulan itu pada tahun bukan kabisat."
        ),
    )  # fmt: skip
    hari_selesai = forms.IntegerField(
        label=gettext_lazy("Pengajuan ditutup tanggal"), min_value=1, max_value=31,
        help_text=gettext_lazy(
            "1–31 sesuai bulan pengajuan; 29 Februari: tanggal terakhir bulan itu pada tahun bukan kabisat."
        ),
    )  # fmt: skip
    bulan_pak = forms.IntegerField(label=gettext_lazy("Bulan penetapan PAK (1–12)"), min_value=1, max_value=12)
    bulan_kenaikan_pangkat = forms.IntegerField(
        label=gettext_lazy("Bulan kenaikan pangkat (1–12)"), min_value=1, max_value=12
    )
    aktif = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)
    sumber = forms.CharField(label=gettext_lazy("Sumber"), max_length=200, required=False)

    def __init__(self, *args, jf_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        from apps.referensi.models import JabatanFungsional

        self.fields["jf"].queryset = JabatanFungsional.objects.filter(pk__in=sorted(jf_ids)).order_by("nama")

    def clean(self):
        d = super().clean()
        a, b = d.get("hari_mulai"), d.get("hari_selesai")
        if a is not None and b is not None and b < a:
            self.add_error("hari_selesai", _("Tanggal tutup tidak boleh sebelum tanggal buka."))
        return d


@login_required
@require_http_methods(["GET", "POST"])
def periode(request):
    """The JF's periods of penetapan AK, configured by its admin pembina (seed 001 BAB IV C)."""
    from apps.penetapan.models import PeriodePenetapan

    if "admin_pembina" not in request.user.roles or tenancy.current() is None:
        raise PermissionDenied
    jf_ids = tenancy.require().jf_ids
    form = PeriodeForm(request.POST or None, jf_ids=jf_ids)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # The same code edits the JF's existing period.
        obj = PeriodePenetapan.objects.filter(jf=d["jf"], kode=d["kode"].strip()).first()
        with penolakan(request, form=form):
            services.periode_simpan(actor=request.user, jf=d["jf"], data=d, periode=obj, ip_address=client_ip(request))
            messages.success(request, _("Periode disimpan."))
            return redirect("penetapan:periode")
    daftar = (
        PeriodePenetapan.objects.filter(jf_id__in=sorted(jf_ids))
        .select_related("jf")
        .order_by("jf__nama", "bulan_pengajuan")
    )
    from apps.referensi.models import JabatanFungsional

    # The source of the periods quoted is the JF's own: seed 001 (LAN) speaks of JF Analis
    # Kebijakan only; another JF's admin is not shown LAN's rule as if it were theirs.
    jf_list = list(JabatanFungsional.objects.filter(pk__in=sorted(jf_ids)).order_by("nama"))
    return render(
        request, "penetapan/periode.html",
        {"form": form, "periode_list": daftar, "jf_list": jf_list, "kode_jfak": KODE_JF_SEED_001},
        status=400 if form.errors else 200,
    )  # fmt: skip


KODE_JF_SEED_001 = "analis-kebijakan"  # the JF seed 001's periods are written for
