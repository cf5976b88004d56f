"""Bulk loads leave fresh planner statistics: ANALYZE runs as the schema owner (the application
role's ANALYZE is skipped by PostgreSQL with "permission denied to analyze")."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from apps.core import statistik
from apps.core.tasks import analisis_statistik

pytestmark = pytest.mark.django_db(databases=["default", "owner"])


def _advanced(table: str, before) -> bool:
    after = statistik.last_analyzed(table)
    return after is not None and (before is None or after > before)


def test_the_application_role_cannot_analyze_so_the_owner_does():
    before = statistik.last_analyzed("pengusulan_usulan")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pengusulan_usulan")  # skipped with a warning: not the owner
    assert statistik.last_analyzed("pengusulan_usulan") == before
    statistik.analyze("pengusulan_usulan")
    assert _advanced("pengusulan_usulan", before)


def test_the_generator_analyzes_what_it_loaded(referensi):
    before = {t: statistik.last_analyzed(t) for t in ("pengusulan_usulan", "pengusulan_pegawai")}
    call_command("buat_usulan_massal", usulan=30, instansi=3, stdout=io.StringIO())
    assert all(_advanced(t, b) for t, b in before.items())


def test_the_statistics_task_analyzes_the_tables_it_is_given():
    before = statistik.last_analyzed("pengusulan_pegawai")
    assert analisis_statistik(["pengusulan_pegawai"]) == "pengusulan_pegawai"
    assert _advanced("pengusulan_pegawai", before)
