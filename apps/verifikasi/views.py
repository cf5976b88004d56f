"""Pembina pages. Dossiers come from ``selectors.usulan_pembina()`` (the JFs the user's pembina
administers) or, for a penilai, from his or her own assignments: anything else is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import STAF_PEMBINA, Role, User
from apps.accounts.permissions import has_role
from apps.core.audit import client_ip
from apps.core.pesan import tolak
from apps.pengusulan import selectors as pengusulan_selectors
from apps.pengusulan.domain import STATUS_LABELS, Status
from apps.referensi.models import JabatanFungsional, Kompetensi, PersyaratanDokumen
from apps.verifikasi import selectors, services
from apps.verifikasi.models import AnggotaTim, Pemeriksaan, Sidang, TimPenilai


def _require(user, *roles) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- inbox


@login_required
def inbox(request):
    _require(request.user, *STAF_PEMBINA)
    g = request.GET
    filters = {
        "jf": g.get("jf", ""),
        "instansi": g.get("instansi", ""),
        "jenjang": g.get("jenjang", ""),
        "status": g.get("status", ""),
        "q": g.get("q", ""),
        "urut": g.get("urut", "lama"),
    }
    page = selectors.inbox(
        **filters,
        dari=_parse_date(g.get("dari", "")),
        sampai=_parse_date(g.get("sampai", "")),
        terlambat=g.get("terlambat") == "1",
        verifikator_id=request.user.pk if g.get("saya") == "1" else None,
        cursor=g.get("cursor", ""),
    )
    keep = "&".join(
        f"{k}={v}"
        for k, v in {
            **filters,
            "dari": g.get("dari", ""),
            "sampai": g.get("sampai", ""),
            "terlambat": g.get("terlambat", ""),
            "saya": g.get("saya", ""),
        }.items()
        if v
    )
    context = {
        "page": page,
        "filters": filters,
        "dari": g.get("dari", ""),
        "sampai": g.get("sampai", ""),
        "terlambat": g.get("terlambat") == "1",
        "saya": g.get("saya") == "1",
        "keep": keep,
        "statuses": [(s.value, STATUS_LABELS[s]) for s in selectors.INBOX_STATUSES],
        "jf_list": JabatanFungsional.objects.filter(pk__in=_jf_ids(request.user)).order_by("nama"),
        "jenjang_pilihan": pengusulan_selectors.jenjang_pilihan(),
        "verifikator_list": _verifikator_list(request.user) if Role.ADMIN_PEMBINA in request.user.roles else [],
    }
    return render(request, "verifikasi/inbox.html", context)


def _jf_ids(user) -> list[int]:
    """The JFs of the request's pembina scope (computed once per request by the middleware)."""
    from apps.core import tenancy

    return sorted(tenancy.require().jf_ids)


def _verifikator_list(user):
    return selectors.verifikator_list(user.instansi)


@login_required
@require_POST
def tugaskan(request):
    _require(request.user, Role.ADMIN_PEMBINA)
    verifikator = get_object_or_404(_verifikator_list(request.user), pk=request.POST.get("verifikator") or 0)
    ids = [int(i) for i in request.POST.getlist("usulan") if i.isdigit()]
    owned = list(selectors.usulan_pembina().filter(pk__in=ids).values_list("pk", flat=True))
    try:
        n = services.usulan_tugaskan_verifikator(
            actor=request.user, usulan_ids=owned, verifikator=verifikator, ip_address=client_ip(request)
        )
    except ValidationError as exc:
        tolak(request, exc)
    else:
        messages.success(request, _("%(n)d usulan ditugaskan ke %(v)s.") % {"n": n, "v": verifikator})
    return redirect(request.POST.get("kembali") or reverse("verifikasi:inbox"))


# --------------------------------------------------------------------------- seleksi administrasi


def _usulan(request, pk: int):
    return get_object_or_404(
        selectors.usulan_pembina().select_related("jf", "jenjang", "instansi", "verifikator"), pk=pk
    )


