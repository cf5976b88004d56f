"""Pembina pages. Dossiers come from ``selectors.usulan_pembina()`` (the JFs the user's pembina
administers) or, for a penilai, from his or her own assignments: anything else is a 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import STAF_PEMBINA, Role, User
from apps.accounts.permissions import has_role
from apps.core import konfirmasi
from apps.core.audit import client_ip
from apps.core.format import tgl
from apps.core.pesan import penolakan
from apps.jabatan import kenaikan
from apps.pengusulan import selectors as pengusulan_selectors
from apps.pengusulan.domain import STATUS_LABELS, Status
from apps.referensi.models import Golongan, JabatanFungsional, Kompetensi, PersyaratanDokumen
from apps.verifikasi import selectors, services
from apps.verifikasi.domain import dihitung_per_usulan, kehadiran_teks, sebut_tim
from apps.verifikasi.models import AnggotaTim, Pemeriksaan, PenugasanPenilai, Sidang, TimPenilai
from apps.verifikasi.permissions import VERIFIKASI_ROLES
from apps.verifikasi.services.sidang import konflik_per_usulan, tanpa_suara, tidak_memutuskan


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
        "boleh_ba_seleksi": has_role(request.user, *VERIFIKASI_ROLES),
    }
    if context["boleh_ba_seleksi"]:
        # Decisions not yet in a berita acara seleksi: said here, where the verifier issues it (the
        # rekomendasi page warns of them too; nothing is refused, see surat.services).
        from apps.verifikasi.models import Pemeriksaan

        context["seleksi_belum_ba"] = (
            Pemeriksaan.objects.filter(
                jf_id__in=_jf_ids(request.user), diputuskan_at__isnull=False, berita_acara__isnull=True
            )
            .exclude(keputusan="")
            .count()
        )
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
    pilihan = request.POST.get("verifikator", "")
    verifikator = _verifikator_list(request.user).filter(pk=int(pilihan) if pilihan.isdigit() else 0).first()
    ids = [int(i) for i in request.POST.getlist("usulan") if i.isdigit()]
    owned = list(selectors.usulan_pembina().filter(pk__in=ids).values_list("pk", flat=True))
    with penolakan(request):
        if verifikator is None:
            raise ValidationError(_("Pilih verifikator yang akan ditugaskan."))
        n = services.usulan_tugaskan_verifikator(
            actor=request.user, usulan_ids=owned, verifikator=verifikator, ip_address=client_ip(request)
        )
        messages.success(request, _("%(n)d usulan ditugaskan ke %(v)s.") % {"n": n, "v": verifikator})
    kembali = request.POST.get("kembali", "")
    if not (kembali.startswith("/") and url_has_allowed_host_and_scheme(kembali, allowed_hosts={request.get_host()})):
        kembali = reverse("verifikasi:inbox")  # only back to a page of this site
    return redirect(kembali)


# --------------------------------------------------------------------------- seleksi administrasi


def _usulan(request, pk: int):
    return get_object_or_404(
        selectors.usulan_pembina().select_related(
            "jf", "jenjang", "instansi", "verifikator", "ak_tabel_ref", "ak_dasar_ref"
        ),
        pk=pk,
    )


@login_required
def periksa(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    return render(request, "verifikasi/periksa.html", _periksa_context(request, usulan))


def _periksa_context(request, usulan, posted=None) -> dict:
    """The verifier's page. ``posted``: the refused form's input, shown again as typed."""
    # Every round of review in one query (a handful per usulan): the open one, the decided ones.
    putaran = list(usulan.pemeriksaan.select_related("verifikator").order_by("-putaran"))
    aktif = next((p for p in putaran if p.keputusan == ""), None)
    riwayat = [p for p in putaran if p.keputusan != ""]
    findings = {d.persyaratan_id: d for d in aktif.dokumen.all()} if aktif else {}
    berkas = pengusulan_selectors.berkas_usulan(usulan)
    rows = []
    for p in berkas.persyaratan:
        docs = berkas.versi.get(p.pk, []) if p.level == "usulan" else berkas.versi_instansi.get(p.pk, [])
        finding = findings.get(p.pk)
        if posted is not None:
            hasil, catatan = posted.get(f"hasil_{p.pk}", ""), posted.get(f"catatan_{p.pk}", "")
        else:
            hasil = "" if finding is None else ("sesuai" if finding.sesuai else "tidak")
            catatan = finding.catatan if finding else ""
        rows.append({"p": p, "versions": docs, "finding": finding, "hasil": hasil, "catatan": catatan})
    peringatan = [dict(o) for o in usulan.eligibilitas if o["status"] == "review"]
    for o in peringatan:
        o["pilihan"] = (posted or {}).get(f"peringatan_{o['rule']}", "")
        o["catatan"] = (posted or {}).get(f"peringatan_catatan_{o['rule']}", "")
    tenggat_bawaan = timezone.localdate() + timezone.timedelta(days=usulan.jf.perbaikan_hari)
    timeline = pengusulan_selectors.timeline(usulan, pembaca=request.user)
    terakhir = riwayat[0] if riwayat else None
    # Resubmitted after a perbaikan with nothing changed (as the PIC's submission recorded it).
    ulang = next((e for e in reversed(timeline) if e.action == "usulan.diajukan_ulang"), None)
    tanpa_perubahan = (
        terakhir is not None
        and terakhir.keputusan == Pemeriksaan.Keputusan.PERBAIKAN
        and ulang is not None
        and ulang.data.get("tanpa_perubahan", False)
        and terakhir.diputuskan_at is not None
        and ulang.created_at > terakhir.diputuskan_at
    )
    return {
        "usulan": usulan,
        # A kenaikan jenjang's own facts instead of the inpassing's (AK awal, pengalaman, batas TMT).
        "kenaikan": kenaikan.fakta_kenaikan(usulan),
        # Passing it cannot lead to a score until the jenjang has a standard (the admin is told too).
        "tanpa_standar": usulan.jenjang_id is not None
        and not Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).exists(),
        "rows": rows,
        "aktif": aktif,
        "riwayat": riwayat,
        "perubahan": selectors.perubahan_sejak(terakhir, berkas),
        "tanpa_perubahan": tanpa_perubahan,
        "peringatan": peringatan,
        "timeline": timeline,
        "bisa_putuskan": aktif is not None
        and (usulan.verifikator_id == request.user.pk or Role.ADMIN_PEMBINA in request.user.roles),
        "tenggat_bawaan": tenggat_bawaan,
        "masukan": {
            "keputusan": (posted or {}).get("keputusan", ""),
            "tenggat": (posted or {}).get("tenggat", tenggat_bawaan.isoformat()),
            "catatan": (posted or {}).get("catatan", ""),
        },
        "keputusan": Pemeriksaan.Keputusan.choices,
    }


def _galat_pemeriksaan(galat: dict[str, list[str]], context) -> list[dict]:
    """A refused review as the error summary's rows: each reason with the field it links to."""
    ada = {f"catatan_{r['p'].pk}" for r in context["rows"]} | {f"hasil_{r['p'].pk}" for r in context["rows"]}
    ada |= {"tenggat", "catatan", "keputusan"}
    ada |= {f"peringatan_{o['rule']}" for o in context["peringatan"]}
    rows = []
    for field, pesan in galat.items():
        for m in pesan:
            rows.append({"field": field, "anchor": field if field in ada else "", "pesan": m})
    return rows


