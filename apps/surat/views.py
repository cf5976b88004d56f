"""Letter pages: lists, detail with rendering status, downloads, corrections, the PPK's SK
journey, the admin pembina's rekomendasi issuance, and the public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import STAF_PEMBINA, Role
from apps.accounts.permissions import has_role
from apps.core import audit, files, konfirmasi, tenancy
from apps.core.audit import client_ip
from apps.core.models import Instansi
from apps.core.pesan import ambil_masukan, penolakan, simpan_masukan
from apps.core.ratelimit import batasi
from apps.pengusulan.domain import Status
from apps.pengusulan.selectors import AK_RELATED
from apps.referensi.models import JabatanFungsional
from apps.surat import permissions, selectors, services
from apps.surat.forms import CocokkanForm, KoreksiForm, PengaturanForm, RekomendasiForm, SKForm
from apps.surat.models import SERI_LABELS, JenisSurat, Surat, SuratUsulan, VersiSurat
from apps.surat.penomoran import pola_for


def _initial_penandatangan(user, jenis: list[str]) -> dict:
    """The signer configured for these letter types on the alur paraf page (apps.ttd), else the
    signing official of the issuer's last letter of these types (remembered, not retyped)."""
    from apps.ttd.alur import penanda_bawaan

    pejabat = penanda_bawaan(user.instansi.pk, jenis) if user.instansi else None
    if pejabat is not None:
        return {
            "pejabat": pejabat.pk,
            "penandatangan_nama": pejabat.nama,
            "penandatangan_jabatan": pejabat.jabatan,
            "penandatangan_nip": pejabat.nip,
        }
    last = (
        Surat.objects.filter(penerbit_id=user.instansi.pk, jenis__in=jenis).order_by("-created_at").first()
        if user.instansi
        else None
    )
    if last is None:
        return {}
    return {
        "penandatangan_nama": last.penandatangan_nama,
        "penandatangan_jabatan": last.penandatangan_jabatan,
        "penandatangan_nip": last.penandatangan_nip,
    }


# --------------------------------------------------------------------------- lists and detail


@login_required
def daftar(request):
    g = request.GET
    qs = selectors.daftar(request.user, jenis=g.get("jenis", ""), instansi=g.get("instansi", ""), q=g.get("q", ""))
    page = Paginator(qs, 50).get_page(g.get("page"))
    terkini = selectors.versi_terkini(s.pk for s in page)
    status = _status_ttd(page, terkini)
    for s in page:
        s.terkini = terkini.get(s.pk)
        s.status_ttd = status.get(s.pk)
        s.pemegang = ""
        if not s.jumlah_pegawai and s.pejabat_id:
            # One holder's PAK, HAPAK or SK (no lampiran rows): the holder, as the letter names them.
            s.jumlah_pegawai = 1
            s.pemegang = ((s.terkini.isi if s.terkini else {}).get("pejabat") or {}).get("nama", "")
    context = {
        "page": page,
        "jenis_choices": JenisSurat.choices,
        "filters": {k: g.get(k, "") for k in ("jenis", "instansi", "q")},
        "bisa_pengaturan": has_role(request.user, Role.PPK, Role.ADMIN_PEMBINA),
        "bisa_ttd": _punya_tugas_ttd(request.user),
    }
    return render(request, "surat/daftar.html", context)


def _punya_tugas_ttd(user) -> bool:
    """The "Paraf & TTE" link as the menu offers it: only to approvers and signing officials."""
    from apps.ttd.services import punya_tugas_ttd

    return punya_tugas_ttd(user)


def _status_ttd(surat_list, terkini: dict) -> dict:
    """Per letter, how its version in force stands signed (electronically, scan uploaded, waiting
    for a paraf or a signature), for the letter lists: ``{surat id: StatusTtd}``, in a fixed number
    of queries (apps.ttd.ringkasan)."""
    from apps.ttd.ringkasan import status_versi

    versi = []
    for s in surat_list:
        v = terkini.get(s.pk)
        if v is not None:
            v.surat = s
            versi.append(v)
    hasil = status_versi(versi)
    return {v.surat_id: hasil[v.pk] for v in versi}


def _surat_or_404(user, pk: int) -> Surat:
    return get_object_or_404(
        selectors.surat_untuk(user).select_related("penerbit", "instansi", "jf", "rekomendasi", "sidang"), pk=pk
    )