@login_required
def periksa(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    aktif = selectors.pemeriksaan_aktif(usulan)
    rows = selectors.periksa_baris(usulan, aktif)
    context = {
        "usulan": usulan,
        "rows": rows,
        "aktif": aktif,
        "riwayat": usulan.pemeriksaan.exclude(keputusan="").select_related("verifikator").order_by("-putaran"),
        "perubahan": selectors.perubahan_sejak_pemeriksaan(usulan),
        "peringatan": [o for o in usulan.eligibilitas if o["status"] == "review"],
        "timeline": pengusulan_selectors.timeline(usulan),
        "bisa_putuskan": aktif is not None
        and (usulan.verifikator_id == request.user.pk or Role.ADMIN_PEMBINA in request.user.roles),
        "tenggat_bawaan": timezone.localdate() + timezone.timedelta(days=usulan.jf.perbaikan_hari),
        "keputusan": Pemeriksaan.Keputusan.choices,
    }
    return render(request, "verifikasi/periksa.html", context)


@login_required
@require_POST
def klaim(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    try:
        if usulan.status == Status.DIAJUKAN:
            services.pemeriksaan_mulai(actor=request.user, usulan=usulan, ip_address=client_ip(request))
            messages.success(request, _("Seleksi administrasi dimulai."))
        else:
            services.usulan_klaim(actor=request.user, usulan=usulan, ip_address=client_ip(request))
    except ValidationError as exc:
        tolak(request, exc)
    return redirect("verifikasi:periksa", pk=usulan.pk)


@login_required
@require_POST
def simpan_pemeriksaan(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    hasil = {}
    for p in PersyaratanDokumen.objects.filter(jf=usulan.jf):
        value = request.POST.get(f"hasil_{p.pk}")
        if value in ("sesuai", "tidak"):
            hasil[p.pk] = (value == "sesuai", request.POST.get(f"catatan_{p.pk}", ""))
    try:
        services.pemeriksaan_catat_dokumen(actor=request.user, usulan=usulan, hasil=hasil)
        if request.POST.get("keputusan"):
            peringatan = {
                o["rule"]: {
                    "diterima": request.POST.get(f"peringatan_{o['rule']}") == "terima",
                    "catatan": request.POST.get(f"peringatan_catatan_{o['rule']}", ""),
                }
                for o in usulan.eligibilitas
                if o["status"] == "review"
            }
            done = services.pemeriksaan_putuskan(
                actor=request.user,
                usulan=usulan,
                keputusan=request.POST["keputusan"],
                catatan=request.POST.get("catatan", ""),
                tenggat=_parse_date(request.POST.get("tenggat", "")),
                peringatan=peringatan,
                ip_address=client_ip(request),
            )
            messages.success(request, _("Keputusan disimpan: %(s)s.") % {"s": done.status_label})
        else:
            messages.success(request, _("Hasil pemeriksaan dokumen disimpan."))
    except ValidationError as exc:
        tolak(request, exc)
    return redirect("verifikasi:periksa", pk=usulan.pk)


# --------------------------------------------------------------------------- Tim Penilai


@login_required
def tim_list(request):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    jf_ids = _jf_ids(request.user)
    teams = TimPenilai.objects.filter(jf_id__in=jf_ids).select_related("jf").prefetch_related("anggota__user")
    calon = selectors.calon_penilai(request.user.instansi)
    if request.method == "POST":
        _require(request.user, Role.ADMIN_PEMBINA)
        jf = get_object_or_404(JabatanFungsional.objects.filter(pk__in=jf_ids), kode=request.POST.get("jf", ""))
        anggota = []
        for user in calon:
            peran = request.POST.get(f"peran_{user.pk}", "")
            if peran in AnggotaTim.Peran.values:
                anggota.append((user, peran, request.POST.get(f"sertifikat_{user.pk}") == "on"))
        mulai, selesai = _parse_date(request.POST.get("mulai", "")), _parse_date(request.POST.get("selesai", ""))
        try:
            if not (mulai and selesai):
                raise ValidationError(_("Isi masa jabatan tim."))
            tim = services.tim_bentuk(
                actor=request.user,
                jf=jf,
                nama=request.POST.get("nama", "").strip() or _("Tim Penilai"),
                mulai=mulai,
                selesai=selesai,
                anggota=anggota,
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            tolak(request, exc)
        else:
            messages.success(request, _("Tim %(t)s dibentuk.") % {"t": tim.nama})
            return redirect("verifikasi:tim_detail", pk=tim.pk)
    context = {
        "teams": teams,
        "calon": calon,
        "jf_list": JabatanFungsional.objects.filter(pk__in=jf_ids).order_by("nama"),
        "peran": AnggotaTim.Peran.choices,
        "bisa_bentuk": Role.ADMIN_PEMBINA in request.user.roles,
    }
    return render(request, "verifikasi/tim_list.html", context)


@login_required
def tim_detail(request, pk: int):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    tim = get_object_or_404(TimPenilai.objects.filter(jf_id__in=_jf_ids(request.user)).select_related("jf"), pk=pk)
    anggota = list(tim.anggota.select_related("user"))
    dinilai = selectors.tim_progres(tim)
    is_ketua = any(a.user_id == request.user.pk and a.peran == AnggotaTim.Peran.KETUA for a in anggota)
    context = {
        "tim": tim,
        "anggota": anggota,
        "dinilai": dinilai,
        "siap_dinilai": selectors.usulan_pembina()
        .filter(jf=tim.jf, status=Status.LULUS_ADMINISTRASI)
        .select_related("instansi", "jenjang"),
        "bisa_tugaskan": Role.ADMIN_PEMBINA in request.user.roles or is_ketua,
        "is_ketua": is_ketua,
        "sidang_list": tim.sidang.order_by("-tanggal"),
        "hari_ini": timezone.localdate(),
    }
    return render(request, "verifikasi/tim_detail.html", context)


@login_required
@require_POST
def tim_tugaskan(request, pk: int):
    _require(request.user, Role.ADMIN_PEMBINA, Role.KETUA_TIM)
    tim = get_object_or_404(TimPenilai.objects.filter(jf_id__in=_jf_ids(request.user)), pk=pk)
    usulan = list(
        selectors.usulan_pembina().filter(pk__in=[int(i) for i in request.POST.getlist("usulan") if i.isdigit()])
    )
    penilai = list(
        User.objects.filter(
            pk__in=tim.anggota.filter(
                user_id__in=[int(i) for i in request.POST.getlist("penilai") if i.isdigit()]
            ).values("user_id")
        )
    )
    try:
        if not usulan or not penilai:
            raise ValidationError(_("Pilih usulan dan penilai."))
        n = services.penilai_tugaskan(
            actor=request.user, usulan_list=usulan, tim=tim, penilai=penilai, ip_address=client_ip(request)
        )
    except ValidationError as exc:
        tolak(request, exc)
    else:
        messages.success(request, _("%(n)d penugasan penilai dibuat.") % {"n": n})
    return redirect("verifikasi:tim_detail", pk=tim.pk)


# --------------------------------------------------------------------------- penilai


@login_required
def penilaian_saya(request):
    _require(request.user, Role.PENILAI, Role.KETUA_TIM)
    return render(request, "verifikasi/penilaian_saya.html", {"penugasan": selectors.penugasan_saya(request.user)})


@login_required
def nilai(request, pk: int):
    _require(request.user, Role.PENILAI, Role.KETUA_TIM)
    penugasan = get_object_or_404(selectors.penugasan_saya(request.user), pk=pk)
    usulan = penugasan.usulan
    if request.method == "POST":
        try:
            if "bebas_konflik" in request.POST:
                services.penugasan_bebas_konflik(actor=request.user, penugasan=penugasan, ip_address=client_ip(request))
                messages.success(request, _("Pernyataan bebas konflik kepentingan dicatat."))
            else:
                values = {}
                for k in Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id):
                    level = request.POST.get(f"level_{k.pk}", "")
                    if level.isdigit():
                        values[k.pk] = (int(level), request.POST.get(f"bukti_{k.pk}", ""))
                services.nilai_simpan(
                    actor=request.user,
                    penugasan=penugasan,
                    nilai=values,
                    rekomendasi=request.POST.get("rekomendasi", ""),
                    catatan=request.POST.get("catatan", ""),
                    selesai="kirim" in request.POST,
                    ip_address=client_ip(request),
                )
                messages.success(request, _("Penilaian dikirim.") if "kirim" in request.POST else _("Nilai disimpan."))
        except ValidationError as exc:
            tolak(request, exc)
        return redirect("verifikasi:nilai", pk=penugasan.pk)
    scores = {n.kompetensi_id: n for n in penugasan.nilai.all()}
    kompetensi = list(Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("nomor"))
    for k in kompetensi:
        k.skor = scores.get(k.pk)
    context = {
        "penugasan": penugasan,
        "usulan": usulan,
        "kompetensi": kompetensi,
        "terbuka": penugasan.bebas_konflik_at is not None,
        "portofolio": _portofolio(usulan) if penugasan.bebas_konflik_at else [],
        "levels": range(1, 6),
    }
    return render(request, "verifikasi/nilai.html", context)


def _portofolio(usulan):
    versions = pengusulan_selectors.dokumen_versions(usulan)
    return [(p, (versions.get(p.pk) or [None])[0]) for p in pengusulan_selectors.persyaratan_usulan(usulan.jf)]


# --------------------------------------------------------------------------- sidang


@login_required
@require_POST
def sidang_buka(request, pk: int):
    _require(request.user, Role.KETUA_TIM)
    tim = get_object_or_404(TimPenilai.objects.filter(jf_id__in=_jf_ids(request.user)), pk=pk)
    usulan = list(
        selectors.usulan_pembina().filter(pk__in=[int(i) for i in request.POST.getlist("usulan") if i.isdigit()])
    )
    try:
        sidang = services.sidang_buka(
            actor=request.user,
            tim=tim,
            usulan_list=usulan,
            tanggal=_parse_date(request.POST.get("tanggal", "")) or timezone.localdate(),
            tempat=request.POST.get("tempat", ""),
        )
    except ValidationError as exc:
        tolak(request, exc)
        return redirect("verifikasi:tim_detail", pk=tim.pk)
    return redirect("verifikasi:sidang", pk=sidang.pk)


@login_required
def sidang(request, pk: int):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    obj = get_object_or_404(
        Sidang.objects.filter(tim__jf_id__in=_jf_ids(request.user)).select_related("tim", "tim__jf"), pk=pk
    )
    anggota = list(obj.tim.anggota.select_related("user"))
    is_ketua = any(a.user_id == request.user.pk and a.peran == AnggotaTim.Peran.KETUA for a in anggota)
    if request.method == "POST":
        if not is_ketua:
            raise PermissionDenied
        try:
            hadir = [a for a in anggota if request.POST.get(f"hadir_{a.pk}") == "on"]
            services.sidang_catat_kehadiran(actor=request.user, sidang=obj, hadir=hadir)
            if "putuskan" in request.POST:
                keputusan = {
                    row.usulan_id: (
                        request.POST.get(f"keputusan_{row.usulan_id}", ""),
                        request.POST.get(f"alasan_{row.usulan_id}", ""),
                    )
                    for row in obj.usulan.all()
                }
                services.sidang_putuskan(
                    actor=request.user, sidang=obj, keputusan=keputusan, ip_address=client_ip(request)
                )
                messages.success(request, _("Keputusan sidang disimpan dan berita acara dibuat."))
            else:
                messages.success(request, _("Kehadiran dicatat."))
        except ValidationError as exc:
            tolak(request, exc)
        return redirect("verifikasi:sidang", pk=obj.pk)
    rows = selectors.sidang_baris(obj)
    context = {
        "sidang": obj,
        "anggota": anggota,
        "hadir_ids": set(obj.hadir.values_list("pk", flat=True)),
        "rows": rows,
        "is_ketua": is_ketua,
        "berita": getattr(obj, "berita_acara", None) if obj.status == Sidang.Status.SELESAI else None,
        "surat_ba": obj.surat.filter(jenis="berita_acara").first() if obj.status == Sidang.Status.SELESAI else None,
    }
    return render(request, "verifikasi/sidang.html", context)
