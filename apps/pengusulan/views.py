"""PIC pages. Views translate HTTP to service calls; objects come from scoped selectors, so
another instansi's pegawai, usulan, formasi or document is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from apps.accounts import permissions
from apps.accounts.models import Role
from apps.core import audit, files, konfirmasi
from apps.core.audit import client_ip
from apps.core.pesan import penolakan
from apps.core.ratelimit import batasi
from apps.core.staleness import fingerprint
from apps.core.storage import PenyimpananGagal
from apps.pengusulan import forms, selectors, services, xlsx
from apps.pengusulan.domain import STATUS_LABELS, Status, allowed_actions
from apps.referensi import selectors as referensi_selectors
from apps.referensi.models import JabatanFungsional, PersyaratanDokumen
from apps.surat.selectors import dengan_koreksi_sk


def _require_instansi_data(user) -> None:
    if not permissions.can_view_instansi_data(user):
        raise PermissionDenied


def _require_pic(user) -> None:
    if not permissions.can_manage_pegawai(user):
        raise PermissionDenied


# --------------------------------------------------------------------------- dashboard and list


@login_required
def dashboard(request):
    _require_instansi_data(request.user)
    filters = {
        "status": request.GET.get("status", ""),
        "jf": request.GET.get("jf", ""),
        "jenjang": request.GET.get("jenjang", ""),
        "q": request.GET.get("q", ""),
    }
    if filters["status"] not in {"", *Status}:
        filters["status"] = ""
    page = Paginator(selectors.usulan_for_pic_list(**filters), 50).get_page(request.GET.get("page"))
    counts = selectors.status_counts()
    context = {
        "page": page,
        "filters": filters,
        "counts": [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in Status],
        "perlu_tindakan": counts.get(Status.PERBAIKAN, 0) + counts.get(Status.DRAFT, 0),
        "progres": selectors.progres_per_jenjang(),
        "jf_list": referensi_selectors.jf_list(),
        "jenjang_pilihan": selectors.jenjang_pilihan(),
        "querystring": "&".join(f"{k}={v}" for k, v in filters.items() if v),
    }
    return render(request, "pengusulan/dashboard.html", context)


# --------------------------------------------------------------------------- pegawai


@login_required
def pegawai_list(request):
    _require_instansi_data(request.user)
    q = request.GET.get("q", "")
    page = Paginator(selectors.pegawai_list(q=q), 50).get_page(request.GET.get("page"))
    return render(request, "pengusulan/pegawai_list.html", {"page": page, "q": q})


@login_required
def pegawai_detail(request, pk: int):
    _require_instansi_data(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pk)
    context = {
        "pegawai": pegawai,
        "usulan_list": dengan_koreksi_sk(selectors.usulan_list().filter(pegawai=pegawai)).order_by("-created_at"),
        "usulan_form": forms.UsulanCreateForm(),
    }
    return render(request, "pengusulan/pegawai_detail.html", context)


@login_required
@require_GET
def pegawai_data_pribadi(request, pk: int):
    """The pegawai's personal data as JSON, on the data subject's request (UU 27/2022 PDP)."""
    import json

    from apps.pengusulan import retensi

    _require_pic(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pk)
    data = retensi.ekspor_pegawai(pegawai, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{pegawai.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def pegawai_hapus_data(request, pk: int):
    """Erase the pegawai's personal data where the law allows; otherwise say why not."""
    from django.core.exceptions import ValidationError

    from apps.core.pesan import tolak
    from apps.pengusulan import retensi

    _require_pic(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pk)
    if request.POST.get("konfirmasi_nip", "").replace(" ", "") != pegawai.nip:
        messages.error(request, _("Ketik NIP pegawai untuk mengonfirmasi penghapusan."))
        return redirect("pengusulan:pegawai_detail", pk=pegawai.pk)
    try:
        retensi.hapus_pegawai(pegawai, actor=request.user)
    except ValidationError as exc:
        tolak(request, exc)
        return redirect("pengusulan:pegawai_detail", pk=pegawai.pk)
    messages.success(request, _("Data pribadi pegawai telah dihapus (dianonimkan)."))
    return redirect("pengusulan:pegawai_list")