@login_required
def detail(request, pk: int):
    surat = _surat_or_404(request.user, pk)
    versi = list(surat.versi_set.select_related("dibuat_oleh", "ttd_oleh").order_by("-versi"))
    baris = list(
        SuratUsulan.objects.filter(surat=surat).select_related("usulan", "usulan__jenjang").order_by("urutan", "id")
    )
    bisa_kelola = permissions.dapat_mengelola(request.user, surat)
    # A refused correction: its input, shown again (once) in the form it was typed in.
    koreksi_masukan = request.session.pop(_MASUKAN_KOREKSI % surat.pk, None) if bisa_kelola else None
    koreksi_ditolak = ""
    if bisa_kelola and surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
        from apps.penetapan import koreksi  # a PAK the PYB set is not the sekretariat's to change

        koreksi_ditolak = koreksi.alasan_tolak(request.user, surat)
    context = {
        "surat": surat,
        "versi_list": versi,
        "terkini": next((v for v in versi if v.terkini), None),
        "baris": baris,
        "bisa_kelola": bisa_kelola,
        "bisa_ttd": bisa_kelola and surat.jenis in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF),
        "koreksi_form": (
            KoreksiForm(initial=dict(koreksi_masukan or {}), surat=surat)
            if bisa_kelola and not koreksi_ditolak
            else None
        ),
        "koreksi_masukan": bool(koreksi_masukan),
        "koreksi_ditolak": koreksi_ditolak,
        # The holder the letter is about gets the signed copy only; the issued PDF from before the
        # signature is the staff's archive (surat/_status.html).
        "pemegang": request.user.roles == {tenancy.ROLE_PEJABAT},
        "turunan": list(surat.sk_turunan.all()) if surat.jenis == JenisSurat.REKOMENDASI else [],
        # A rekomendasi whose AK a later row change contradicts: its SK waits for a corrected version.
        "ak_beda": (
            services.ak_beda_rekomendasi([b.usulan for b in baris if b.direkomendasikan])
            if surat.jenis == JenisSurat.REKOMENDASI
            else []
        ),
    }
    if surat.jenis in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI):
        # A berita acara is signed by the people it names (the ketua and members present; the
        # verifiers who decided), not by the letter's configured official: the card names the same
        # signers as the PDF and the signature check (apps.ttd.validasi.harapan_untuk).
        from apps.ttd.validasi import harapan_untuk

        context["penanda_list"] = harapan_untuk(surat)
    if request.headers.get("HX-Request") and request.GET.get("bagian") == "status":
        terkini = context["terkini"]
        if terkini is None or terkini.status in (VersiSurat.Status.SELESAI, VersiSurat.Status.GAGAL):
            # Rendering finished: reload the whole page (versions, signed-copy card, actions).
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "surat/_status.html", context)
    terkini = context["terkini"]
    # A correction of an SK whose earlier version was signed: the usulan stay "SK terbit", the
    # version in force awaits its signature (the pages say so plainly).
    context["koreksi_menunggu"] = selectors.koreksi_menunggu_ttd([surat]).get(surat.pk)
    context["usulan_sk_terbit"] = any(b.usulan.status == Status.SK_TERBIT for b in baris)
    if context["bisa_ttd"] and terkini is not None and terkini.siap and not terkini.ttd_berkas:
        from apps.ttd.services import alasan_belum_unggah  # the paraf chain comes before any upload

        context["belum_unggah"] = alasan_belum_unggah(terkini)
    if context["terkini"] is not None and context["bisa_ttd"]:  # the reason of a refused upload, kept
        context["alasan_ttd"] = ambil_masukan(request, f"alasan-ttd-{context['terkini'].pk}")
    return render(request, "surat/detail.html", context)


@login_required
@require_GET
def unduh(request, pk: int):
    versi = get_object_or_404(selectors.versi_untuk(request.user).select_related("surat"), pk=pk)
    if not versi.siap:
        raise Http404(_("Surat masih diproses."))
    from apps.jabatan.selectors_saya import boleh_unduh_terbit

    if not boleh_unduh_terbit(request.user, versi):  # the holder gets their PAK/HAPAK once signed
        messages.error(
            request,
            _("%(j)s %(n)s belum ditandatangani %(p)s; dapat diunduh setelah ditandatangani.")
            % {"j": versi.surat.label_jenis(), "n": versi.surat.nomor, "p": versi.surat.penandatangan_nama},
        )
        return redirect("saya:beranda")
    audit.record(
        "surat.diunduh", actor=request.user, instansi=versi.instansi_id, jf=versi.jf_id, obj=versi.surat,
        ip_address=client_ip(request), data={"versi": versi.versi, "sha256": versi.sha256},
    )  # fmt: skip
    name = f"{versi.surat.label_jenis()} {versi.surat.nomor} v{versi.versi}.pdf".replace("/", "-")
    return files.serve(versi.berkas, filename=name, inline=request.GET.get("tampil") == "1")


@login_required
@require_GET
def unduh_ttd(request, pk: int):
    versi = get_object_or_404(selectors.versi_untuk(request.user).select_related("surat"), pk=pk)
    if not versi.ttd_berkas:
        raise Http404
    audit.record(
        "surat.ttd_diunduh", actor=request.user, instansi=versi.instansi_id, jf=versi.jf_id, obj=versi.surat,
        ip_address=client_ip(request), data={"versi": versi.versi, "sha256": versi.ttd_sha256},
    )  # fmt: skip
    return files.serve(
        versi.ttd_berkas, filename=versi.ttd_nama_asli or "sk-ttd.pdf", inline=request.GET.get("tampil") == "1"
    )


