from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import can_view_instansi_data
from apps.core.audit import client_ip
from apps.core.pesan import penolakan
from apps.core.staleness import fingerprint
from apps.referensi import forms, permissions, selectors, services
from apps.referensi.models import (
    AKDasar,
    JabatanFungsional,
    Jenjang,
    Kompetensi,
    NilaiPenyesuaianAK,
    PersentasePredikat,
    PersyaratanDokumen,
    Tahapan,
)

STALE = _("Data ini telah diubah oleh pengguna lain sejak halaman dibuka. Perubahan Anda belum disimpan; "
          "periksa data terbaru di bawah lalu simpan lagi.")  # fmt: skip

# bagian → (model, form, path from the row to its JF, label)
BAGIAN = {
    "jenjang": (Jenjang, forms.JenjangForm, "jf", _("jenjang")),
    "dokumen": (PersyaratanDokumen, forms.DokumenForm, "jf", _("persyaratan dokumen")),
    "tahapan": (Tahapan, forms.TahapanForm, "jf", _("tahapan")),
    "kompetensi": (Kompetensi, forms.KompetensiForm, "jenjang__jf", _("kompetensi")),
    "predikat": (PersentasePredikat, forms.PersentasePredikatForm, "jf", _("persentase predikat kinerja")),
}
CAN_ADD = {"dokumen", "kompetensi"}


@login_required
def jf_list(request):
    # each card shows the JF's submission window (JabatanFungsional.masa_pengajuan reads its tahapan)
    return render(request, "referensi/jf_list.html", {"jf_list": selectors.jf_list().prefetch_related("tahapan")})


@login_required
def jf_detail(request, kode: str):
    jf = get_object_or_404(selectors.jf_detail_queryset(), kode=kode)
    tabel, dasar = selectors.ak_tables(jf)
    label = dict(Kompetensi.Jenis.choices)
    for j in jf.jenjang.all():  # the standard at a glance, per jenjang, on the Persyaratan tab
        jumlah = Counter(k.jenis for k in j.kompetensi.all())
        j.standar_ringkas = ", ".join(f"{jumlah[k]} {str(v).lower()}" for k, v in label.items() if jumlah[k])
    context = {
        "jf": jf,
        "can_edit": permissions.can_edit_jf(request.user, jf),
        "ak_tabel_terbaca": permissions.can_list_ak_tables(request.user, jf),
        "ak_belum_terverifikasi": sum(1 for _v, ok in list(tabel.values()) + list(dasar.values()) if not ok),
        "dokumen_usulan": [
            d
            for d in jf.persyaratan_dokumen.all()
            if d.level == PersyaratanDokumen.Level.USULAN
            and d.jenis_usulan == PersyaratanDokumen.JenisUsulan.PENYESUAIAN
        ],
        "dokumen_kenaikan_jenjang": [
            d
            for d in jf.persyaratan_dokumen.all()
            if d.level == PersyaratanDokumen.Level.USULAN
            and d.jenis_usulan == PersyaratanDokumen.JenisUsulan.KENAIKAN_JENJANG
        ],
        "dokumen_instansi": [d for d in jf.persyaratan_dokumen.all() if d.level == PersyaratanDokumen.Level.INSTANSI],
        # The PAK's tembusan as it will print: filled for an instansi pengusul's own staff, a readable
        # placeholder for the pembina's (never the raw "{instansi}").
        "tembusan_pak": jf.tembusan_pak_untuk(
            request.user.instansi.nama
            if can_view_instansi_data(request.user) and request.user.instansi is not None
            else _("(nama instansi pengusul)")
        ),
    }
    return render(request, "referensi/jf_detail.html", context)


def _editable_jf(request, kode: str):
    jf = get_object_or_404(selectors.jf_list(), kode=kode)
    if not permissions.can_edit_jf(request.user, jf):
        raise PermissionDenied
    return jf