@login_required
def pegawai_form(request, pk: int | None = None):
    _require_pic(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pk) if pk else None
    form = forms.PegawaiForm(request.POST if request.method == "POST" else None, instance=pegawai)
    versi = fingerprint(selectors.pegawai_list().get(pk=pegawai.pk)) if pegawai else ""
    if request.method == "POST" and pegawai and request.POST.get("versi", "") != versi:
        # Someone saved this pegawai since the form was opened: keep the user's input, say so.
        form.is_valid()
        form.add_error(
            None,
            _(
                "Data pegawai ini telah diubah oleh pengguna lain sejak formulir dibuka. "
                "Periksa data terbaru, lalu simpan lagi."
            ),
        )
    elif request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            if pegawai:
                saved = services.pegawai_update(
                    actor=request.user,
                    pegawai=pegawai,
                    data=form.service_data(),
                    ip_address=client_ip(request),
                )
            else:
                saved = services.pegawai_create(
                    actor=request.user, data=form.service_data(), ip_address=client_ip(request)
                )
            messages.success(request, _("Data pegawai %(nama)s disimpan.") % {"nama": saved.nama})
            return redirect("pengusulan:pegawai_detail", pk=saved.pk)
    return render(request, "pengusulan/pegawai_form.html", {"form": form, "pegawai": pegawai, "versi": versi})


# --------------------------------------------------------------------------- usulan


@login_required
@require_POST
def usulan_create(request, pegawai_pk: int):
    _require_pic(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pegawai_pk)
    form = forms.UsulanCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih jabatan fungsional tujuan."))
        return redirect("pengusulan:pegawai_detail", pk=pegawai.pk)
    with penolakan(request):
        usulan = services.usulan_create(
            actor=request.user, pegawai=pegawai, jf=form.cleaned_data["jf"], ip_address=client_ip(request)
        )
        return redirect("pengusulan:usulan_detail", pk=usulan.pk)
    return redirect("pengusulan:pegawai_detail", pk=pegawai.pk)


@login_required
@require_GET
def eligibilitas_preview(request, pegawai_pk: int):
    """htmx: the eligibility outcome of a pegawai for the JF chosen in the form."""
    _require_instansi_data(request.user)
    pegawai = get_object_or_404(selectors.pegawai_list(), pk=pegawai_pk)
    jf = JabatanFungsional.objects.filter(kode=request.GET.get("jf", "")).first()
    if jf is None:
        return HttpResponse("")
    result = selectors.eligibility_for(pegawai, jf)
    return render(request, "pengusulan/_eligibilitas.html", {"result": result, "jf": jf})


def _usulan_context(request, usulan):
    berkas = selectors.berkas_usulan(usulan)
    persyaratan = [(p, berkas.versi.get(p.pk, [])) for p in berkas.persyaratan_usulan]
    live = usulan.dapat_diubah
    return {
        "usulan": usulan,
        "persyaratan": persyaratan,
        "kurang": berkas.kurang,
        "result": selectors.eligibilitas_usulan(usulan) if live else None,
        "jf": usulan.jf,
        "actions": [a.action for a in allowed_actions(usulan.status, request.user.roles)],
        "timeline": selectors.timeline(usulan, pembaca=request.user),
        "pengajuan_terbuka": selectors.pengajuan_terbuka(usulan.jf, timezone.localdate()),
        "can_edit": live and permissions.can_manage_pegawai(request.user),
        # A recompute changed the AK after the PAK signed by the atasan langsung was attached: its
        # new version may be uploaded whatever the status (services.dokumen_upload).
        "unggah_pak_ulang": usulan.pak_unggah_ulang_sejak is not None and permissions.can_manage_pegawai(request.user),
        "unggah_form": forms.UnggahForm(),
        "perbaikan": _catatan_perbaikan(usulan) if usulan.status == Status.PERBAIKAN else None,
        # While the PIC can still change it, the AK awal as the submission would compute it today: the
        # PAK signed by the atasan langsung (a mandatory document) copies this breakdown.
        "ak_pratinjau": selectors.ak_awal_pratinjau(usulan, timezone.localdate()) if live else None,
    }


def _catatan_perbaikan(usulan):
    from apps.verifikasi.selectors import catatan_perbaikan

    return catatan_perbaikan(usulan)


@login_required
def usulan_detail(request, pk: int):
    _require_instansi_data(request.user)
    return _usulan_page(request, pk)


