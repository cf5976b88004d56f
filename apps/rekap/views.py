"""Dashboards and exports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import STAF_PEMBINA
from apps.accounts.permissions import can_view_instansi_data, has_role
from apps.core import audit, files, outbox, tenancy
from apps.core.audit import client_ip
from apps.core.format import tgl
from apps.referensi.models import JabatanFungsional
from apps.rekap import ekspor as ek
from apps.rekap import selectors
from apps.rekap.models import Ekspor


def _jf_pembina(request):
    """The pembina's JFs (by name), each with its jenjang as ``_jenjang`` (one query)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    from apps.referensi.models import Jenjang

    scope = tenancy.current()
    jenjang = Jenjang.objects.filter(jf_id=OuterRef("pk")).order_by()
    jenjang = jenjang.values(j=JSONObject(id="id", urutan="urutan", nama="nama"))
    jf_list = list(
        JabatanFungsional.objects.filter(pk__in=sorted(scope.jf_ids) if scope else [])
        .annotate(_jenjang=ArraySubquery(jenjang))
        .order_by("nama")
    )
    kode = request.GET.get("jf", "")
    chosen = [j for j in jf_list if j.kode == kode] if kode else jf_list
    if kode and not chosen:
        raise Http404
    return jf_list, chosen


@login_required
def nasional(request):
    if not has_role(request.user, *STAF_PEMBINA):
        raise PermissionDenied
    jf_list, chosen = _jf_pembina(request)
    jf_ids = [j.pk for j in chosen]
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        rows = selectors.per_instansi(jf_ids)
        data, n = ek.tulis(fmt, [t for _k, t in ek.KOLOM_INSTANSI], ek.baris_instansi(rows), nama_sheet="Per instansi")
        return _download(request, data, ek.nama_berkas("rekap-instansi", fmt), fmt, n, "rekap_instansi")
    jenjang = {j["id"]: (j["urutan"], j["nama"]) for jf in chosen for j in jf._jenjang}
    data = selectors.nasional(jf_ids, jenjang=jenjang)
    chart = {
        "tahap": {"label": [t["label"] for t in data["tahap"]], "nilai": [t["jumlah"] for t in data["tahap"]]},
        # the axis reads "23 November 2026", as every date on the pages (the API keeps ISO dates)
        "throughput": {**data["throughput"], "minggu": [tgl(w) for w in data["throughput"]["minggu"]]},
    }
    context = {
        "jf_list": jf_list,
        "jf_kode": request.GET.get("jf", ""),
        "r": data,
        "jumlah_instansi": data["jumlah_instansi"],
        "chart_tahap": json.dumps(chart["tahap"]),
        "chart_throughput": json.dumps(chart["throughput"]),
    }
    return render(request, "rekap/nasional.html", context)


def _download(request, data: bytes, name: str, fmt: str, rows: int, jenis: str):
    label = Ekspor(jenis=jenis).jenis_label  # the kind as people read it, not its internal name
    audit.record(
        "ekspor.diunduh", actor=request.user, instansi=request.user.instansi.pk if request.user.instansi else None,
        ip_address=client_ip(request),
        message=_("Ekspor %(j)s, %(f)s (%(n)d baris).") % {"j": label, "f": fmt.upper(), "n": rows},
        data={"jenis": jenis, "format": fmt, "baris": rows},
    )  # fmt: skip
    response = HttpResponse(data, content_type=ek.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _minta(request, *, jenis: str, fmt: str, parameter: dict):
    with transaction.atomic():
        job = Ekspor.objects.create(user=request.user, jenis=jenis, format=fmt, parameter=parameter)
        outbox.enqueue("rekap.buat_ekspor", ekspor_id=job.pk)
        audit.record(
            "ekspor.diminta", actor=request.user, instansi=request.user.instansi.pk if request.user.instansi else None,
            ip_address=client_ip(request), message=_("Ekspor %(j)s diminta.") % {"j": jenis}, data=parameter,
        )  # fmt: skip
    messages.info(request, _("Ekspor sedang dibuat di latar belakang; Anda akan menerima notifikasi saat siap."))
    return redirect("rekap:ekspor_daftar")


INBOX_KEYS = ("jf", "instansi", "jenjang", "status", "q", "dari", "sampai", "terlambat", "saya")


@login_required
def ekspor_inbox(request):
    """The pembina inbox's filtered list (same filters as the page)."""
    if not has_role(request.user, *STAF_PEMBINA):
        raise PermissionDenied
    from datetime import date

    from apps.verifikasi.selectors import inbox_queryset

    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    g = request.GET
    params = {k: g.get(k, "") for k in ("jf", "instansi", "jenjang", "status", "q")}

    def _d(v):
        try:
            return date.fromisoformat(v).isoformat() if v else None
        except ValueError:
            return None

    params |= {"dari": _d(g.get("dari", "")), "sampai": _d(g.get("sampai", "")), "terlambat": g.get("terlambat") == "1",
               "verifikator_id": request.user.pk if g.get("saya") == "1" else None}  # fmt: skip
    typed = {**params, "dari": date.fromisoformat(params["dari"]) if params["dari"] else None,
             "sampai": date.fromisoformat(params["sampai"]) if params["sampai"] else None}  # fmt: skip
    qs = inbox_queryset(**typed)
    if request.GET.get("latar") == "1" or qs.count() > ek.BATAS_LANGSUNG:
        return _minta(request, jenis="inbox", fmt=fmt, parameter=params)
    data, n = ek.tulis(fmt, [t for _k, t in ek.KOLOM_USULAN], ek.baris_usulan(qs), nama_sheet="Usulan")
    return _download(request, data, ek.nama_berkas("usulan", fmt), fmt, n, "inbox")


@login_required
def ekspor_usulan(request):
    """The PIC's usulan list (dashboard filters)."""
    if not can_view_instansi_data(request.user):
        raise PermissionDenied
    from apps.pengusulan.selectors import usulan_list

    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    params = {k: request.GET.get(k, "") for k in ("status", "jf", "jenjang", "q")}
    qs = usulan_list(**params)
    if qs.count() > ek.BATAS_LANGSUNG:
        return _minta(request, jenis="usulan_pic", fmt=fmt, parameter=params)
    data, n = ek.tulis(fmt, [t for _k, t in ek.KOLOM_USULAN], ek.baris_usulan(qs), nama_sheet="Usulan")
    return _download(request, data, ek.nama_berkas("usulan", fmt), fmt, n, "usulan_pic")


@login_required
@require_POST
def ekspor_pdf(request):
    if not has_role(request.user, *STAF_PEMBINA):
        raise PermissionDenied
    _jf_list, chosen = _jf_pembina(request)
    return _minta(request, jenis="rekap_pdf", fmt="pdf", parameter={"jf_ids": [j.pk for j in chosen]})


@login_required
def ekspor_daftar(request):
    jobs = Ekspor.objects.filter(user=request.user)[:50]
    return render(request, "rekap/ekspor_daftar.html", {"jobs": jobs})


@login_required
def ekspor_unduh(request, pk: int):
    job = get_object_or_404(Ekspor, pk=pk, user=request.user)
    if job.status != Ekspor.Status.SELESAI or not job.berkas:
        raise Http404
    audit.record(
        "ekspor.diunduh", actor=request.user, instansi=request.user.instansi.pk if request.user.instansi else None,
        ip_address=client_ip(request), obj=job, data={"jenis": job.jenis, "baris": job.jumlah_baris},
    )  # fmt: skip
    return files.serve(
        job.berkas, filename=job.berkas.name.rsplit("/", 1)[-1], content_type=ek.CONTENT_TYPES[job.format]
    )
