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


def rekap_catat_pindah(usulan, *, dari: str, ke: str, aksi: str) -> None:
    """An usulan moved from ``dari`` to ``ke`` (drafts are not counted)."""
    if dari != Status.DRAFT:
        _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=usulan.jenjang_id, status=dari, delta=-1)
    if ke != Status.DRAFT:
        _geser(jf_id=usulan.jf_id, instansi_id=usulan.instansi_id, jenjang_id=usulan.jenjang_id, status=ke, delta=1)
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


def rekap_bangun_ulang() -> int:
    """Recount everything from the usulan rows (bulk loads, repair). Returns the number of rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {RekapUsulan._meta.db_table}")
        cursor.execute(
            f"""INSERT INTO {RekapUsulan._meta.db_table} (jf_id, instansi_id, jenjang_id, status, jumlah)
                SELECT jf_id, instansi_id, jenjang_id, status, count(*) FROM pengusulan_usulan
                WHERE status <> 'draft' GROUP BY jf_id, instansi_id, jenjang_id, status"""
        )
        return cursor.rowcount
