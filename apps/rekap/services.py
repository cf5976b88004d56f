"""Keeping the aggregates in step with the usulan, inside the caller's transaction."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from apps.pengusulan.domain import Status
from apps.rekap.models import RekapHarian, RekapUsulan


def _geser(*, jf_id, instansi_id, jenjang_id, status, delta: int) -> None:
    table = RekapUsulan._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (jf_id, instansi_id, jenjang_id, status, jumlah) VALUES (%s, %s, %s, %s, %s)
                ON CONFLICT (jf_id, instansi_id, jenjang_id, status)
                DO UPDATE SET jumlah = {table}.jumlah + EXCLUDED.jumlah""",
            [jf_id, instansi_id, jenjang_id, status, delta],
        )


#: ``RekapHarian.aksi`` of a resubmission after perbaikan (the move is "ajukan" again).
AJUKAN_ULANG = "ajukan_ulang"


def rekap_catat_pindah(usulan, *, dari: str, ke: str, aksi: str) -> None:
    """An usulan moved from ``dari`` to ``ke`` (drafts are not counted)."""
    if dari != Status.DRAFT:
        _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=usulan.jenjang_id, status=dari, delta=-1)
    if ke != Status.DRAFT:
        _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=usulan.jenjang_id, status=ke, delta=1)
    if aksi == "ajukan" and dari == Status.PERBAIKAN:
        aksi = AJUKAN_ULANG  # a resubmission is not a new submission: the chart counts it once
    table = RekapHarian._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (jf_id, tanggal, aksi, jumlah) VALUES (%s, %s, %s, 1)
                ON CONFLICT (jf_id, tanggal, aksi) DO UPDATE SET jumlah = {table}.jumlah + 1""",
            [usulan.jf_id, timezone.localdate(), aksi],
        )


def rekap_catat_jenjang(usulan, *, lama_id) -> None:
    """A counted usulan's jenjang changed (the PIC corrected the pegawai during perbaikan)."""
    if usulan.status == Status.DRAFT:
        return
    _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=lama_id, status=usulan.status, delta=-1)
    _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=usulan.jenjang_id, status=usulan.status,
           delta=1)  # fmt: skip


def pisah_ajukan_ulang(cursor) -> int:
    """Split the daily "ajukan" counts into first submissions and resubmissions, from the audit
    entries of the resubmissions (``usulan.diajukan_ulang``, per JF and Jakarta date); idempotent.
    Before the split a resubmission was counted as "ajukan": the chart showed 4 submissions
    where 2 usulan had been submitted. Used by ``rekap_bangun_ulang`` and migration rekap 0002
    (``cursor``: the connection that may read every tenant's audit entries)."""
    cursor.execute(
        f"""WITH ulang AS (
                SELECT jf_id, (created_at AT TIME ZONE 'Asia/Jakarta')::date AS tanggal, count(*) AS n
                FROM core_auditlog WHERE action = 'usulan.diajukan_ulang' AND jf_id IS NOT NULL GROUP BY 1, 2
            ), hari AS (
                SELECT jf_id, tanggal, sum(jumlah) AS total FROM rekap_rekapharian
                WHERE aksi IN ('ajukan', '{AJUKAN_ULANG}') GROUP BY 1, 2
            )
            SELECT h.jf_id, h.tanggal, h.total, least(coalesce(u.n, 0), h.total)
            FROM hari h LEFT JOIN ulang u ON u.jf_id = h.jf_id AND u.tanggal = h.tanggal"""
    )
    rows = cursor.fetchall()
    cursor.execute(f"DELETE FROM rekap_rekapharian WHERE aksi IN ('ajukan', '{AJUKAN_ULANG}')")
    baru = [(jf, tanggal, "ajukan", total - ulang) for jf, tanggal, total, ulang in rows if total - ulang > 0]
    baru += [(jf, tanggal, AJUKAN_ULANG, ulang) for jf, tanggal, _total, ulang in rows if ulang > 0]
    cursor.executemany("INSERT INTO rekap_rekapharian (jf_id, tanggal, aksi, jumlah) VALUES (%s, %s, %s, %s)", baru)
    return len(baru)


def rekap_bangun_ulang() -> int:
    """Recount everything from the usulan rows (bulk loads, repair). Returns the number of rows."""
    with connection.cursor() as cursor:
        pisah_ajukan_ulang(cursor)
        cursor.execute(f"DELETE FROM {RekapUsulan._meta.db_table}")
        cursor.execute(
            f"""INSERT INTO {RekapUsulan._meta.db_table} (jf_id, instansi_id, jenjang_id, status, jumlah)
                SELECT jf_id, instansi_id, jenjang_id, status, count(*) FROM pengusulan_usulan
                WHERE status <> 'draft' GROUP BY jf_id, instansi_id, jenjang_id, status"""
        )
        return cursor.rowcount
