"""Pages: the approver's and signer's queue, paraf, signing (one or many letters, one
passphrase entry) with progress, and the upload of a copy signed elsewhere."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.audit import client_ip
from apps.core.pesan import penolakan, simpan_masukan
from apps.core.ratelimit import batasi
from apps.surat import selectors
from apps.surat.models import JenisSurat
from apps.ttd import alur as alur_mod
from apps.ttd import services
from apps.ttd.models import BatchTtd, LangkahParaf, TandaTangan
from apps.ttd.penanda import backend_for


def _kembali(request, fallback):
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(fallback)


@login_required
@require_http_methods(["GET", "POST"])
def antrean(request):
    """What waits for me: parafs (one or the selected ones at once), and (for a signing official)
    letters to sign — many at once."""
    if request.method == "POST":
        return _paraf_terpilih(request)
    pejabat = services.pejabat_dari(request.user)
    paraf = services.antrean_paraf(request.user)
    ttd = services.antrean_ttd(request.user) if pejabat else []
    # Letters another instansi holds that name this official (read through ttd:baca only).
    lintas = services.versi_lintas(pejabat, [v.pk for v in ttd])
    # The PAK an SK cites is signed first (seed 004): an SK whose PAK waits in this queue too is
    # signed after it in the same batch; one whose PAK waits for someone else cannot be chosen.
    pak = services.pak_dalam_antrean(ttd)
    for v in ttd:
        v.lintas = v.pk in lintas
        v.menunggu_pak = pak.menunggu.get(v.pk, "")
        v.pak_bersama = v.pk in pak.bersama
    batches = services.batch_terakhir(request.user)
    context = {
        "pejabat": pejabat,
        "butuh_passphrase": bool(pejabat and backend_for(pejabat).butuh_passphrase),
        "paraf_list": paraf,
        # "Paraf terpilih" only when a listed letter can be parafed (its signer may not paraf it).
        "bisa_paraf_terpilih": any(not getattr(v, "penanda_sendiri", "") for v in paraf),
        "ttd_list": ttd,
        "batches": batches,
        "bisa_atur_alur": bool(alur_mod.jenis_untuk(request.user)),
    }
    return render(request, "ttd/antrean.html", context)


def _paraf_terpilih(request):
    """ "Paraf terpilih": the paraf on each selected version (:func:`services.paraf_banyak`, as
    the API's batch), reported per letter (given, or refused with the reason); one letter's
    refusal stops no other."""
    from django.utils.translation import ngettext

    ids: list[int] = []
    for raw in request.POST.getlist("versi"):
        try:
            i = int(raw)
        except (TypeError, ValueError):
            continue
        if 0 < i < 2**31 and i not in ids:
            ids.append(i)
    ids = ids[: services.MAKS_BATCH]
    if not ids:
        messages.error(request, _("Pilih surat yang akan diparaf."))
        return redirect("ttd:antrean")
    hasil = services.paraf_banyak(actor=request.user, versi_ids=ids, ip_address=client_ip(request))
    diberikan = [h.nomor for h in hasil if h.diberikan]
    ditolak = [
        (_("%(n)s: %(a)s") % {"n": h.nomor, "a": h.alasan}) if h.ditemukan else h.alasan
        for h in hasil
        if not h.diberikan
    ]
    if diberikan:
        messages.success(
            request,
            ngettext("Paraf diberikan pada %(k)d surat: %(n)s.", "Paraf diberikan pada %(k)d surat: %(n)s.",
                     len(diberikan)) % {"k": len(diberikan), "n": ", ".join(diberikan)},
        )  # fmt: skip
    if ditolak:
        messages.error(request, "\n".join(dict.fromkeys(ditolak)), extra_tags="daftar")
    return redirect("ttd:antrean")


@login_required
@require_POST
def paraf(request, pk: int):
    from contextlib import nullcontext

    from apps.core import tenancy
    from apps.surat.models import VersiSurat

    # The letters one sees, and those one's instansi issued for another instansi whose chain
    # names one (a Tim Penilai AK's PAK/HAPAK filed under the holder's instansi).
    lintas = not selectors.versi_untuk(request.user).filter(pk=pk).exists()
    if lintas and pk not in services.versi_paraf_lintas(request.user, [pk]):
        raise Http404
    with tenancy.all_tenants(reason=services.LINTAS_PARAF) if lintas else nullcontext():
        versi = get_object_or_404(VersiSurat.objects.select_related("surat"), pk=pk)
        with penolakan(request) as hasil:
            services.paraf_beri(actor=request.user, versi=versi, ip_address=client_ip(request))
            messages.success(request, _("Paraf diberikan pada %(n)s.") % {"n": versi.surat.nomor})
    if hasil.ditolak and not versi.terkini:
        # A version superseded since the page was loaded: open the letter at its version in force
        # (its card carries the paraf button); a letter another instansi holds, the queue.
        return redirect("ttd:antrean") if lintas else redirect("surat:detail", pk=versi.surat_id)
    return _kembali(request, "ttd:antrean")


@login_required
@require_POST
@batasi("ttd", per_menit=20)
def tandatangani(request):
    """Sign the chosen letters. The passphrase (BSrE) is read from the POST body only and passed
    on to the encrypted short-lived store; it is never echoed back or logged."""
    ids = [int(x) for x in request.POST.getlist("versi") if x.isdigit()]
    visible = services.versi_boleh_ttd(request.user, ids)
    if ids and visible != set(ids):
        raise Http404
    with penolakan(request):
        batch = services.minta_tandatangan(
            actor=request.user, versi_ids=ids, passphrase=request.POST.get("passphrase", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        # An acknowledgement, not a result: the batch page shows what succeeded and what failed.
        dikirim = len(ids) - len(batch.dilewati)
        messages.info(request, _("Permintaan tanda tangan %(n)d surat dikirim.") % {"n": dikirim})
        if batch.dilewati:
            messages.warning(
                request,
                _("%(d)d surat dilewati (alasannya di tabel hasil): %(a)s")
                % {"d": len(batch.dilewati), "a": " ".join(d["alasan"] for d in batch.dilewati[:3])},
            )
        return redirect("ttd:batch", pk=batch.pk)
    return _kembali(request, "ttd:antrean")


@login_required
def batch(request, pk):
    b = get_object_or_404(BatchTtd.objects.filter(dibuat_oleh=request.user), pk=pk)
    items = services.item_batch(b)
    context = {"batch": b, "progress": services.progress(b), "items": items, "dilewati": services.dilewati_batch(b)}
    if request.headers.get("HX-Request"):
        return render(request, "ttd/_batch.html", context)
    return render(request, "ttd/batch.html", context)


@login_required
@require_POST
@batasi("unggah", per_menit="SIAKS_RATE_UNGGAH")
def unggah(request, pk: int):
    versi = get_object_or_404(selectors.versi_untuk(request.user).select_related("surat"), pk=pk)
    upload = request.FILES.get("berkas")
    if upload is None:
        messages.error(request, _("Pilih berkas PDF salinan yang telah ditandatangani."))
        simpan_masukan(request, f"alasan-ttd-{versi.pk}", request.POST.get("alasan", ""))
        return redirect("surat:detail", pk=versi.surat_id)
    with penolakan(request) as hasil:
        tt = services.unggah_salinan(
            actor=request.user, versi=versi, upload=upload, alasan_manual=request.POST.get("alasan", ""),
            ip_address=client_ip(request),
        )  # fmt: skip
        if tt.cara == TandaTangan.Cara.UNGGAH:
            messages.success(request, _("Salinan bertanda tangan elektronik tervalidasi dan disimpan."))
        else:
            messages.success(request, _("Salinan bertanda tangan basah diunggah; alasannya tercatat."))
    if hasil.ditolak:  # the reason typed for a scan is shown again with the refusal
        simpan_masukan(request, f"alasan-ttd-{versi.pk}", request.POST.get("alasan", ""))
    return redirect("surat:detail", pk=versi.surat_id)


# --------------------------------------------------------------------------- alur paraf (issuer's admin)


@login_required
def alur_daftar(request):
    """The issuer's paraf chains per letter type; "Atur" opens (or first makes) one."""
    jenis = alur_mod.jenis_untuk(request.user)
    if not jenis:
        raise PermissionDenied
    if request.method == "POST":
        pilihan = request.POST.get("jenis", "")
        if pilihan not in jenis:
            messages.error(request, _("Pilih jenis surat yang alur parafnya Anda atur."))
            return redirect("ttd:alur")
        with penolakan(request):
            alur = alur_mod.alur_buka(actor=request.user, jenis=pilihan)
            return redirect("ttd:alur_ubah", pk=alur.pk)
        return redirect("ttd:alur")
    ada = {
        a.jenis: a
        for a in alur_mod.alur_untuk(request.user).select_related("penanda", "diubah_oleh").prefetch_related(
            Prefetch("langkah", queryset=LangkahParaf.objects.select_related("user").order_by("urutan"))
        )
    }  # fmt: skip
    label = dict(JenisSurat.choices)
    baris = [{"jenis": j, "label": label[j], "alur": ada.get(j),
              "penanda_dari_surat": j in alur_mod.JENIS_PENANDA_DARI_SURAT} for j in jenis]  # fmt: skip
    context = {"baris": baris, "pejabat": list(alur_mod.calon_penanda(request.user.instansi.pk))}
    return render(request, "ttd/alur_daftar.html", context)


@login_required
def alur_ubah(request, pk: int):
    """The ordered approvers of one letter type and its signer; audited."""
    from apps.ttd.forms import AlurForm

    alur = get_object_or_404(alur_mod.alur_untuk(request.user), pk=pk)
    form = AlurForm(request.POST if request.method == "POST" else None, alur=alur)
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            alur_mod.alur_simpan(
                actor=request.user, alur=alur, langkah=form.langkah(), penanda=form.cleaned_data.get("penanda"),
                ip_address=client_ip(request),
            )  # fmt: skip
            pesan = _(
                "Alur paraf %(j)s disimpan. Berlaku untuk surat yang diterbitkan atau diperbaiki sesudah ini; surat "
                "yang sudah terbit tetap melalui alur paraf saat diterbitkan."
            )
            messages.success(request, pesan % {"j": alur.get_jenis_display()})
            return redirect("ttd:alur")
    context = {
        "alur": alur,
        "form": form,
        "penanda_dari_surat": alur.jenis in alur_mod.JENIS_PENANDA_DARI_SURAT,
        "ada_pejabat": alur_mod.calon_penanda(alur.instansi_id).exists(),
    }
    return render(request, "ttd/alur_ubah.html", context)


@login_required
def baca(request, pk: int):
    """The PDF of a letter to sign, for the official it names — also when another instansi holds
    it (a provincial team's PAK of a kabupaten holder: ``services.versi_lintas``)."""
    from apps.core import audit, files, tenancy
    from apps.surat.models import VersiSurat

    if pk not in services.versi_boleh_ttd(request.user, [pk]):
        raise Http404
    with tenancy.all_tenants(reason=services.LINTAS):
        versi = VersiSurat.objects.select_related("surat").get(pk=pk)
        if not versi.siap:
            raise Http404
        audit.record(
            "surat.diunduh", actor=request.user, instansi=versi.instansi_id, jf=versi.jf_id, obj=versi.surat,
            ip_address=client_ip(request), data={"versi": versi.versi, "sha256": versi.sha256},
        )  # fmt: skip
        name = f"{versi.surat.label_jenis()} {versi.surat.nomor} v{versi.versi}.pdf".replace("/", "-")
        return files.serve(versi.berkas, filename=name, inline=True)


# --------------------------------------------------------------------------- pejabat penanda tangan


@login_required
def pejabat_daftar(request):
    """The instansi's signing officials (its PIC's or the pembina's admin's register)."""
    from apps.ttd import pejabat as pejabat_mod

    if not pejabat_mod.boleh_kelola(request.user):
        raise PermissionDenied
    daftar = list(pejabat_mod.pejabat_untuk(request.user).select_related("user").order_by("-aktif", "nama"))
    return render(request, "ttd/pejabat_daftar.html", {"pejabat_list": daftar})


@login_required
def pejabat_form(request, pk: int | None = None):
    """Register an official, or edit one (404 for another instansi's)."""
    from apps.ttd import pejabat as pejabat_mod
    from apps.ttd.forms import PejabatForm

    if not pejabat_mod.boleh_kelola(request.user):
        raise PermissionDenied
    obj = get_object_or_404(pejabat_mod.pejabat_untuk(request.user), pk=pk) if pk is not None else None
    form = PejabatForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None,
        instansi_id=request.user.instansi.pk, pejabat=obj,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            p = pejabat_mod.pejabat_simpan(
                actor=request.user, data=form.data_pejabat(), pejabat=obj, p12=form.p12_bytes,
                passphrase_berkas=form.cleaned_data.get("passphrase_berkas") or "",
                sertifikat=form.sertifikat_bytes, ip_address=client_ip(request),
            )  # fmt: skip
            pesan = _("Pejabat penanda tangan %(n)s didaftarkan.") if obj is None else _("Perubahan %(n)s disimpan.")
            messages.success(request, pesan % {"n": p.nama})
            for peringatan in getattr(p, "peringatan", ()):
                messages.warning(request, peringatan)
            return redirect("ttd:pejabat")
    context = {"form": form, "pejabat": obj}
    return render(request, "ttd/pejabat_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def pejabat_aktif(request, pk: int):
    """Reactivate an official (POST), or deactivate one: a GET (or a POST without ``konfirmasi``)
    shows what deactivating leaves behind — the letters waiting for their signature, the paraf
    chains naming them as signer — and changes nothing; the POST from that page deactivates."""
    from apps.ttd import pejabat as pejabat_mod

    if not pejabat_mod.boleh_kelola(request.user):
        raise PermissionDenied
    obj = get_object_or_404(pejabat_mod.pejabat_untuk(request.user), pk=pk)
    aktif = request.POST.get("aktif") == "1"
    if request.method == "GET" or (not aktif and request.POST.get("konfirmasi") != "1"):
        if not obj.aktif:
            messages.info(request, _("%(n)s sudah nonaktif.") % {"n": obj.nama})
            return redirect("ttd:pejabat")
        context = {"pejabat": obj, **pejabat_mod.akibat_nonaktif(obj)}
        return render(request, "ttd/pejabat_nonaktif.html", context)
    with penolakan(request):
        pejabat_mod.pejabat_aktifkan(actor=request.user, pejabat=obj, aktif=aktif, ip_address=client_ip(request))
        pesan = _("%(n)s diaktifkan kembali.") if aktif else _("%(n)s dinonaktifkan; tidak lagi menandatangani surat.")
        messages.success(request, pesan % {"n": obj.nama})
    return redirect("ttd:pejabat")