@login_required
@require_POST
@batasi("unggah", per_menit="SIAKS_RATE_UNGGAH")
def ttd(request, pk: int):
    versi = get_object_or_404(selectors.versi_untuk(request.user), pk=pk)
    upload = request.FILES.get("berkas")
    if upload is None:
        messages.error(request, _("Pilih berkas PDF salinan SK yang telah ditandatangani."))
        simpan_masukan(request, f"alasan-ttd-{versi.pk}", request.POST.get("alasan", ""))
        return redirect("surat:detail", pk=versi.surat_id)
    with penolakan(request) as hasil:
        # Validated (electronic) or with the reason for a wet-ink scan: apps.ttd decides.
        from apps.ttd.services import unggah_salinan

        tt = unggah_salinan(
            actor=request.user, versi=versi, upload=upload, alasan_manual=request.POST.get("alasan", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        for catatan in tt.catatan:
            messages.warning(request, catatan)
        messages.success(
            request,
            _("Salinan bertanda tangan diunggah. Status usulan: SK terbit.")
            if versi.surat.jenis in selectors.JENIS_SK
            else _("Salinan bertanda tangan diunggah."),
        )
    if hasil.ditolak:  # the reason typed for a scan is shown again with the refusal
        simpan_masukan(request, f"alasan-ttd-{versi.pk}", request.POST.get("alasan", ""))
    return redirect("surat:detail", pk=versi.surat_id)


@login_required
@require_POST
def koreksi(request, pk: int):
    surat = _surat_or_404(request.user, pk)
    if not permissions.dapat_mengelola(request.user, surat):
        raise PermissionDenied
    form = KoreksiForm(request.POST, surat=surat)
    ditolak = not form.is_valid()
    if not ditolak:
        with penolakan(request) as hasil:
            v = services.surat_koreksi(
                actor=request.user, surat=surat, alasan=form.cleaned_data["alasan"], perubahan=form.perubahan(),
                ip_address=client_ip(request),
            )  # fmt: skip
            messages.success(
                request, _("Versi %(v)d sedang dibuat; versi sebelumnya ditandai digantikan.") % {"v": v.versi}
            )
            from apps.ttd.services import peringatan_penanda_surat

            if peringatan := peringatan_penanda_surat(v.surat):
                messages.warning(request, peringatan)
        ditolak = hasil.ditolak
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    if ditolak:  # the page it returns to shows the form again as the user filled it, opened
        request.session[_MASUKAN_KOREKSI % surat.pk] = {
            name: request.POST.get(name, "")[:5000] for name in form.fields if name in request.POST
        }
    return redirect("surat:detail", pk=surat.pk)


#: Where a refused correction's input waits for the letter's page (read once, :func:`detail`).
_MASUKAN_KOREKSI = "masukan:koreksi-%d"


@login_required
@require_POST
def ulangi(request, pk: int):
    versi = get_object_or_404(selectors.versi_untuk(request.user), pk=pk)
    with penolakan(request):
        services.versi_ulangi(actor=request.user, versi=versi)
        messages.success(request, _("Pembuatan surat diulang."))
    return redirect("surat:detail", pk=versi.surat_id)


@login_required
def batch(request, batch):
    progress = selectors.progress(request.user, batch)
    if not progress["total"]:
        raise Http404
    from apps.ttd.ringkasan import anotasi, status_versi

    versi = list(
        anotasi(selectors.versi_untuk(request.user).filter(batch=batch))
        .select_related("surat", "surat__instansi")
        .order_by("id")
    )
    # The AK of each pegawai of a rekomendasi (table value + AK Dasar = total, issue 13 §1), read
    # for every letter of the batch in one query.
    rincian: dict[int, list] = {}
    baris = (
        SuratUsulan.objects.filter(
            surat_id__in=[v.surat_id for v in versi], jenis=JenisSurat.REKOMENDASI, direkomendasikan=True
        )
        .select_related("usulan__ak_tabel_ref", "usulan__ak_dasar_ref")
        .order_by("surat_id", "urutan", "id")
        if any(v.surat.jenis == JenisSurat.REKOMENDASI for v in versi)
        else []
    )
    for b in baris:
        rincian.setdefault(b.surat_id, []).append(b.usulan)
    status = status_versi(versi)
    for v in versi:
        v.pegawai_ak = rincian.get(v.surat_id, [])
        v.status_ttd = status.get(v.pk)
    context = {"batch": batch, "progress": progress, "versi_list": versi}
    if request.headers.get("HX-Request"):
        return render(request, "surat/_batch.html", context)
    return render(request, "surat/batch.html", context)


# --------------------------------------------------------------------------- PPK


@login_required
def ppk(request):
    """The PPK's inbox: rekomendasi received, usulan waiting for an SK, SKs waiting for the signed copy."""
    if not has_role(request.user, Role.PPK):
        raise PermissionDenied
    instansi = request.user.instansi
    menunggu = list(
        selectors.menunggu_sk(instansi.pk)
        .select_related("jf", "jenjang", *AK_RELATED)
        .order_by("jf__nama", "pegawai_nama", "id")
    )
    rekomendasi_of = dict(
        SuratUsulan.objects.filter(usulan__in=menunggu, jenis=JenisSurat.REKOMENDASI).values_list(
            "usulan_id", "surat__nomor"
        )
    )
    for u in menunggu:
        u.rekomendasi_nomor = rekomendasi_of.get(u.pk, "")
    rekomendasi = list(
        Surat.objects.filter(instansi=instansi, jenis=JenisSurat.REKOMENDASI)
        .select_related("penerbit", "jf")
        .annotate(jumlah=Count("baris", filter=Q(baris__direkomendasikan=True)))
        .order_by("-tanggal", "-id")[:100]
    )
    sk_ids = Surat.objects.filter(instansi=instansi, jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]).values("pk")
    from apps.ttd.ringkasan import anotasi, status_versi

    belum_ttd = list(
        anotasi(VersiSurat.objects.filter(surat__in=sk_ids, diganti_at__isnull=True, ttd_berkas=""))
        .select_related("surat")
        .order_by("-created_at")[:100]
    )
    terkini = selectors.versi_terkini(r.pk for r in rekomendasi)
    status = _status_ttd(rekomendasi, terkini)
    for r in rekomendasi:
        r.terkini = terkini.get(r.pk)
        r.status_ttd = status.get(r.pk)
    status_sk = status_versi(belum_ttd)
    # An SK corrected after it was signed: its usulan stay "SK terbit", the correction awaits signing.
    koreksi = selectors.koreksi_menunggu_ttd([v.surat for v in belum_ttd])
    for v in belum_ttd:
        v.status_ttd = status_sk.get(v.pk)
        v.koreksi_dari = koreksi.get(v.surat_id)
    form = SKForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_penandatangan(request.user, ["sk", "sk_kolektif"]),
        penerbit_id=instansi.pk,
    )
    form.fields["ditetapkan_di"].help_text = (
        _("Kosong: %(k)s, kota kedudukan instansi.") % {"k": instansi.kota}
        if instansi.kota
        else _("Kota kedudukan instansi belum diisi (Surat → Pengaturan surat): isi kolom ini.")
    )
    ids = [int(x) for x in request.POST.getlist("usulan") if x.isdigit()]
    if request.method == "POST" and not konfirmasi.diubah(request):
        if not ids:
            messages.error(request, _("Pilih paling sedikit satu usulan."))
        elif form.is_valid():
            d = form.cleaned_data

            def terbitkan():
                return services.sk_terbitkan(
                    actor=request.user, usulan_ids=ids, tanggal=d["tanggal"], tmt=d["tmt"],
                    penandatangan=form.penandatangan(), kolektif=d["kolektif"],
                    ditetapkan_di=d.get("ditetapkan_di", ""),
                    ip_address=client_ip(request),
                )  # fmt: skip

            with penolakan(request, form=form):
                if not konfirmasi.dikonfirmasi(request):
                    rencana = konfirmasi.uji_coba(terbitkan)
                    return _konfirmasi_sk(request, form, [u for u in menunggu if u.pk in ids], rencana)
                issued = terbitkan()
                sk = [s for s in issued if s.jenis != JenisSurat.PAK]
                pak = len(issued) - len(sk)
                if peringatan := _peringatan_penanda(request, form):
                    messages.warning(request, peringatan)
                dipilih = [u for u in menunggu if u.pk in ids]
                pesan = (
                    _("%(n)d SK dan %(p)d PAK diterbitkan; PDF sedang dibuat.")
                    if pak
                    else _("%(n)d SK diterbitkan; PDF sedang dibuat.")
                ) % {"n": len(sk), "p": pak}
                if not pak and any(not u.kenaikan_jenjang for u in dipilih):
                    pesan += " " + _("PAK penyesuaian telah ditandatangani atasan langsung dan ada di dokumen usulan.")
                if any(u.kenaikan_jenjang for u in dipilih):
                    # A kenaikan jenjang has no PAK (it does not change the angka kredit).
                    pesan += " " + _("SK kenaikan jenjang tidak disertai PAK.")
                messages.success(request, pesan)
                return redirect("surat:detail", pk=sk[0].pk) if len(sk) == 1 else redirect("surat:ppk")
    # What issuing makes: a PAK only for a penyesuaian in a JF whose PAK the SK's signer signs.
    dengan_pak = sum(1 for u in menunggu if _terbit_pak(u))
    context_periksa = {
        "periksa_jf": _periksa_jf(menunggu),
        "periksa_dengan_nama": True,
        "periksa_isi": _periksa_isi(menunggu),
        "tanpa_tempat_lahir": _tanpa_tempat_lahir(menunggu),
    }
    context = {
        "menunggu": menunggu,
        "judul_terbit": (
            _("Terbitkan SK dan PAK")
            if dengan_pak and dengan_pak == len(menunggu)
            else _("Terbitkan SK (dan PAK bila jabatan fungsionalnya menetapkan PAK bersama SK)")
            if dengan_pak
            else _("Terbitkan SK")
        ),
        "dengan_pak": dengan_pak,
        # The notes on the PAK name only what applies to the usulan waiting.
        "pak_atasan": any(not u.kenaikan_jenjang and not _terbit_pak(u) for u in menunggu),
        "ada_kenaikan": any(u.kenaikan_jenjang for u in menunggu),
        "rekomendasi": rekomendasi,
        "belum_ttd": belum_ttd,
        # Said before the PPK tries: the SK waits for these rekomendasi to be signed.
        "rekomendasi_belum_ttd": services.masalah_rekomendasi_ttd(menunggu),
        # ... and for a rekomendasi whose AK the table no longer gives (a row changed after it).
        "ak_beda_rekomendasi": services.masalah_ak_rekomendasi(menunggu, untuk=_("SK dan PAK")),
        "form": form,
        "dipilih": set(ids),
        **context_periksa,
    }
    return render(request, "surat/ppk.html", context)