def _save(request, form, obj, jf, *, label: str = "") -> bool:
    """Refuse a stale form, else apply the form's changes through the audited service."""
    if request.POST.get("versi", "") != fingerprint(obj if obj.pk else None):
        messages.error(request, STALE)
        return False
    baru = obj.pk is None
    with penolakan(request, form=form):
        diff = services.referensi_update(
            obj=obj, jf=jf, changes=form.changes(), actor=request.user, ip_address=client_ip(request)
        )
        if baru:
            messages.success(request, _("%(what)s %(obj)s ditambahkan.") % {"what": capfirst(label), "obj": obj})
        else:
            messages.success(request, _("Perubahan disimpan.") if diff else _("Tidak ada perubahan."))
            if isinstance(obj, JabatanFungsional) and "pak_penandatangan" in diff:
                messages.info(request, services.pesan_aturan_pak(obj))
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def jf_edit(request, kode: str):
    jf = _editable_jf(request, kode)
    form = forms.JFForm(request.POST if request.method == "POST" else None, instance=jf)
    if request.method == "POST" and form.is_valid() and _save(request, form, type(jf).objects.get(pk=jf.pk), jf):
        return redirect("referensi:jf_detail", kode=jf.kode)
    stored = type(jf).objects.get(pk=jf.pk)  # the form's instance holds the user's (unsaved) input
    context = {
        "jf": stored,
        "form": form,
        "versi": fingerprint(stored),
        "judul": _("Atur persyaratan %(jf)s") % {"jf": stored.nama},
    }
    return render(request, "referensi/edit_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request, kode: str, bagian: str, pk: int | None = None):
    if bagian not in BAGIAN or (pk is None and bagian not in CAN_ADD):
        raise Http404
    jf = _editable_jf(request, kode)
    model, form_class, jf_path, label = BAGIAN[bagian]
    if pk is not None:
        obj = get_object_or_404(model.objects.filter(**{jf_path: jf}), pk=pk)
    elif bagian == "kompetensi":
        jenjang = get_object_or_404(
            Jenjang.objects.filter(jf=jf), pk=int(j) if (j := request.GET.get("jenjang", "")).isdigit() else 0
        )
        obj = Kompetensi(jenjang=jenjang)
    else:
        obj = PersyaratanDokumen(jf=jf)
    form = form_class(request.POST if request.method == "POST" else None, instance=obj)
    if request.method == "POST" and form.is_valid():
        current = model.objects.get(pk=obj.pk) if obj.pk else obj
        if _save(request, form, current, jf, label=label):
            return redirect(reverse("referensi:jf_detail", kwargs={"kode": jf.kode}) + f"#{bagian}")
    title = (_("Ubah %(what)s") if pk else _("Tambah %(what)s")) % {"what": label}
    context = {
        "jf": jf,
        "form": form,
        "versi": fingerprint(model.objects.get(pk=pk) if pk else None),
        "judul": title,
    }
    return render(request, "referensi/edit_form.html", context)


#: Fields of the reference data that hold citations (working notes): the history shows them as
#: pages do (apps.core.sumber.kutipan), never "Seed 000" or "[V2]".
KOLOM_KUTIPAN = {
    "sumber", "sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin", "sumber_tembusan_pak",
    "dasar_hukum", "deskripsi", "catatan", "catatan_sumber", "ak_sumber", "periksa_peraturan",
}  # fmt: skip


def _kolom_desimal() -> set[str]:
    """The decimal fields of the reference data: the history prints their values as the pages do
    (77,5 — not "75.00 → 77.5", fresh-eye walk of issue 13)."""
    from django.apps import apps as django_apps
    from django.db.models import DecimalField

    return {
        f.name
        for m in django_apps.get_app_config("referensi").get_models()
        for f in m._meta.get_fields()
        if isinstance(f, DecimalField)
    }


def _kutip_perubahan(entries):
    from apps.core.format import format_angka
    from apps.core.sumber import kutipan

    desimal = _kolom_desimal()

    def angka(value):
        try:
            return format_angka(value) if isinstance(value, str | int | float) and value != "" else value
        except (ArithmeticError, ValueError):  # not a number after all: shown as stored
            return value

    def kutip(value):
        if isinstance(value, list):
            return [kutipan(v) if isinstance(v, str) else v for v in value]
        return kutipan(value) if isinstance(value, str) and value else value

    for e in entries:
        perubahan = (e.data or {}).get("perubahan") if isinstance(e.data, dict) else None
        if isinstance(perubahan, dict):
            for field, pair in perubahan.items():
                if field in KOLOM_KUTIPAN and isinstance(pair, list | tuple):
                    perubahan[field] = [kutip(v) for v in pair]
                elif field in desimal and isinstance(pair, list | tuple):
                    perubahan[field] = [angka(v) for v in pair]
    return entries


@login_required
def jf_riwayat(request, kode: str):
    jf = _editable_jf(request, kode)
    entries = _kutip_perubahan(selectors.jf_history(jf))
    return render(request, "referensi/riwayat.html", {"jf": jf, "entries": entries})


@login_required
def ak_tabel(request):
    """A JF's penyesuaian table and AK Dasar (``?jf=<kode>``). An admin pembina lists only the JFs
    it administers (another JF's kode is a 404); the superadmin and the other roles read every JF's."""
    pilihan = list(selectors.ak_jf_terbaca(request.user))
    kode = request.GET.get("jf", "")
    jf = next((j for j in pilihan if j.kode == kode), None) if kode else (pilihan[0] if pilihan else None)
    if jf is None and (kode or not pilihan):
        raise Http404
    tabel = (
        NilaiPenyesuaianAK.objects.filter(jf=jf)
        .select_related("golongan", "diverifikasi_oleh")
        .order_by("golongan__urutan", "pendidikan", "masa_kerja")
    )
    dasar = AKDasar.objects.filter(jf=jf).select_related("golongan", "diverifikasi_oleh").order_by("golongan__urutan")
    context = {
        "jf": jf,
        "pilihan": pilihan,
        "tabel": tabel,
        "dasar": dasar,
        "can_edit": permissions.can_edit_ak_tables(request.user, jf),
    }
    return render(request, "referensi/ak_tabel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ak_edit(request, jenis: str, pk: int):
    model = {"dasar": AKDasar, "tabel": NilaiPenyesuaianAK}.get(jenis)
    if model is None:
        raise Http404
    # Only the rows of a JF the user administers exist for them: another JF's row is a 404.
    row = get_object_or_404(
        model.objects.filter(jf__in=selectors.ak_jf_terbaca(request.user)).select_related("golongan", "jf"), pk=pk
    )
    if not permissions.can_edit_ak_tables(request.user, row.jf):
        raise PermissionDenied
    form = forms.AKRowForm(
        request.POST if request.method == "POST" else None,
        # The stored value exact, without padding zeros ("3.75", not "3.750" that reads as 3750).
        initial={"nilai": f"{row.nilai.normalize():f}", "terverifikasi": row.terverifikasi},
    )
    kembali = reverse("referensi:ak_tabel") + f"?jf={row.jf.kode}"
    if request.method == "POST" and form.is_valid():
        if request.POST.get("versi", "") != fingerprint(row):
            messages.error(request, STALE)
        else:
            diff = services.ak_row_update(
                row=row,
                nilai=form.cleaned_data["nilai"],
                terverifikasi=form.cleaned_data["terverifikasi"],
                actor=request.user,
                ip_address=client_ip(request),
            )
            messages.success(request, _("Perubahan disimpan.") if diff else _("Tidak ada perubahan."))
            return redirect(kembali)
    context = {
        "form": form,
        "versi": fingerprint(row),
        "judul": _("Ubah nilai AK %(jf)s: %(row)s") % {"jf": row.jf.nama, "row": row},
        "kembali": kembali,
        "riwayat_baris": selectors.ak_baris_riwayat(row),
    }
    return render(request, "referensi/edit_form.html", context)