def _usulan_page(request, pk: int):
    """The usulan page; after "Kembali dan ubah" on the confirmation or a refused "Ajukan", with
    the typed surat pengantar."""
    usulan = get_object_or_404(
        dengan_koreksi_sk(
            selectors.with_ak_baris(selectors.usulan_list().select_related("ak_tabel_ref", "ak_dasar_ref"))
        ),
        pk=pk,
    )
    context = _usulan_context(request, usulan)
    context["pengantar"] = (
        {"nomor": request.POST.get("pengantar_nomor", ""), "tanggal": request.POST.get("pengantar_tanggal", "")}
        if request.method == "POST"
        else {
            "nomor": usulan.pengantar_nomor,
            "tanggal": usulan.pengantar_tanggal.isoformat() if usulan.pengantar_tanggal else "",
        }
    )
    if Role.PPK in request.user.roles and usulan.jf.periksa_peraturan:
        # What the JF page asks to check before an SK is issued reaches the PPK who issues it.
        context |= {"periksa_jf": [usulan.jf], "periksa_dengan_nama": True}
    # A refusal already lists what is missing: the page does not repeat it in a second box.
    context["ada_penolakan"] = any(m.level == messages.ERROR for m in messages.get_messages(request))
    from apps.surat.selectors import surat_untuk

    # The letters of this usulan the user may open (rekomendasi, SK, PAK, berita acara).
    # Letters exist only once the sidang has decided (berita acara, rekomendasi, SK): no query before.
    bersurat = {Status.LULUS, Status.TIDAK_LULUS, Status.DIREKOMENDASIKAN, Status.SK_TERBIT}
    context["surat_list"] = (
        list(surat_untuk(request.user).filter(baris__usulan=usulan).distinct().order_by("tanggal", "id"))
        if usulan.status in bersurat
        else []
    )
    if usulan.status == Status.SK_TERBIT and context["surat_list"]:
        from apps.surat.selectors import koreksi_menunggu_ttd

        menunggu = koreksi_menunggu_ttd(context["surat_list"])
        context["koreksi_menunggu"] = [
            {"surat": s, **menunggu[s.pk]} for s in context["surat_list"] if s.pk in menunggu
        ]
    return render(request, "pengusulan/usulan_detail.html", context)


def _transition(request, pk: int, service, done: str):
    _require_pic(request.user)
    usulan = get_object_or_404(selectors.usulan_list(), pk=pk)
    with penolakan(request):
        service(actor=request.user, usulan=usulan, ip_address=client_ip(request))
        messages.success(request, done)
    return redirect("pengusulan:usulan_detail", pk=usulan.pk)


@login_required
@require_POST
def usulan_ajukan(request, pk: int):
    """Submit: the first submission carries the PPK's surat pengantar (nomor, tanggal).

    The step is shown first ("Periksa sebelum mengajukan", ``apps.core.konfirmasi``): a POST
    without the confirmation flag only tries it (a refusal is shown as always) and answers with
    the summary; "Kembali dan ubah" returns to the usulan page with the typed surat pengantar."""
    _require_pic(request.user)
    usulan = get_object_or_404(selectors.usulan_list(), pk=pk)
    if konfirmasi.diubah(request):
        return _usulan_page(request, usulan.pk)
    nomor = request.POST.get("pengantar_nomor", "").strip()
    tanggal = None
    with penolakan(request):
        # A draft needs the surat pengantar: the service checks it with everything else, so a
        # refusal is one list of what is missing (the API takes the same rule).
        kwargs = services.pengantar_ajukan(usulan, nomor=nomor, tanggal=request.POST.get("pengantar_tanggal", ""))
        tanggal = kwargs.get("pengantar_tanggal")

        def ajukan():
            return services.usulan_ajukan(actor=request.user, usulan=usulan, ip_address=client_ip(request), **kwargs)

        if not konfirmasi.dikonfirmasi(request):
            konfirmasi.uji_coba(ajukan)
            return _konfirmasi_ajukan(request, usulan, nomor=nomor, tanggal=tanggal)
        ajukan()
        messages.success(request, _("Usulan telah diajukan ke instansi pembina."))
        return redirect("pengusulan:usulan_detail", pk=usulan.pk)
    # Refused: the usulan page again, with the reasons and the surat pengantar as typed (a
    # redirect would show the stored, empty one and the PIC would type it all again).
    return _usulan_page(request, usulan.pk)


