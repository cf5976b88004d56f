"""The PIC's pages of the holders and their AK ledger, and the pembina's national recap."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts import permissions
from apps.accounts.models import STAF_PEMBINA, Role
from apps.core.audit import client_ip
from apps.core.format import format_ak
from apps.core.pesan import penolakan
from apps.jabatan import forms, selectors, services, xlsx
from apps.jabatan.models import PejabatFungsional
from apps.referensi.models import JabatanFungsional, Jenjang


def _pemegang(user) -> bool:
    """A pejabat fungsional's own login: another holder's record is not found (404), never 403."""
    return permissions.has_role(user, Role.PEJABAT_FUNGSIONAL)


def _boleh_lihat(user) -> None:
    if not (permissions.can_view_instansi_data(user) or permissions.has_role(user, *STAF_PEMBINA)):
        if _pemegang(user):
            raise Http404
        raise PermissionDenied


def _wajib_pic(user) -> None:
    if not permissions.can_manage_pegawai(user):
        if _pemegang(user):
            raise Http404
        raise PermissionDenied


def _angka(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


@login_required
@require_GET
def daftar(request):
    """The instansi's holders per JF and jenjang, with who is due for which step and since when."""
    if not permissions.can_view_instansi_data(request.user):
        if permissions.has_role(request.user, *STAF_PEMBINA):
            return redirect("jabatan:rekap")
        raise PermissionDenied
    jf = JabatanFungsional.objects.filter(pk=_angka(request.GET.get("jf", ""))).first()
    jenjang = Jenjang.objects.filter(pk=_angka(request.GET.get("jenjang", ""))).first()
    status = request.GET.get("status", "")
    qs = selectors.pejabat_list(jf=jf, jenjang=jenjang)
    kelayakan = {k.pejabat_id: k for k in selectors.kelayakan(jf=jf)}
    if status in ("pangkat", "jenjang"):
        ids = [pid for pid, k in kelayakan.items() if getattr(k, f"memenuhi_{status}")]
        qs = qs.filter(pk__in=ids)
    else:
        status = ""
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    baris = [(p, kelayakan.get(p.pk)) for p in page]
    per_jenjang = selectors.jumlah_per_jenjang()
    jatuh = {
        "pangkat": sum(1 for k in kelayakan.values() if k.memenuhi_pangkat),
        "jenjang": sum(1 for k in kelayakan.values() if k.memenuhi_jenjang),
    }
    from apps.penetapan.selectors import jadwal

    # The periods of penetapan AK of the instansi's JFs, with their submission deadlines.
    jf_ids = PejabatFungsional.objects.filter(aktif=True).values_list("jf_id", flat=True).distinct()
    context = {
        "jadwal_penetapan": jadwal(list(jf_ids), timezone.localdate()),
        "page": page, "baris": baris, "per_jenjang": per_jenjang, "jatuh": jatuh, "status": status,
        "jf": jf, "jenjang": jenjang, "jf_list": JabatanFungsional.objects.order_by("nama"),
        "jenjang_list": Jenjang.objects.filter(jf=jf).order_by("urutan") if jf else [],
        "dapat_ubah": permissions.can_manage_pegawai(request.user),
        "querystring": "&".join(
            f"{k}={v}" for k, v in (("jf", jf.pk if jf else ""), ("jenjang", jenjang.pk if jenjang else ""),
                                    ("status", status)) if v
        ),
    }  # fmt: skip
    return render(request, "jabatan/daftar.html", context)


def _detail_context(request, pejabat, form=None, koreksi_form=None, pangkat_form=None) -> dict:
    from apps.jabatan.pangkat import golongan_berikut

    dapat_ubah = permissions.can_manage_pegawai(request.user) and pejabat.instansi_id == request.user.instansi.pk
    mutasi = list(selectors.mutasi_dari(pejabat))
    # Rows inside a PAK's masa penilaian, and a PAK corrected under it since (issue 19 walk).
    selectors.tandai_pak(mutasi)
    return {
        "pejabat": pejabat,
        # The correction of a konversi, from its row (the messages of a period already converted
        # point here); a refused one comes back open on its row.
        "koreksi_form": koreksi_form,
        "koreksi_mutasi": _angka(str(koreksi_form.data.get("mutasi", ""))) if koreksi_form is not None else None,
        "predikat_pilihan": forms.KoreksiForm.base_fields["predikat"].choices,
        "mutasi": mutasi,
        "ambang": (ambang := selectors.ambang(pejabat)),
        "kelayakan": (kelayakan := next(iter(selectors.kelayakan(pejabat_ids=[pejabat.pk])), None)),
        # One AK kumulatif, the one that counts now, with why it differs from the other total.
        "berlaku": _berlaku(pejabat, ambang, mutasi, kelayakan),
        "form": form or forms.PredikatForm(jf=pejabat.jf, sampai=pejabat.jenjang),
        "dapat_ubah": dapat_ubah,
        # The SK kenaikan pangkat (apps.jabatan.pangkat); a refused one comes back with its errors.
        "pangkat_form": pangkat_form or (forms.KenaikanPangkatForm(pejabat=pejabat) if dapat_ubah else None),
        "golongan_berikut": golongan_berikut(pejabat),
        # The holder's login and the kenaikan jenjang (apps.jabatan.views_akses).
        **_akses_context(pejabat),
    }