def _periksa_jf(usulan) -> list:
    """The JFs of these usulan whose admin pembina flags a provision still to check before an SK
    is issued (``JabatanFungsional.periksa_peraturan``, shown on the JF page): the PPK reads it
    where the SK is issued, not only on the JF page."""
    return sorted({u.jf for u in usulan if u.jf.periksa_peraturan}, key=lambda jf: jf.nama)


def _periksa_isi(usulan) -> list[dict]:
    """Per JF of these usulan, what the SK and PAK to be issued print that no source confirms (the
    letters carry no internal marks): the PPK reads it here and confirms it on the summary page."""
    out = []
    for jf in sorted({u.jf for u in usulan}, key=lambda jf: jf.nama):
        dengan_pak = any(u.jf_id == jf.pk and _terbit_pak(u) for u in usulan)
        if butir := services.isi_belum_terverifikasi(jf, dengan_pak=dengan_pak):
            out.append({"jf": jf, "butir": butir})
    return out


def _tanpa_tempat_lahir(usulan) -> list:
    """The usulan whose pegawai data (as submitted) has no tempat lahir: the SK and the PAK print the
    birth date alone under "Tempat, tanggal lahir"."""
    return [u for u in usulan if not str((u.data_pegawai or {}).get("tempat_lahir") or "").strip()]