def _konfirmasi_ajukan(request, usulan, *, nomor: str, tanggal):
    """The summary before the usulan goes to the instansi pembina."""
    from apps.core.format import tgl

    ulang = usulan.status == Status.PERBAIKAN
    berkas = selectors.berkas_usulan(usulan)
    jumlah = sum(1 for p in berkas.persyaratan_usulan if berkas.versi.get(p.pk))
    ringkasan = [
        (_("Pegawai"), f"{usulan.pegawai.nama} (NIP {usulan.pegawai.nip})"),
        (_("Jabatan fungsional tujuan"), f"{usulan.jf.nama} {usulan.jenjang.nama if usulan.jenjang_id else ''}"),
        (_("Dikirim kepada"), usulan.jf.instansi_pembina.nama if usulan.jf.instansi_pembina_id else ""),
        (
            _("Surat pengantar PPK"),
            _("%(nomor)s tanggal %(tanggal)s")
            % {"nomor": nomor or usulan.pengantar_nomor, "tanggal": tgl(tanggal or usulan.pengantar_tanggal)}
            if nomor or usulan.pengantar_nomor
            else "",
        ),
        (_("Dokumen portofolio"), _("%(n)d dokumen") % {"n": jumlah}),
    ]
    peringatan = ""
    akibat = [
        _("Usulan dan dokumennya dikirim ke instansi pembina; verifikator diberi tahu."),
        _("Data pegawai dan dokumen tidak dapat diubah lagi, kecuali usulan dikembalikan untuk perbaikan."),
    ]
    if ulang:
        berubah = selectors.perubahan_sejak_dikembalikan(usulan)
        ringkasan.append((_("Diubah sejak dikembalikan"), ", ".join(berubah) or _("tidak ada")))
        if not berubah:
            peringatan = _(
                "Tidak ada dokumen atau data pegawai yang diubah sejak usulan dikembalikan untuk perbaikan. "
                "Usulan akan dicatat diajukan ulang tanpa perubahan, dan verifikator melihatnya."
            )
    elif not usulan.kenaikan_jenjang:  # a kenaikan jenjang uses no formasi
        akibat.append(_("Satu formasi %(jf)s dipakai untuk usulan ini.") % {"jf": usulan.jf.nama})
    if not (usulan.pegawai.tempat_lahir or "").strip():
        # The SK and the PAK print "Tempat, tanggal lahir" (domain.md §9) from the data submitted now.
        peringatan = " ".join(
            p
            for p in (
                peringatan,
                _(
                    "Tempat lahir pegawai belum diisi: SK dan PAK akan mencantumkan tanggal lahirnya saja. Lengkapi "
                    "di data pegawai sebelum mengajukan."
                ),
            )
            if p
        )
    return konfirmasi.halaman(
        request,
        judul=_("Periksa sebelum mengajukan ulang") if ulang else _("Periksa sebelum mengajukan"),
        ringkasan=ringkasan,
        akibat=akibat,
        peringatan=peringatan,
        tombol=_("Ya, ajukan ulang") if ulang else _("Ya, ajukan usulan"),
        kembali=reverse("pengusulan:usulan_detail", kwargs={"pk": usulan.pk}),
    )


@login_required
@require_POST
def usulan_batalkan(request, pk: int):
    return _transition(request, pk, services.usulan_batalkan, _("Usulan dibatalkan; formasi kembali tersedia."))


def _unggah(request, *, jf, persyaratan, usulan=None) -> None:
    """Validate the posted file and add it as a new version; report the outcome as a message."""
    form = forms.UnggahForm(request.POST, request.FILES)
    if not form.is_valid():
        if "berkas" in form.errors:
            messages.error(request, _("Pilih berkas yang akan diunggah untuk %(doc)s.") % {"doc": persyaratan.nama})
        for field in ("nomor_surat", "tanggal_surat"):
            for error in form.errors.get(field, []):
                messages.error(request, f"{form.fields[field].label}: {error}")
        return
    dikirim = form.cleaned_data["berkas"].name
    try:
        with penolakan(request):  # a refused upload leaves no row behind, whatever the cause
            dokumen = services.dokumen_upload(
                actor=request.user,
                jf=jf,
                persyaratan=persyaratan,
                upload=form.cleaned_data["berkas"],
                usulan=usulan,
                ip_address=client_ip(request),
                nomor_surat=form.cleaned_data["nomor_surat"],
                tanggal_surat=form.cleaned_data["tanggal_surat"],
            )
            done = {"doc": persyaratan.nama, "v": dokumen.versi, "name": dokumen.nama_asli}
            messages.success(request, _("%(doc)s versi %(v)d diunggah sebagai %(name)s.") % done)
            if dokumen.nama_asli != dikirim:
                messages.warning(
                    request,
                    _("Nama berkas yang dikirim (%(raw)s) memuat bagian folder atau karakter khusus; disimpan "
                      "dengan nama dasarnya: %(name)s.") % {"raw": dikirim, "name": dokumen.nama_asli},
                )  # fmt: skip
    except PenyimpananGagal:
        messages.error(request, PenyimpananGagal.pesan())


