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


def nasional(jf_ids, *, per_instansi_limit: int | None = 25, minggu: int = 12, jenjang=None) -> dict:
    """``jenjang``: {jenjang id: (urutan, nama)} of the JFs when the caller has it (the recap
    page loads it with its JF list), else read here from the small jenjang table."""
    from apps.referensi.models import Jenjang

    # One grouped pass over the aggregates (no join); names come from the small jenjang table.
    per_status: dict = {}
    per_jenjang: dict = {}
    if jenjang is None:
        jenjang = {j.pk: (j.urutan, j.nama) for j in Jenjang.objects.filter(jf_id__in=list(jf_ids))}
    names = jenjang
    for r in _rekap(jf_ids).values("jenjang_id", "status").annotate(n=Sum("jumlah")).order_by():
        per_status[r["status"]] = per_status.get(r["status"], 0) + r["n"]
        row = per_jenjang.setdefault(names.get(r["jenjang_id"], (99, "—")), {})
        row[r["status"]] = row.get(r["status"], 0) + r["n"]
    total = sum(per_status.values())
    semua = per_instansi(jf_ids)
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
        "per_instansi": semua[:per_instansi_limit] if per_instansi_limit else semua,
        "jumlah_instansi": len(semua),
    }


def per_instansi(jf_ids, *, limit: int | None = None, urut: str = "proses") -> list[dict]:
    """Per instansi: formasi, proposed (submitted), in process, passed, SK issued, rejected.

    One query: the aggregates grouped by instansi id only (no join over the aggregate rows),
    the formasi grouped the same way, and the names joined to the grouped rows (one per
    instansi) — each part the ORM's own tenant-filtered SQL."""
    from django.db import connection

    from apps.core.models import Instansi

    jf_ids = list(jf_ids)
    if not jf_ids:  # no JF in view: the ORM would raise EmptyResultSet compiling the parts
        return []
    rekap = (
        _rekap(jf_ids)
        .values("instansi_id")
        .annotate(
            diusulkan=Sum("jumlah", filter=~Q(status=Status.DIBATALKAN)),
            proses=Sum("jumlah", filter=Q(status__in=DALAM_PROSES)),
            lulus=Sum("jumlah", filter=Q(status__in=LULUS_SET)),
            sk=Sum("jumlah", filter=Q(status=Status.SK_TERBIT)),
            gugur=Sum("jumlah", filter=Q(status__in=[Status.TIDAK_MEMENUHI_SYARAT, Status.TIDAK_LULUS])),
        )
        .order_by()
    )
    formasi = Formasi.objects.filter(jf_id__in=list(jf_ids)).values("instansi_id").annotate(n=Sum("jumlah")).order_by()
    nama = Instansi.objects.values("id", "nama", "kode").order_by()
    parts = [q.query.sql_with_params() for q in (rekap, formasi, nama)]
    sql = (
        "SELECT r.instansi_id, r.diusulkan, r.proses, r.lulus, r.sk, r.gugur, COALESCE(f.n, 0), i.nama, i.kode "
        f"FROM ({parts[0][0]}) r LEFT JOIN ({parts[1][0]}) f ON f.instansi_id = r.instansi_id "
        f"JOIN ({parts[2][0]}) i ON i.id = r.instansi_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parts[0][1], *parts[1][1], *parts[2][1]])
        keys = ("instansi_id", "diusulkan", "proses", "lulus", "sk", "gugur", "formasi", "instansi__nama",
                "instansi__kode")  # fmt: skip
        rows = [dict(zip(keys, r, strict=True)) for r in cursor.fetchall()]
    for r in rows:
        for k in ("diusulkan", "proses", "lulus", "sk", "gugur"):
            r[k] = r[k] or 0
    rows.sort(key=lambda r: (-r[urut], r["instansi__nama"]))
    if limit:
        rows = rows[:limit]
    return rows