def _peringatan_tempat_lahir(usulan) -> str:
    if not (kosong := _tanpa_tempat_lahir(usulan)):
        return ""
    return _(
        "Tempat lahir belum diisi untuk %(nama)s: SK dan PAK hanya mencantumkan tanggal lahirnya. Bila perlu "
        "dicantumkan, minta PIC melengkapi data pegawai sebelum SK diterbitkan."
    ) % {"nama": ", ".join(f"{u.pegawai_nama} (NIP {u.pegawai_nip})" for u in kosong)}


def _peringatan_jf(usulan) -> str:
    from apps.core.sumber import kutipan

    return " ".join(
        [
            _("JF %(jf)s — belum terverifikasi: %(t)s") % {"jf": jf.nama, "t": kutipan(jf.periksa_peraturan)}
            for jf in _periksa_jf(usulan)
        ]
        + [
            _("JF %(jf)s — isi surat yang belum terverifikasi: %(t)s") % {"jf": p["jf"].nama, "t": " ".join(p["butir"])}
            for p in _periksa_isi(usulan)
        ]
    )


def _terbit_pak(usulan) -> bool:
    """Issuing this usulan's SK issues its PAK too (as services.sk_terbitkan decides: by the rule
    the usulan was submitted under)."""
    return usulan.pak_bersama_sk


def _peringatan_penanda(request, form) -> str:
    """The signer typed is no registered signing official of the issuer: their letters would wait
    in nobody's signing queue (apps.ttd)."""
    from apps.ttd.services import peringatan_penanda

    nama, _jabatan, nip = form.penandatangan()
    return peringatan_penanda(penerbit=request.user.instansi, nama=nama, nip=nip)


def _penandatangan_teks(form, *, jenis: str = "", instansi_nama: str = "") -> str:
    """The signer as the letter will print it: an SK's (and its PAK's) office named with the
    instansi, as ``services.sk_terbitkan`` stores it (fresh-eye walk of issue 13: the confirmation
    showed "Sekretaris Jenderal", the letter "Sekretaris Jenderal Kementerian Perhubungan")."""
    nama, jabatan, nip = services.penandatangan_kantor(jenis, form.penandatangan(), instansi_nama)
    return ", ".join(x for x in (nama, jabatan, f"NIP {nip}" if nip else "") if x)


def _konfirmasi_sk(request, form, usulan, rencana):
    """The summary before the PPK issues the SK (and the PAK)."""
    from apps.core.format import tgl

    d = form.cleaned_data
    jumlah_sk = sum(1 for s in rencana if s.jenis != JenisSurat.PAK)
    return konfirmasi.halaman(
        request,
        judul=_("Periksa sebelum menerbitkan SK"),
        ringkasan=[
            (_("Pegawai"), _("%(n)d orang") % {"n": len(usulan)}),
            (
                _("Surat"),
                _("%(n)d SK dan %(p)d PAK") % {"n": jumlah_sk, "p": len(rencana) - jumlah_sk}
                if len(rencana) > jumlah_sk
                else _("%(n)d SK") % {"n": jumlah_sk},
            ),
            (_("Bentuk SK"), _("satu SK kolektif dengan lampiran") if d["kolektif"] else _("satu SK per pegawai")),
            (_("Tanggal SK"), tgl(d["tanggal"])),
            (_("TMT pengangkatan"), tgl(d["tmt"])),
            (_("Ditetapkan di"), d.get("ditetapkan_di") or request.user.instansi.kota),
            (
                _("Penanda tangan"),
                _penandatangan_teks(form, jenis=JenisSurat.SK, instansi_nama=request.user.instansi.nama),
            ),
        ],
        rincian_judul=_("Pegawai yang diangkat"),
        rincian=[f"{u.pegawai_nama} (NIP {u.pegawai_nip}) — {u.jf.nama} {u.jenjang.nama}" for u in usulan],
        akibat=[
            _("Setiap surat diberi nomor berikutnya dari seri penomoran instansi dan dibuat sebagai PDF."),
            _(
                "Nomor yang sudah terpakai tidak dapat ditarik; kesalahan isi diperbaiki di halaman surat itu "
                "lewat «Perbaiki surat (versi baru, nomor tetap)»."
            ),
            _(
                "Usulan berstatus SK terbit setelah salinan SK yang ditandatangani diunggah atau ditandatangani "
                "secara elektronik."
            ),
        ],
        peringatan=" ".join(
            p
            for p in (
                services.peringatan_tmt_surut(d["tanggal"], d["tmt"]),
                _peringatan_penanda(request, form),
                _peringatan_jf(usulan),
                _peringatan_tempat_lahir(usulan),
            )
            if p
        ),
        tombol=_("Ya, terbitkan SK"),
        kembali=reverse("surat:ppk"),
    )


