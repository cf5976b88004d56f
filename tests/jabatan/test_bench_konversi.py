"""bench/konversi_100k.py makes its holders with raw SQL: the statement must name every column the
holder table requires (it lacked ``tempat_lahir`` once the holders import asked for it, and the
benchmark crashed before converting anything). Three holders made here by the script's own
statements; the timing itself is the benchmark's business, never a test's."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from django.db import connection

from apps.core import tenancy
from apps.core.models import Instansi
from apps.jabatan.models import MutasiAK, PejabatFungsional

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_konversi_benchmark_makes_its_holders(pk, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    konversi_100k = importlib.import_module("konversi_100k")
    try:
        Instansi.objects.create(kode="BENCH-1", nama="Instansi Bench 1", jenis="kementerian")
        with tenancy.all_tenants(reason="test"):
            with connection.cursor() as c:
                c.execute(konversi_100k.BUAT_PEJABAT, {"jf": pk.pk, "n": 3})
                c.execute(konversi_100k.BUAT_AWAL, {})
            assert PejabatFungsional.objects.filter(jf=pk).count() == 3
            assert MutasiAK.objects.filter(jenis="awal", pejabat__jf=pk).count() == 3
    finally:
        sys.modules.pop("konversi_100k", None)