@login_required
@require_POST
def klaim(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    with penolakan(request):
        if usulan.status == Status.DIAJUKAN:
            services.pemeriksaan_mulai(actor=request.user, usulan=usulan, ip_address=client_ip(request))
            messages.success(request, _("Seleksi administrasi dimulai."))
        else:
            services.usulan_klaim(actor=request.user, usulan=usulan, ip_address=client_ip(request))
    return redirect("verifikasi:periksa", pk=usulan.pk)


@login_required
@require_POST
def simpan_pemeriksaan(request, pk: int):
    _require(request.user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)
    usulan = _usulan(request, pk)
    hasil = {}
    for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis):
        value = request.POST.get(f"hasil_{p.pk}")
        if value in ("sesuai", "tidak"):
            hasil[p.pk] = (value == "sesuai", request.POST.get(f"catatan_{p.pk}", ""))
    keputusan = request.POST.get("keputusan", "")
    peringatan = {
        o["rule"]: {
            "diterima": request.POST.get(f"peringatan_{o['rule']}") == "terima",
            "catatan": request.POST.get(f"peringatan_catatan_{o['rule']}", ""),
        }
        for o in usulan.eligibilitas
        if o["status"] == "review"
    }
    with penolakan(request, pesan=False) as hasil_simpan:
        done = services.pemeriksaan_simpan(
            actor=request.user,
            usulan=usulan,
            hasil=hasil,
            keputusan=keputusan,
            catatan=request.POST.get("catatan", ""),
            tenggat=_parse_date(request.POST.get("tenggat", "")),
            peringatan=peringatan,
            ip_address=client_ip(request),
        )
        if done is not None:
            messages.success(request, _("Keputusan disimpan: %(s)s.") % {"s": done.status_label})
        else:
            messages.success(request, _("Hasil pemeriksaan dokumen disimpan."))
        return redirect("verifikasi:periksa", pk=usulan.pk)
    # Refused: the page again, with every verdict, note and the decision as the verifier left them,
    # and every reason at once in the error summary (each linked to its field).
    usulan = _usulan(request, pk)
    context = _periksa_context(request, usulan, posted=request.POST)
    context["galat"] = _galat_pemeriksaan(hasil_simpan.galat, context)
    context["galat_bidang"] = set(hasil_simpan.galat)
    for r in context["rows"]:
        r["salah"] = f"catatan_{r['p'].pk}" in hasil_simpan.galat
    return render(request, "verifikasi/periksa.html", context)