# --------------------------------------------------------------------------- admin pembina


def _jf_pembina(request, kode: str | None) -> tuple[list, JabatanFungsional]:
    jf_list = list(JabatanFungsional.objects.filter(instansi_pembina_id=request.user.instansi.pk).order_by("nama"))
    if not jf_list:
        raise Http404
    jf = next((j for j in jf_list if j.kode == kode), None) if kode else jf_list[0]
    if jf is None:
        raise Http404
    return jf_list, jf


@login_required
def rekomendasi(request):
    """Issue rekomendasi letters per instansi (one or many at once, with progress)."""
    if not has_role(request.user, Role.ADMIN_PEMBINA):
        raise PermissionDenied
    jf_list, jf = _jf_pembina(request, request.GET.get("jf") or request.POST.get("jf"))
    ready = (
        selectors.siap_rekomendasi([jf.pk])
        .values("instansi_id", "instansi__nama")
        .annotate(
            lulus=Count("id", filter=Q(status=Status.LULUS)),
            # One letter per kind of usulan (apps.surat.services.rekomendasi_terbitkan).
            lulus_kj=Count("id", filter=Q(status=Status.LULUS, jenis="kenaikan_jenjang")),
            tidak_lulus=Count("id", filter=Q(status=Status.TIDAK_LULUS)),
            tms=Count("id", filter=Q(status=Status.TIDAK_MEMENUHI_SYARAT)),
            semua_kj=Count("id", filter=Q(jenis="kenaikan_jenjang")),
            semua=Count("id"),
        )
        .order_by("instansi__nama")
    )
    # Every instansi with a decided usulan not yet in a letter, also when none passed: it is told in
    # writing who does not meet the requirements and why (fresh-eye walk of issue 13).
    rows = list(ready)
    pegawai = list(
        selectors.siap_rekomendasi([jf.pk])
        .filter(status=Status.LULUS)
        .select_related("instansi", "jf", "jenjang", *AK_RELATED)
        .order_by("instansi__nama", "pegawai_nama", "id")
    )
    # Said before the admin tries: a rekomendasi is dated no earlier than the berita acara it rests
    # on (the sidang's and the seleksi administrasi's), per instansi.
    paling_awal = {}
    for ba, usulan_ba in services.berita_acara_dasar(pegawai):
        for u in usulan_ba:
            paling_awal[u.instansi_id] = max(paling_awal.get(u.instansi_id, ba.tanggal), ba.tanggal)
    for r in rows:
        r["tanggal_paling_awal"] = paling_awal.get(r["instansi_id"])
    form = RekomendasiForm(
        request.POST if request.method == "POST" else None,
        initial=_initial_penandatangan(request.user, ["rekomendasi"]),
        penerbit_id=request.user.instansi.pk,
    )
    ids = [int(x) for x in request.POST.getlist("instansi") if x.isdigit()]
    if request.method == "POST" and not konfirmasi.diubah(request) and not form.is_valid():
        # The form's own errors and, with them, what the chosen dossiers would refuse: all at once.
        for masalah in services.rekomendasi_periksa(jf=jf, instansi_ids=ids, tanggal=form.cleaned_data.get("tanggal")):
            form.add_error(None, masalah)
    elif request.method == "POST" and not konfirmasi.diubah(request):

        def terbitkan():
            return services.rekomendasi_terbitkan_massal(
                actor=request.user, jf=jf, instansi_ids=ids, tanggal=form.cleaned_data["tanggal"],
                penandatangan=form.penandatangan(), ip_address=client_ip(request),
            )  # fmt: skip

        with penolakan(request, form=form):
            if not konfirmasi.dikonfirmasi(request):
                konfirmasi.uji_coba(terbitkan)
                return _konfirmasi_rekomendasi(request, form, jf, [r for r in rows if r["instansi_id"] in ids])
            batch_id = terbitkan()
            messages.success(request, _("Rekomendasi untuk %(n)d instansi diterbitkan.") % {"n": len(set(ids))})
            if peringatan := _peringatan_penanda(request, form):
                messages.warning(request, peringatan)
            return redirect("surat:batch", batch=batch_id)
    terbit = list(
        Surat.objects.filter(jf=jf, jenis=JenisSurat.REKOMENDASI).select_related("instansi").order_by("-id")[:50]
    )
    status = _status_ttd(terbit, selectors.versi_terkini(s.pk for s in terbit))
    for s in terbit:
        s.status_ttd = status.get(s.pk)
    context = {
        "jf_list": jf_list,
        "jf": jf,
        "rows": rows,
        "pegawai": pegawai,
        # The AK awal of a penyesuaian only: a kenaikan jenjang has none (its AK is the holder's ledger).
        # Each unverified row named once with its pegawai, and who can confirm it, as the refusal says it.
        "belum_terverifikasi": services.ak_belum_terverifikasi_rinci(pegawai, jf),
        # Said before the admin tries: the rekomendasi waits for these berita acara to be signed.
        "ba_belum_ttd": services.masalah_berita_acara(pegawai),
        # ... and for a new PAK where the AK was recounted after the PAK was attached.
        "pak_usang": services.masalah_pak_unggah_ulang(pegawai, untuk=_("Rekomendasi")),
        # Refused until the verifier issues it: their seleksi result is not in a berita acara seleksi yet.
        "seleksi_belum_ba": services.seleksi_belum_berita_acara(pegawai),
        # Issued rekomendasi of this JF whose AK a later row change contradicts: to be corrected.
        "ak_beda": services.ak_beda_rekomendasi(selectors.direkomendasikan_tanpa_sk([jf.pk])),
        "form": form,
        "terbit": terbit,
        # after "Kembali dan ubah" the instansi the admin had chosen; at first every one
        "dipilih": set(ids) if request.method == "POST" else {r["instansi_id"] for r in rows},
    }
    return render(request, "surat/rekomendasi.html", context)


