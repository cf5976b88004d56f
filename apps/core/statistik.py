"""Planner statistics after bulk loads.

PostgreSQL only lets a table's owner (or a superuser) ``ANALYZE`` it. The application role is
neither: its ``ANALYZE`` is skipped with a warning ("permission denied to analyze"), and the
planner keeps whatever autovacuum last left — after a bulk load that can be the statistics of an
almost empty table (a 500 ms inbox page in one run, 3 ms in the next). So every bulk path (the
benchmark generator, a large XLSX import, a restore) analyzes through the owner connection."""

from __future__ import annotations

from django.conf import settings
from django.db import connections

# An XLSX import of at least this many rows asks for fresh statistics (through the outbox).
MIN_ROWS_IMPOR = 200


def analyze(*tables: str, vacuum: bool = False) -> None:
    """``ANALYZE`` the given tables (every table when none is given) as the schema owner.

    ``vacuum=True`` also sets the visibility map, as autovacuum would later, so index-only scans
    work on freshly loaded tables (not possible inside a transaction: then ANALYZE alone)."""
    conn = connections[settings.MIGRATION_DATABASE]
    qn = conn.ops.quote_name
    command = "VACUUM (ANALYZE)" if vacuum and not conn.in_atomic_block else "ANALYZE"
    with conn.cursor() as cursor:
        if not tables:
            cursor.execute(command)
        for table in tables:
            cursor.execute(f"{command} {qn(table)}")


def last_analyzed(table: str):
    """When ``table`` was last analyzed by hand (``pg_stat_user_tables.last_analyze``), or None."""
    conn = connections["default"]
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # statistics are otherwise cached per transaction
        cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table])
        row = cursor.fetchone()
    return row[0] if row else None