# --------------------------------------------------------------------------- Tim Penilai


@login_required
def berita_acara_seleksi(request):
    """Conclude a round of seleksi administrasi: the decided reviews not yet recorded, per JF, and
    the berita acara that records them (issued here, signed by the verifiers who decided)."""
    from apps.surat.models import JenisSurat, Surat

    _require(request.user, *VERIFIKASI_ROLES)
    jf_list = list(JabatanFungsional.objects.filter(pk__in=_jf_ids(request.user)).order_by("nama"))
    if not jf_list:
        raise PermissionDenied
    kode = request.POST.get("jf") or request.GET.get("jf")
    jf = next((j for j in jf_list if j.kode == kode), None) if kode else jf_list[0]
    if jf is None:
        raise Http404
    if request.method == "POST":
        with penolakan(request):
            surat = services.berita_acara_seleksi_terbitkan(actor=request.user, jf=jf, ip_address=client_ip(request))
            messages.success(request, _("Berita acara %(n)s diterbitkan; PDF sedang dibuat.") % {"n": surat.nomor})
            return redirect("surat:detail", pk=surat.pk)
        return redirect(f"{reverse('verifikasi:berita_acara_seleksi')}?jf={jf.kode}")
    rows = list(
        services.seleksi_belum_berita_acara(jf)
        .select_related("usulan", "usulan__instansi", "usulan__jenjang", "verifikator")
        .order_by("diputuskan_at", "id")[:500]
    )
    terbit = Surat.objects.filter(jf=jf, jenis=JenisSurat.BERITA_ACARA_SELEKSI).order_by("-id")[:20]
    context = {"jf_list": jf_list, "jf": jf, "rows": rows, "terbit": terbit}
    return render(request, "verifikasi/berita_acara_seleksi.html", context)


@login_required
def tim_list(request):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    jf_ids = _jf_ids(request.user)
    teams = TimPenilai.objects.select_related("jf").prefetch_related("anggota__user", "anggota__golongan")
    calon = selectors.calon_penilai(request.user.instansi)
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        _require(request.user, Role.ADMIN_PEMBINA)
        jf = JabatanFungsional.objects.filter(pk__in=jf_ids, kode=posted.get("jf", "")).first()
        anggota = []
        golongan = {g.pk: g for g in Golongan.objects.all()}
        for user in calon:
            peran = posted.get(f"peran_{user.pk}", "")
            if peran in AnggotaTim.Peran.values:
                gol = posted.get(f"golongan_{user.pk}", "")
                anggota.append(
                    (
                        user,
                        peran,
                        posted.get(f"sertifikat_{user.pk}") == "on",
                        golongan.get(int(gol)) if gol.isdigit() else None,
                    )
                )
        mulai, selesai = _parse_date(posted.get("mulai", "")), _parse_date(posted.get("selesai", ""))
        with penolakan(request):
            masalah = []
            if jf is None:
                masalah.append(_("Pilih jabatan fungsional tim."))
            if not mulai or not selesai:
                masalah.append(_("Isi tanggal mulai dan selesai masa jabatan tim (hh/bb/tttt)."))
            if masalah:  # with every other rule the team breaks, not only these
                lain = services.tim_periksa(
                    instansi_pembina_id=jf.instansi_pembina_id if jf else getattr(request.user.instansi, "pk", None),
                    jf=jf,
                    mulai=mulai,
                    selesai=selesai,
                    anggota=anggota,
                    nama=posted.get("nama", "").strip(),
                )
                raise ValidationError(masalah + lain)
            tim = services.tim_bentuk(
                actor=request.user,
                jf=jf,
                nama=posted.get("nama", "").strip() or _("Tim Penilai"),
                mulai=mulai,
                selesai=selesai,
                anggota=anggota,
                ip_address=client_ip(request),
            )
            # (a team not yet in force: its page says so, once, in its own notice)
            messages.success(request, _("%(t)s dibentuk.") % {"t": sebut_tim(tim.nama)})
            return redirect("verifikasi:tim_detail", pk=tim.pk)
    calon = list(calon)
    ketua_ids = selectors.calon_ketua_ids(request.user.instansi)
    for user in calon:  # a refused form comes back as the admin left it
        # only a holder of the ketua tim role is offered as ketua (tim_bentuk refuses anyone else)
        user.peran_boleh = [(c, label) for c, label in AnggotaTim.Peran.choices
                            if c != AnggotaTim.Peran.KETUA or user.pk in ketua_ids]  # fmt: skip
        user.peran_dipilih = posted.get(f"peran_{user.pk}", "")
        user.bersertifikat_dipilih = posted.get(f"sertifikat_{user.pk}") == "on"
        user.golongan_dipilih = posted.get(f"golongan_{user.pk}", "")
    context = {
        "teams": teams,
        "calon": calon,
        "jf_list": JabatanFungsional.objects.filter(pk__in=jf_ids).order_by("nama"),
        "ada_calon_ketua": bool(ketua_ids),
        "golongan": Golongan.objects.order_by("urutan"),
        "bisa_bentuk": Role.ADMIN_PEMBINA in request.user.roles,
        "masukan": {k: posted.get(k, "") for k in ("jf", "nama", "mulai", "selesai")},
    }
    return render(request, "verifikasi/tim_list.html", context)