def _konfirmasi_rekomendasi(request, form, jf, rows):
    """The summary before the admin pembina issues the rekomendasi letters."""
    from apps.core.format import tgl

    lulus = sum(r["lulus"] for r in rows)
    surat = sum((r["semua"] > r["semua_kj"]) + (r["semua_kj"] > 0) for r in rows)
    return konfirmasi.halaman(
        request,
        judul=_("Periksa sebelum menerbitkan rekomendasi"),
        ringkasan=[
            (_("Jabatan fungsional"), jf.nama),
            (
                _("Surat rekomendasi"),
                _("%(n)d surat, satu per instansi dan jenis usulan (penyesuaian, kenaikan jenjang)") % {"n": surat},
            ),
            (_("Pegawai direkomendasikan"), _("%(n)d orang") % {"n": lulus}),
            (_("Tanggal surat"), tgl(form.cleaned_data["tanggal"])),
            (_("Penanda tangan"), _penandatangan_teks(form)),
        ],
        rincian_judul=_("Instansi"),
        rincian=[
            _("%(i)s: %(l)d lulus, %(t)d tidak lulus, %(m)d tidak memenuhi syarat")
            % {"i": r["instansi__nama"], "l": r["lulus"], "t": r["tidak_lulus"], "m": r["tms"]}
            for r in rows
        ],
        akibat=[
            _("Setiap surat diberi nomor berikutnya dari seri penomoran rekomendasi dan dibuat sebagai PDF."),
            _(
                "Usulan yang lulus berstatus Direkomendasikan; PPK setiap instansi diberi tahu dan dapat "
                "menerbitkan SK."
            ),
            _(
                "Nomor yang sudah terpakai tidak dapat ditarik; kesalahan isi diperbaiki di halaman surat itu "
                "lewat «Perbaiki surat (versi baru, nomor tetap)»."
            ),
        ],
        peringatan=_peringatan_penanda(request, form),
        tombol=_("Ya, terbitkan rekomendasi"),
        kembali=reverse("surat:rekomendasi") + f"?jf={jf.kode}",
    )


@login_required
def sk_nasional(request):
    """SK copies per instansi for the JFs the pembina administers (national data)."""
    if not has_role(request.user, *STAF_PEMBINA):
        raise PermissionDenied
    jf_list, jf = _jf_pembina(request, request.GET.get("jf"))
    per_instansi = (
        Surat.objects.filter(jf=jf, jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF])
        .values("instansi_id", "instansi__nama")
        .annotate(
            jumlah_sk=Count("id", distinct=True),
            pegawai=Count("baris", distinct=True),
            ttd=Count(
                "versi_set", filter=Q(versi_set__diganti_at__isnull=True) & ~Q(versi_set__ttd_berkas=""), distinct=True
            ),
        )
        .order_by("instansi__nama")
    )
    instansi_id = request.GET.get("instansi", "")
    sk_list = []
    if instansi_id.isdigit():
        sk_list = list(
            Surat.objects.filter(
                jf=jf, instansi_id=int(instansi_id), jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]
            ).order_by("-tanggal", "-id")
        )
        terkini = selectors.versi_terkini(s.pk for s in sk_list)
        status = _status_ttd(sk_list, terkini)
        for s in sk_list:
            s.terkini = terkini.get(s.pk)
            s.status_ttd = status.get(s.pk)
    context = {
        "jf_list": jf_list,
        "jf": jf,
        "per_instansi": per_instansi,
        "sk_list": sk_list,
        "instansi_id": instansi_id,
    }
    return render(request, "surat/sk_nasional.html", context)