def _berlaku(pejabat, ambang, mutasi, kelayakan) -> dict:
    from apps.jabatan.kenaikan import jenjang_berikut

    out = selectors.ak_berlaku(ambang, mutasi, jenjang_berikut=jenjang_berikut(pejabat))
    if kelayakan is not None and out["memenuhi"]:
        out["sejak"] = kelayakan.pangkat_sejak if out["tujuan"] == "pangkat" else kelayakan.jenjang_sejak
    return out


def _akses_context(pejabat) -> dict:
    from apps.accounts.models import Membership, Role
    from apps.jabatan.kenaikan import cek_kenaikan_jenjang, jenjang_berikut
    from apps.pengusulan.domain import SELESAI, Jenis
    from apps.pengusulan.models import Usulan

    return {
        "akses_aktif": bool(
            pejabat.user_id
            and Membership.objects.filter(
                user_id=pejabat.user_id, role=Role.PEJABAT_FUNGSIONAL, is_active=True
            ).exists()
        ),
        "jenjang_berikut": (berikut := jenjang_berikut(pejabat)),
        # Why the holder cannot be proposed yet (the service's own check): shown instead of a
        # button that could only be refused.
        "kenaikan_jenjang_kendala": cek_kenaikan_jenjang(pejabat, berikut) if berikut else [],
        "usulan_kenaikan": Usulan.objects.filter(pejabat=pejabat, jenis=Jenis.KENAIKAN_JENJANG)
        .exclude(status__in=sorted(SELESAI))
        .first(),
    }


@login_required
@require_GET
def detail(request, pk: int):
    if _pemegang(request.user) and not (
        permissions.can_view_instansi_data(request.user) or permissions.has_role(request.user, *STAF_PEMBINA)
    ):
        # The holder's scope holds only their own record: theirs goes to /saya/, others' are 404.
        selectors.pejabat_satu(pk)
        return redirect("saya:beranda")
    _boleh_lihat(request.user)
    pejabat = selectors.pejabat_satu(pk)
    return render(request, "jabatan/detail.html", _detail_context(request, pejabat))


@login_required
@require_POST
def predikat_catat(request, pk: int):
    _wajib_pic(request.user)
    pejabat = selectors.pejabat_satu(pk)
    form = forms.PredikatForm(request.POST, jf=pejabat.jf, sampai=pejabat.jenjang)
    if form.is_valid():
        with penolakan(request, form=form):
            m = services.konversi_catat(
                pejabat, predikat=form.cleaned_data["predikat"], periode_mulai=form.cleaned_data["periode_mulai"],
                periode_selesai=form.cleaned_data["periode_selesai"], jenjang=form.cleaned_data["jenjang"],
                oleh=request.user,
            )  # fmt: skip
            messages.success(request, _("Konversi dicatat: %(ak)s angka kredit.") % {"ak": format_ak(m.nilai)})
            return redirect("jabatan:detail", pk=pejabat.pk)
    return render(request, "jabatan/detail.html", _detail_context(request, pejabat, form), status=200)


def pesan_pak_meliputi(pak) -> str:
    return _(
        "Periode ini termasuk masa penilaian PAK %(n)s. Angka kredit pada PAK itu tidak berubah dengan koreksi ini: "
        "PYB yang menetapkannya perlu memperbaiki PAK tersebut (Perbaiki surat)."
    ) % {"n": (pak.rincian or {}).get("surat") or "-"}


@login_required
@require_POST
def koreksi_catat(request, pk: int):
    """The PIC corrects the predikat of a period already converted: a ``koreksi`` row with the
    difference, pointing at the konversi (the ledger is append-only)."""
    from apps.jabatan.models import MutasiAK

    _wajib_pic(request.user)
    pejabat = selectors.pejabat_satu(pk)
    form = forms.KoreksiForm(request.POST)
    if form.is_valid():
        mutasi = MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi", pk=form.cleaned_data["mutasi"]).first()
        if mutasi is None:
            raise Http404
        with penolakan(request, form=form):
            k = services.konversi_koreksi(
                mutasi, predikat=form.cleaned_data["predikat"], oleh=request.user,
                keterangan=form.cleaned_data["keterangan"],
            )  # fmt: skip
            messages.success(
                request,
                _("Koreksi dicatat: angka kredit periode itu menjadi %(ak)s (selisih %(d)s).")
                % {"ak": format_ak(k.rincian.get("sesudah")), "d": ("+" if k.nilai >= 0 else "") + format_ak(k.nilai)},
            )
            if pak := selectors.pak_meliputi(list(selectors.mutasi_dari(pejabat)), mutasi.periode_mulai):
                messages.warning(request, pesan_pak_meliputi(pak))
            return redirect("jabatan:detail", pk=pejabat.pk)
    return render(request, "jabatan/detail.html", _detail_context(request, pejabat, koreksi_form=form), status=400)