def _belum_berlaku(tim) -> str:
    return _("%(t)s berlaku mulai %(d)s: sebelum tanggal itu tim belum dapat ditugaskan menilai atau bersidang.") % {
        "t": sebut_tim(tim.nama),
        "d": tgl(tim.periode_mulai),
    }


@login_required
def tim_detail(request, pk: int):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    return _tim_page(request, get_object_or_404(TimPenilai.objects.select_related("jf"), pk=pk))


def _tim_page(request, tim, *, sidang_masukan: dict | None = None):
    """The team's page; after a refused "Buka sidang", with the dossiers, date and place as the
    ketua left them."""
    anggota = list(tim.anggota.select_related("user", "golongan"))
    dinilai = selectors.tim_progres(tim)
    is_ketua = any(a.user_id == request.user.pk and a.peran == AnggotaTim.Peran.KETUA for a in anggota)
    context = {
        "tim": tim,
        "anggota": anggota,
        "dinilai": dinilai,
        "siap_dinilai": _tandai_tanpa_standar(
            selectors.usulan_pembina()
            .filter(jf=tim.jf, status=Status.LULUS_ADMINISTRASI)
            .select_related("instansi", "jenjang")
        ),
        "bisa_tugaskan": Role.ADMIN_PEMBINA in request.user.roles or is_ketua,
        # Seed 001 E.7: the ketua replaces a penilai who declared a conflict of interest.
        "konflik": _konflik(dinilai, anggota) if is_ketua else [],
        "is_ketua": is_ketua,
        "sidang_list": tim.sidang.order_by("-tanggal"),
        "sidang_masukan": sidang_masukan
        or {"tanggal": timezone.localdate().isoformat(), "tempat": "", "usulan": set()},
    }
    hari_ini = timezone.localdate()
    if tim.periode_mulai > hari_ini:  # the assignment form says why it would be refused today
        context["belum_berlaku"] = _belum_berlaku(tim)
    elif tim.periode_selesai < hari_ini:
        context["belum_berlaku"] = _("Masa jabatan %(t)s berakhir %(d)s: tim tidak dapat ditugaskan lagi.") % {
            "t": sebut_tim(tim.nama), "d": tgl(tim.periode_selesai)
        }  # fmt: skip
    return render(request, "verifikasi/tim_detail.html", context)


def _konflik(dinilai, anggota) -> list:
    """The assignments whose penilai declared a conflict of interest, still open, each with the
    members not yet assigned to the dossier and why any of them may not take it (own instansi,
    pangkat: ``services.calon_pengganti``), so that the ketua never picks a refused one."""
    out = []
    for u in dinilai:
        if u.status != Status.PENILAIAN:
            continue
        ditugaskan = {p.penilai_id for p in u.penugasan}
        for p in u.penugasan:
            if p.konflik_at and not p.selesai_at:
                p.usulan_baris = u
                p.calon = services.calon_pengganti(anggota, u, ditugaskan)
                p.ada_calon = any(not c["alasan"] for c in p.calon)
                p.ada_tolak = any(c["alasan"] for c in p.calon)
                out.append(p)
    return out