# --------------------------------------------------------------------------- settings


@login_required
def pengaturan(request):
    """Letterhead and number formats of the user's instansi (issuer)."""
    user = request.user
    if not has_role(user, Role.PPK, Role.ADMIN_PEMBINA) or user.instansi is None:
        raise PermissionDenied
    instansi = user.instansi
    seri = (["rekomendasi", "berita_acara", "ba_seleksi"] if has_role(user, Role.ADMIN_PEMBINA) else []) + (
        ["sk", "pak"] if has_role(user, Role.PPK) else []
    )
    initial = {"kop_surat": instansi.kop_surat, "alamat": instansi.alamat, "kota": instansi.kota} | {
        f"pola_{s}": pola_for(instansi.pk, s) for s in seri
    }
    form = PengaturanForm(request.POST if request.method == "POST" else None, initial=initial, seri=seri)
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            # one savepoint: every pattern and the letterhead, or nothing
            for s in seri:
                value = form.cleaned_data[f"pola_{s}"]
                if value != initial[f"pola_{s}"]:
                    services.pola_simpan(actor=user, penerbit=instansi, seri=s, pola=value)
            kop_baru = {f: form.cleaned_data[f].strip() for f in ("kop_surat", "alamat", "kota")}
            diubah = {f: [getattr(instansi, f), v] for f, v in kop_baru.items() if v != getattr(instansi, f)}
            if diubah:
                Instansi.objects.filter(pk=instansi.pk).update(**kop_baru)
                audit.record(
                    "instansi.kop_surat", actor=user, instansi=instansi.pk, obj=instansi,
                    ip_address=client_ip(request), data={"perubahan": diubah},
                    message=_("Kop surat, alamat atau kota kedudukan diubah."),
                )  # fmt: skip
            messages.success(request, _("Pengaturan surat disimpan. Berlaku untuk surat berikutnya."))
            return redirect("surat:pengaturan")
    return render(request, "surat/pengaturan.html", {"form": form, "seri_labels": SERI_LABELS})


# --------------------------------------------------------------------------- public verification


def normalisasi_kode(raw: str) -> str:
    """A code as typed — any case, with or without dashes or spaces, O for 0, I/L for 1 —
    in its printed form ``K7QM-2XPA-9D`` (Crockford base32); "" when it cannot be one."""
    raw = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(raw) != 10 or any(ch not in "0123456789ABCDEFGHJKMNPQRSTVWXYZ" for ch in raw):
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@batasi("verifikasi", per_menit="SIAKS_RATE_VERIFIKASI")
def verifikasi_cari(request):
    """Public page (no login): type the code printed on a letter."""
    diketik = request.GET.get("kode", "").strip()[:40]
    galat = ""
    if diketik:
        kode = normalisasi_kode(diketik)
        if kode:
            with tenancy.all_tenants(reason="public verification of a letter by its printed code"):
                ada = VersiSurat.objects.filter(kode=kode, status=VersiSurat.Status.SELESAI).exists()
            if ada:
                return redirect("surat:verifikasi", kode=kode)
        galat = _kode_tidak_ditemukan(diketik)
    return _halaman_cari(request, diketik, galat)


def _kode_tidak_ditemukan(diketik: str) -> str:
    return _("Kode %(k)s tidak ditemukan. Periksa kembali kode pada surat (10 huruf/angka, misalnya K7QM-2XPA-9D).") % {
        "k": diketik
    }


def _halaman_cari(request, diketik: str, galat: str):
    response = render(
        request, "surat/verifikasi_cari.html", {"diketik": diketik, "galat": galat}, status=404 if galat else 200
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@batasi("verifikasi", per_menit="SIAKS_RATE_VERIFIKASI")
def verifikasi(request, kode: str):
    """Public page (no login) behind the QR code: is this letter genuine, and is this file it?"""
    if normalisasi_kode(kode) and normalisasi_kode(kode) != kode:
        return redirect("surat:verifikasi", kode=normalisasi_kode(kode))  # typed by hand: the printed form
    try:
        versi = selectors.versi_publik(normalisasi_kode(kode) or kode)
    except Http404:  # a code the portal never issued: the search form says so (as /v/?kode=)
        diketik = kode.strip()[:40]
        return _halaman_cari(request, diketik, _kode_tidak_ditemukan(diketik))
    hasil = None
    form = CocokkanForm()
    if request.method == "POST":
        form = CocokkanForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                hasil = selectors.cocokkan(versi, upload)
            except ValidationError as exc:
                form.add_error("berkas", exc)
            else:
                # One verdict with the public API (apps.ttd.publik): identical to which version,
                # signed or not, by whom, and whether that version is still the one in force.
                from apps.ttd.publik import periksa_publik, samarkan

                upload.seek(0)
                with tenancy.all_tenants(reason="public validation of a signed copy of a letter by its code"):
                    hasil["laporan"] = samarkan(periksa_publik(versi, upload.read()))
    response = render(request, "surat/verifikasi.html", {"versi": versi, "form": form, "hasil": hasil})
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