@login_required
@require_POST
@batasi("unggah", per_menit="SIAKS_RATE_UNGGAH")
def dokumen_unggah(request, pk: int, persyaratan_pk: int):
    _require_pic(request.user)
    usulan = get_object_or_404(selectors.usulan_list(), pk=pk)
    persyaratan = get_object_or_404(
        PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis), pk=persyaratan_pk
    )
    _unggah(request, jf=usulan.jf, persyaratan=persyaratan, usulan=usulan)
    return redirect(reverse("pengusulan:usulan_detail", kwargs={"pk": usulan.pk}) + "#dokumen")


@login_required
@require_GET
@xframe_options_sameorigin  # the verifier's inline PDF viewer frames it; never other sites
def dokumen_unduh(request, pk: int):
    """Stream a stored document to someone allowed to see it, and record that they did."""
    dokumen = get_object_or_404(selectors.dokumen_untuk(request.user), pk=pk)
    inline = request.GET.get("tampil") == "1"
    audit.record_objek(
        "dokumen.diunduh",
        dokumen,
        actor=request.user,
        ip_address=client_ip(request),
        data={"sha256": dokumen.sha256, "inline": inline},
    )
    return files.serve(
        dokumen.berkas,
        filename=dokumen.nama_asli,
        inline=inline,
        content_type="application/pdf" if dokumen.ekstensi == "pdf" else "application/octet-stream",
    )


# --------------------------------------------------------------------------- formasi


@login_required
def formasi(request, kode: str | None = None):
    _require_instansi_data(request.user)
    jf_list = list(referensi_selectors.jf_list())
    if not jf_list:
        raise Http404
    jf = next((j for j in jf_list if j.kode == kode), None) if kode else jf_list[0]
    if jf is None:
        raise Http404
    form = forms.FormasiForm(request.POST if request.method == "POST" else None, jf=jf)
    if request.method == "POST":
        _require_pic(request.user)
        if form.is_valid():
            with penolakan(request, form=form):
                services.formasi_simpan(actor=request.user, jf=jf, ip_address=client_ip(request), **form.cleaned_data)
                messages.success(request, _("Formasi disimpan."))
                return redirect("pengusulan:formasi_jf", kode=jf.kode)
    versions = selectors.dokumen_instansi_versions(jf)
    context = {
        "jf": jf,
        "jf_list": jf_list,
        "rows": selectors.formasi_overview(jf),
        "form": form,
        "dokumen": [(p, versions.get(p.pk, [])) for p in selectors.persyaratan_instansi(jf)],
        "can_edit": permissions.can_manage_pegawai(request.user),
        "unggah_form": forms.UnggahForm(),
    }
    return render(request, "pengusulan/formasi.html", context)


@login_required
@require_POST
@batasi("unggah", per_menit="SIAKS_RATE_UNGGAH")
def formasi_dokumen_unggah(request, kode: str, persyaratan_pk: int):
    _require_pic(request.user)
    jf = get_object_or_404(JabatanFungsional, kode=kode)
    persyaratan = get_object_or_404(PersyaratanDokumen.objects.filter(jf=jf), pk=persyaratan_pk)
    _unggah(request, jf=jf, persyaratan=persyaratan)
    return redirect("pengusulan:formasi_jf", kode=jf.kode)


# --------------------------------------------------------------------------- bulk import


@login_required
@batasi("unggah", per_menit="SIAKS_RATE_UNGGAH", hanya_post=True)
def impor(request):
    _require_pic(request.user)
    form = forms.ImporForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.pegawai_impor(
            actor=request.user,
            berkas=form.cleaned_data["berkas"],
            jf=form.cleaned_data["jf"],
            ip_address=client_ip(request),
        )
        for pesan in report.berkas:  # the file itself, not a row: on the form's file field
            form.add_error("berkas", pesan)
        if report.imported:
            messages.success(
                request, _("%(n)d baris diimpor sebagai pegawai dan usulan draf.") % {"n": report.imported}
            )
        if report.errors:
            messages.error(
                request, _("%(n)d baris tidak diimpor; lihat alasannya di bawah.") % {"n": report.rows_failed}
            )
    return render(request, "pengusulan/impor.html", {"form": form, "report": report})


@login_required
@require_GET
def impor_templat(request):
    _require_pic(request.user)
    response = HttpResponse(
        xlsx.templat(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pegawai.xlsx"'
    return response