def _tandai_tanpa_standar(usulan_qs) -> list:
    """Mark the dossiers whose jenjang has no competency standard yet: the admin is told before
    assigning (the penilai could not score them)."""
    usulan = list(usulan_qs)
    ada = set(
        Kompetensi.objects.filter(jenjang_id__in={u.jenjang_id for u in usulan}).values_list("jenjang_id", flat=True)
    )
    for u in usulan:
        u.tanpa_standar = u.jenjang_id not in ada
    return usulan


@login_required
def _ganti_penilai(request, tim):
    """The ketua replaces a penilai with a conflict of interest (posted from the team page's form,
    which both team actions receive)."""
    with penolakan(request):
        penugasan = PenugasanPenilai.objects.filter(
            tim=tim, pk=int(request.POST["penugasan"]) if request.POST.get("penugasan", "").isdigit() else 0
        ).first()
        pengganti = User.objects.filter(
            pk__in=tim.anggota.filter(
                user_id=int(request.POST["pengganti"]) if request.POST.get("pengganti", "").isdigit() else 0
            ).values("user_id")
        ).first()
        if penugasan is None or pengganti is None:
            raise ValidationError(_("Pilih penilai pengganti dari anggota tim."))
        baru = services.penugasan_ganti_penilai(
            actor=request.user, penugasan=penugasan, pengganti=pengganti, alasan=request.POST.get("alasan", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        messages.success(request, _("Penilai diganti oleh %(nama)s.") % {"nama": baru.penilai})
    return redirect("verifikasi:tim_detail", pk=tim.pk)


@require_POST
def tim_tugaskan(request, pk: int):
    _require(request.user, Role.ADMIN_PEMBINA, Role.KETUA_TIM)
    tim = get_object_or_404(TimPenilai.objects, pk=pk)
    if "ganti" in request.POST:  # the ketua replaces a penilai with a conflict of interest
        return _ganti_penilai(request, tim)
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
    with penolakan(request):
        if not usulan or not penilai:
            raise ValidationError(_("Pilih usulan dan penilai."))
        sudah = services.penugasan_sudah_ada(usulan, penilai)
        n = services.penilai_tugaskan(
            actor=request.user, usulan_list=usulan, tim=tim, penilai=penilai, ip_address=client_ip(request)
        )
        messages.success(request, _("%(n)d penugasan penilai dibuat.") % {"n": n})
        if sudah:  # part of the choice was already assigned: say which, rather than leave the count short
            messages.info(request, _("Tidak ditugaskan ulang: %(daftar)s.") % {"daftar": "; ".join(sudah)})
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
    posted = None
    if konfirmasi.diubah(request):
        posted = request.POST  # back from the confirmation: the scores as the penilai typed them
    elif request.method == "POST":
        with penolakan(request):
            if "konflik" in request.POST:
                services.penugasan_nyatakan_konflik(
                    actor=request.user, penugasan=penugasan, alasan=request.POST.get("alasan_konflik", ""),
                    ip_address=client_ip(request),
                )  # fmt: skip
                messages.success(
                    request, _("Pernyataan konflik kepentingan dicatat; ketua tim akan menugaskan penilai pengganti.")
                )
            elif "bebas_konflik" in request.POST:
                services.penugasan_bebas_konflik(actor=request.user, penugasan=penugasan, ip_address=client_ip(request))
                messages.success(request, _("Pernyataan bebas konflik kepentingan dicatat."))
            else:
                kompetensi = list(Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("jenis", "nomor"))
                values = {}
                for k in kompetensi:
                    level = request.POST.get(f"level_{k.pk}", "")
                    if level.isdigit():
                        values[k.pk] = (int(level), request.POST.get(f"bukti_{k.pk}", ""))

                def simpan():
                    return services.nilai_simpan(
                        actor=request.user,
                        penugasan=penugasan,
                        nilai=values,
                        rekomendasi=request.POST.get("rekomendasi", ""),
                        catatan=request.POST.get("catatan", ""),
                        selesai="kirim" in request.POST,
                        ip_address=client_ip(request),
                    )

                if "kirim" in request.POST and not konfirmasi.dikonfirmasi(request):
                    konfirmasi.uji_coba(simpan)  # refused: shown below with the input
                    return _konfirmasi_kirim(request, penugasan, kompetensi, values)
                simpan()
                messages.success(request, _("Penilaian dikirim.") if "kirim" in request.POST else _("Nilai disimpan."))
            return redirect("verifikasi:nilai", pk=penugasan.pk)
        posted = request.POST  # refused: the scores come back as the penilai typed them
        penugasan = get_object_or_404(selectors.penugasan_saya(request.user), pk=pk)
    scores = {n.kompetensi_id: n for n in penugasan.nilai.all()}
    kompetensi = list(Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("jenis", "nomor"))
    for k in kompetensi:
        k.skor = scores.get(k.pk)
        if posted is not None:
            k.level_isi = posted.get(f"level_{k.pk}", "")
            k.bukti_isi = posted.get(f"bukti_{k.pk}", "")
        else:
            k.level_isi = str(k.skor.level_dicapai) if k.skor else ""
            k.bukti_isi = k.skor.catatan_bukti if k.skor else ""
        # Rows for browsers without CSS field-sizing: every line of the evidence, ~40 characters each.
        k.bukti_baris = max(2, sum(len(line) // 40 + 1 for line in k.bukti_isi.splitlines() or [""]))
    masukan = (
        {"rekomendasi": posted.get("rekomendasi", ""), "catatan": posted.get("catatan", "")}
        if posted is not None
        else {"rekomendasi": penugasan.rekomendasi, "catatan": penugasan.catatan}
    )
    context = {
        "penugasan": penugasan,
        "usulan": usulan,
        "kompetensi": kompetensi,
        "terbuka": penugasan.bebas_konflik_at is not None,
        "portofolio": _portofolio(usulan) if penugasan.bebas_konflik_at else [],
        "levels": [str(level) for level in range(1, 6)],
        "masukan": masukan,
    }
    return render(request, "verifikasi/nilai.html", context)


def _konfirmasi_kirim(request, penugasan, kompetensi, values):
    """The summary before the penilai's scores are sent (and locked)."""
    from apps.verifikasi.models import PenugasanPenilai

    usulan = penugasan.usulan
    rekomendasi = dict(PenugasanPenilai.Rekomendasi.choices).get(request.POST.get("rekomendasi", ""), "")
    rincian = [
        _("%(no)d. %(nama)s: level %(dicapai)d (dibutuhkan level %(butuh)d)")
        % {"no": k.nomor, "nama": k.nama, "dicapai": values[k.pk][0], "butuh": k.level}
        for k in kompetensi
        if k.pk in values
    ]
    return konfirmasi.halaman(
        request,
        judul=_("Periksa sebelum mengirim penilaian"),
        ringkasan=[
            (_("Pegawai"), usulan.pegawai_nama),
            (_("Jabatan fungsional"), f"{penugasan.jf.nama} {usulan.jenjang.nama if usulan.jenjang_id else ''}"),
            (_("Kompetensi dinilai"), _("%(n)d dari %(m)d") % {"n": len(values), "m": len(kompetensi)}),
            (_("Rekomendasi Anda"), rekomendasi),
        ],
        rincian_judul=_("Nilai per kompetensi"),
        rincian=rincian,
        akibat=[
            _("Nilai, bukti dan rekomendasi Anda dikirim ke ketua tim dan dikunci: tidak dapat diubah lagi."),
            _("Ketua tim diberi tahu bila sudah 2/3 anggota tim mengirim penilaian; hasilnya dibahas dalam sidang."),
        ],
        tombol=_("Ya, kirim penilaian"),
        kembali=reverse("verifikasi:nilai", kwargs={"pk": penugasan.pk}),
    )


def _portofolio(usulan):
    versions = pengusulan_selectors.dokumen_versions(usulan)
    return [
        (p, (versions.get(p.pk) or [None])[0]) for p in pengusulan_selectors.persyaratan_usulan(usulan.jf, usulan.jenis)
    ]


# --------------------------------------------------------------------------- sidang


@login_required
@require_POST
def sidang_buka(request, pk: int):
    _require(request.user, Role.KETUA_TIM)
    tim = get_object_or_404(TimPenilai.objects, pk=pk)
    if "ganti" in request.POST:  # the ketua replaces a penilai with a conflict of interest
        return _ganti_penilai(request, tim)
    usulan = list(
        selectors.usulan_pembina().filter(pk__in=[int(i) for i in request.POST.getlist("usulan") if i.isdigit()])
    )
    tanggal_isi = request.POST.get("tanggal", "").strip()
    tempat = request.POST.get("tempat", "").strip()
    with penolakan(request):
        tanggal = _parse_date(tanggal_isi) if tanggal_isi else None
        if tanggal_isi and tanggal is None:
            raise ValidationError(_("Tanggal sidang %(t)s tidak valid (hh/bb/tttt).") % {"t": tanggal_isi})
        sidang = services.sidang_buka(actor=request.user, tim=tim, usulan_list=usulan, tanggal=tanggal, tempat=tempat)
        return redirect("verifikasi:sidang", pk=sidang.pk)
    # Refused: the team's page again with the reasons, and the choice, date and place as typed.
    masukan = {"tanggal": tanggal_isi, "tempat": tempat, "usulan": {u.pk for u in usulan}}
    return _tim_page(request, tim, sidang_masukan=masukan)


@login_required
def sidang(request, pk: int):
    _require(request.user, *STAF_PEMBINA, Role.PENILAI)
    obj = get_object_or_404(Sidang.objects.select_related("tim", "tim__jf"), pk=pk)
    anggota = list(obj.tim.anggota.select_related("user", "golongan"))
    is_ketua = any(a.user_id == request.user.pk and a.peran == AnggotaTim.Peran.KETUA for a in anggota)
    bisu = tanpa_suara(obj, anggota) if obj.status == Sidang.Status.DIBUKA else {}
    for a in anggota:  # the attendance list says who would not count (seed 001 C.2)
        a.tanpa_suara = bisu.get(a.pk, "")
    boleh_batal = obj.status == Sidang.Status.DIBUKA and (is_ketua or has_role(request.user, Role.ADMIN_PEMBINA))
    posted, alasan_batal = None, ""
    if request.method == "POST" and "batalkan" in request.POST:
        if not boleh_batal and obj.status == Sidang.Status.DIBUKA:
            raise PermissionDenied
        with penolakan(request):
            services.sidang_batalkan(
                actor=request.user, sidang=obj, alasan=request.POST.get("alasan_batal", ""),
                ip_address=client_ip(request),
            )  # fmt: skip
            messages.success(
                request, _("Sidang dibatalkan. Usulannya dapat dimasukkan ke sidang lain dari halaman tim.")
            )
            return redirect("verifikasi:sidang", pk=obj.pk)
        obj.refresh_from_db()
        alasan_batal = request.POST.get("alasan_batal", "")  # refused: the reason as typed
    elif request.method == "POST" and not is_ketua:
        raise PermissionDenied
    if konfirmasi.diubah(request):
        posted = request.POST  # back from the confirmation: attendance and decisions as typed
    elif request.method == "POST" and "batalkan" not in request.POST:
        with penolakan(request):
            hadir = [a for a in anggota if request.POST.get(f"hadir_{a.pk}") == "on"]
            if "putuskan" in request.POST:
                keputusan = {
                    row.usulan_id: (
                        request.POST.get(f"keputusan_{row.usulan_id}", ""),
                        request.POST.get(f"alasan_{row.usulan_id}", ""),
                    )
                    for row in obj.usulan.all()
                }

                def putuskan():
                    services.sidang_catat_kehadiran(actor=request.user, sidang=obj, hadir=hadir)
                    return services.sidang_putuskan(
                        actor=request.user, sidang=obj, keputusan=keputusan, ip_address=client_ip(request)
                    )

                if not konfirmasi.dikonfirmasi(request):
                    konfirmasi.uji_coba(putuskan)
                    obj.refresh_from_db()
                    return _konfirmasi_sidang(request, obj, anggota, hadir, keputusan)
                putuskan()
                messages.success(
                    request,
                    _(
                        "Keputusan sidang disimpan dan berita acara diterbitkan. Berita acara berlaku setelah "
                        "ketua dan setiap anggota yang hadir menandatanganinya secara elektronik di antrean "
                        "tanda tangan masing-masing."
                    ),
                )
            else:
                services.sidang_catat_kehadiran(actor=request.user, sidang=obj, hadir=hadir)
                messages.success(request, _("Kehadiran dicatat."))
                for a in hadir:  # present, but below the assessed pangkat: said now, not at the decision
                    if a.pk in bisu:
                        messages.warning(request, bisu[a.pk])
            return redirect("verifikasi:sidang", pk=obj.pk)
        posted = request.POST  # refused: attendance and decisions come back as the ketua left them
        obj.refresh_from_db()
    rows = list(obj.usulan.select_related("usulan", "usulan__jenjang"))
    for row in rows:
        row.penugasan = list(row.usulan.penugasan_penilai.filter(tim=obj.tim).select_related("penilai"))
        row.rekap = selectors.rekap_nilai(row.usulan, obj.tim_id)
        row.keputusan_isi = (posted or {}).get(f"keputusan_{row.usulan_id}", "")
        row.alasan_isi = (posted or {}).get(f"alasan_{row.usulan_id}", "")
    hadir_ids = (
        {a.pk for a in anggota if posted.get(f"hadir_{a.pk}") == "on"}
        if posted is not None
        else set(obj.hadir.values_list("pk", flat=True))
    )
    context = {
        "sidang": obj,
        "anggota": anggota,
        "boleh_batal": boleh_batal and obj.status == Sidang.Status.DIBUKA,
        "alasan_batal_isi": alasan_batal,
        "hadir_ids": hadir_ids,
        "rows": rows,
        "is_ketua": is_ketua,
        "berita": (berita := getattr(obj, "berita_acara", None) if obj.status == Sidang.Status.SELESAI else None),
        # Everyone marked present, as the berita acara counts them (a member below the assessed
        # pangkat is present but not counted for the quorum).
        "hadir_semua": sum(1 for a in (berita.isi or {}).get("anggota", []) if a.get("hadir")) if berita else 0,
        # the same, counted per usulan (fresh-eye walk 1, M1): one sentence true for each of them
        "kehadiran_teks": kehadiran_teks(
            sum(1 for a in (berita.isi or {}).get("anggota", []) if a.get("hadir")),
            (berita.isi or {}).get("kuorum", {}).get("anggota", 0),
            dihitung_per_usulan(berita.isi or {}),
        )
        if berita
        else "",
        "surat_ba": obj.surat.filter(jenis="berita_acara").first() if obj.status == Sidang.Status.SELESAI else None,
    }
    if context["surat_ba"] is not None:
        from apps.ttd.services import status_penanda  # the letter's real signatures, not who decided

        context["penanda"] = status_penanda(context["surat_ba"])
    return render(request, "verifikasi/sidang.html", context)


def _kehadiran_teks(obj, anggota, hadir) -> str:
    """Attendance as the berita acara words it: everyone present, and how many of them count for
    the quorum on each usulan (a member below a pegawai's pangkat, or with a declared conflict on
    that dossier, is present but not counted for it)."""
    rows = list(obj.usulan.select_related("usulan", "usulan__jenjang__golongan_min"))
    konflik = konflik_per_usulan([row.usulan_id for row in rows])
    dihitung = []
    for row in rows:
        keluar = {a.pk for a in tidak_memutuskan(row.usulan, hadir)}
        keluar |= {a.pk for a in hadir if a.user_id in konflik.get(row.usulan_id, ())}
        dihitung.append(sum(1 for a in hadir if a.pk not in keluar))
    return kehadiran_teks(len(hadir), len(anggota), dihitung)


def _konfirmasi_sidang(request, obj, anggota, hadir, keputusan):
    """The summary before the ketua decides the sidang (the berita acara is made from it)."""
    from apps.verifikasi.models import SidangUsulan

    label = dict(SidangUsulan.Keputusan.choices)
    rows = {r.usulan_id: r.usulan for r in obj.usulan.select_related("usulan")}
    rincian = []
    for usulan_id, (nilai, alasan) in keputusan.items():
        u = rows[usulan_id]
        baris = f"{u.pegawai_nama} ({u.nomor}): {label.get(nilai, nilai)}"
        rincian.append(f"{baris} — {alasan.strip()}" if alasan.strip() else baris)
    lulus = sum(1 for nilai, _alasan in keputusan.values() if nilai == "lulus")
    return konfirmasi.halaman(
        request,
        judul=_("Periksa sebelum memutuskan sidang"),
        ringkasan=[
            (_("Tim"), obj.tim.nama),
            (_("Tanggal dan tempat"), f"{tgl(obj.tanggal)}{', ' + obj.tempat if obj.tempat else ''}"),
            (_("Kehadiran"), _kehadiran_teks(obj, anggota, hadir)),
            (_("Keputusan"), _("%(l)d lulus, %(t)d tidak lulus") % {"l": lulus, "t": len(keputusan) - lulus}),
        ],
        rincian_judul=_("Keputusan per usulan"),
        rincian=rincian,
        akibat=[
            _("Sidang ditutup; keputusan ini menjadi status akhir uji kompetensi setiap usulan di atas."),
            _("Berita acara sidang diterbitkan dengan nomor berikutnya dan dibuat sebagai PDF."),
            _("PIC instansi pengusul diberi tahu; usulan yang lulus siap diterbitkan rekomendasinya."),
        ],
        tombol=_("Ya, putuskan dan buat berita acara"),
        kembali=reverse("verifikasi:sidang", kwargs={"pk": obj.pk}),
    )