@login_required
@require_POST
def kenaikan_pangkat(request, pk: int):
    """The PIC records the holder's SK kenaikan pangkat: a ``kenaikan_pangkat`` row on the ledger
    and the record's new golongan (``apps.jabatan.pangkat``). A refusal keeps the form with the
    user's input and the reasons per field."""
    from apps.jabatan import pangkat

    _wajib_pic(request.user)
    pejabat = selectors.pejabat_satu(pk)
    form = forms.KenaikanPangkatForm(request.POST, request.FILES, pejabat=pejabat)
    if form.is_valid():
        d = form.cleaned_data
        with penolakan(request, form=form):
            m = pangkat.kenaikan_pangkat_catat(
                actor=request.user, pejabat=pejabat, golongan=d["golongan"], tmt_golongan=d["tmt_golongan"],
                sk_nomor=d["sk_nomor"], sk_tanggal=d["sk_tanggal"], pak=d.get("pak"), berkas=d.get("berkas"),
                sk_kolektif=d.get("sk_kolektif", False), pak_luar_nomor=d.get("pak_luar_nomor", ""),
                pak_luar_tanggal=d.get("pak_luar_tanggal"), pak_luar_berkas=d.get("pak_luar_berkas"),
                ip_address=client_ip(request),
            )  # fmt: skip
            messages.success(
                request,
                _("Kenaikan pangkat %(nama)s ke %(g)s dicatat; angka kredit %(ak)s dipakai untuk kenaikan pangkat ini.")
                % {"nama": pejabat.nama, "g": m.golongan.kode, "ak": format_ak(-m.nilai)},
            )
            return redirect("jabatan:detail", pk=pejabat.pk)
    pejabat = selectors.pejabat_satu(pk)  # the record as stored (the refused block changed nothing)
    return render(request, "jabatan/detail.html", _detail_context(request, pejabat, pangkat_form=form))


@login_required
@require_GET
def mutasi_berkas(request, pk: int):
    """The document stored with a ledger row (the SK kenaikan pangkat): for whoever sees the row —
    the instansi, the JF's pembina, and the holder themselves (their scope holds their own rows)."""
    from django.shortcuts import get_object_or_404

    from apps.core import audit, files
    from apps.jabatan.models import MutasiAK

    if not _pemegang(request.user):
        _boleh_lihat(request.user)
    mutasi = get_object_or_404(MutasiAK.objects.exclude(berkas=""), pk=pk)
    audit.record_objek("jabatan.berkas_diunduh", mutasi.pejabat, actor=request.user, ip_address=client_ip(request),
                       data={"mutasi": mutasi.pk})  # fmt: skip
    return files.serve(mutasi.berkas, filename=mutasi.berkas_nama or "sk-kenaikan-pangkat.pdf")


IMPOR = {
    "pejabat": (services.pejabat_impor, _("Impor pejabat fungsional"), "templat-pejabat-fungsional.xlsx"),
    "predikat": (services.predikat_impor, _("Impor predikat kinerja"), "templat-predikat-kinerja.xlsx"),
}


@login_required
@require_http_methods(["GET", "POST"])
def impor(request, jenis: str):
    _wajib_pic(request.user)
    if jenis not in IMPOR:
        raise Http404
    fungsi, judul, _nama = IMPOR[jenis]
    form = forms.ImporForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), instansi=request.user.instansi
    )
    report = None
    if request.method == "POST" and form.is_valid():
        with penolakan(request, form=form):
            report = fungsi(
                actor=request.user, berkas=form.cleaned_data["berkas"], jf=form.cleaned_data["jf"],
                ip_address=client_ip(request),
            )  # fmt: skip
            for pesan in report.berkas:  # the file itself, not a row: on the form's file field
                form.add_error("berkas", pesan)
            if report.imported:
                messages.success(request, _("%(n)d baris diimpor.") % {"n": report.imported})
            if report.errors:
                messages.error(
                    request, _("%(n)d baris tidak diimpor; lihat alasannya di bawah.") % {"n": report.rows_failed}
                )
    return render(request, "jabatan/impor.html", {"form": form, "report": report, "jenis": jenis, "judul": judul})


@login_required
@require_GET
def impor_templat(request, jenis: str):
    _wajib_pic(request.user)
    if jenis not in IMPOR:
        raise Http404
    isi = xlsx.templat_pejabat() if jenis == "pejabat" else xlsx.templat_predikat()
    response = HttpResponse(isi, content_type=xlsx.XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{IMPOR[jenis][2]}"'
    return response


@login_required
@require_GET
def rekap(request):
    """The pembina's national recap: holders of its JFs per jenjang and instansi, and how many
    meet the thresholds."""
    if not permissions.has_role(request.user, *STAF_PEMBINA):
        raise PermissionDenied
    return render(request, "jabatan/rekap.html", selectors.rekap_nasional())
