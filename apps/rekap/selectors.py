"""The national recap (pembina) and the per-instansi figures an upper agency asks for, read
from the maintained aggregates and index-backed queries only."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from apps.pengusulan.domain import STATUS_LABELS, Status
from apps.pengusulan.models import Formasi, Usulan
from apps.rekap.models import RekapHarian, RekapUsulan

#: Stages of the national process, for the "per tahap" view.
TAHAP = [
    ("pengajuan", "Menunggu verifikasi", [Status.DIAJUKAN]),
    ("verifikasi", "Seleksi administrasi", [Status.VERIFIKASI, Status.PERBAIKAN]),
    ("penilaian", "Uji kompetensi", [Status.LULUS_ADMINISTRASI, Status.PENILAIAN]),
    ("rekomendasi", "Menunggu rekomendasi", [Status.LULUS]),
    ("sk", "Menunggu SK", [Status.DIREKOMENDASIKAN]),
    ("selesai", "SK terbit", [Status.SK_TERBIT]),
    ("gugur", "Tidak lolos / batal", [Status.TIDAK_MEMENUHI_SYARAT, Status.TIDAK_LULUS, Status.DIBATALKAN]),
]
#: Statuses in which the pembina has to act (the bottleneck list).
MENUNGGU_PEMBINA = [Status.DIAJUKAN, Status.VERIFIKASI, Status.LULUS_ADMINISTRASI, Status.PENILAIAN, Status.LULUS]
LULUS_SET = [Status.LULUS, Status.DIREKOMENDASIKAN, Status.SK_TERBIT]
#: "Dalam proses": submitted and not yet decided at the pembina (perbaikan included).
DALAM_PROSES = [*MENUNGGU_PEMBINA, Status.PERBAIKAN]


def _rekap(jf_ids):
    return RekapUsulan.objects.filter(jf_id__in=list(jf_ids))


def nasional(jf_ids, *, per_instansi_limit: int | None = 25, minggu: int = 12) -> dict:
    rekap = _rekap(jf_ids)
    per_status = {r["status"]: r["n"] for r in rekap.values("status").annotate(n=Sum("jumlah"))}
    total = sum(per_status.values())
    per_jenjang: dict = {}
    for r in rekap.values("jenjang__nama", "jenjang__urutan", "status").annotate(n=Sum("jumlah")):
        row = per_jenjang.setdefault((r["jenjang__urutan"] or 99, r["jenjang__nama"] or "—"), {})
        row[r["status"]] = r["n"]
    tahap = [
        {"kode": k, "label": label, "jumlah": sum(per_status.get(s, 0) for s in statuses)}
        for k, label, statuses in TAHAP
    ]
    hari_ini = timezone.localdate()
    mulai = hari_ini - timedelta(weeks=minggu)
    harian = (
        RekapHarian.objects.filter(jf_id__in=list(jf_ids), tanggal__gte=mulai)
        .values("tanggal", "aksi")
        .annotate(n=Sum("jumlah"))
    )
    weeks = [mulai + timedelta(weeks=i) for i in range(minggu + 1)]
    series = {"diajukan": [0] * len(weeks), "diputuskan": [0] * len(weeks), "sk": [0] * len(weeks)}
    for r in harian:
        i = min((r["tanggal"] - mulai).days // 7, len(weeks) - 1)
        if r["aksi"] == "ajukan":
            series["diajukan"][i] += r["n"]
        elif r["aksi"] in ("nyatakan_lulus", "nyatakan_tidak_lulus", "tolak"):
            series["diputuskan"][i] += r["n"]
        elif r["aksi"] == "terbitkan_sk":
            series["sk"][i] += r["n"]
    terlama = list(
        Usulan.objects.filter(jf_id__in=list(jf_ids), status__in=MENUNGGU_PEMBINA)
        .select_related("instansi", "jenjang")
        .order_by("status_changed_at", "id")[:10]
    )
    for u in terlama:
        u.menunggu_hari = (hari_ini - timezone.localtime(u.status_changed_at).date()).days
    return {
        "total": total,
        "per_status": [(s, STATUS_LABELS[s], per_status.get(s, 0)) for s in Status if s != Status.DRAFT],
        "per_jenjang": [
            {
                "nama": nama,
                "jumlah": sum(row.values()),
                "lulus": sum(row.get(s, 0) for s in LULUS_SET),
                "sk": row.get(Status.SK_TERBIT, 0),
                "proses": sum(row.get(s, 0) for s in DALAM_PROSES),
            }
            for (_u, nama), row in sorted(per_jenjang.items())
        ],
        "tahap": tahap,
        "throughput": {"minggu": [w.isoformat() for w in weeks], **series},
        "terlambat_perbaikan": Usulan.objects.filter(
            jf_id__in=list(jf_ids), status=Status.PERBAIKAN, tenggat_perbaikan__lt=hari_ini
        ).count(),
        "terlama": terlama,
        "per_instansi": per_instansi(jf_ids, limit=per_instansi_limit),
    }


def per_instansi(jf_ids, *, limit: int | None = None, urut: str = "proses") -> list[dict]:
    """Per instansi: formasi, proposed (submitted), in process, passed, SK issued, rejected."""
    rows = (
        _rekap(jf_ids)
        .values("instansi_id", "instansi__nama", "instansi__kode")
        .annotate(
            diusulkan=Sum("jumlah", filter=~Q(status=Status.DIBATALKAN)),
            proses=Sum("jumlah", filter=Q(status__in=DALAM_PROSES)),
            lulus=Sum("jumlah", filter=Q(status__in=LULUS_SET)),
            sk=Sum("jumlah", filter=Q(status=Status.SK_TERBIT)),
            gugur=Sum("jumlah", filter=Q(status__in=[Status.TIDAK_MEMENUHI_SYARAT, Status.TIDAK_LULUS])),
        )
        .order_by(f"-{urut}", "instansi__nama")
    )
    if limit:
        rows = rows[:limit]
    rows = list(rows)
    formasi = dict(
        Formasi.objects.filter(jf_id__in=list(jf_ids), instansi_id__in=[r["instansi_id"] for r in rows])
        .values("instansi_id")
        .annotate(n=Sum("jumlah"))
        .values_list("instansi_id", "n")
    )
    for r in rows:
        r["formasi"] = formasi.get(r["instansi_id"], 0)
        for k in ("diusulkan", "proses", "lulus", "sk", "gugur"):
            r[k] = r[k] or 0
    return rows


def jumlah_instansi(jf_ids) -> int:
    return _rekap(jf_ids).values("instansi_id").distinct().count()
