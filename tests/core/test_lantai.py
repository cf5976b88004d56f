"""The benchmark's floor view (bench/halaman_beban.py) is routed only by siaks.settings.bench."""

from __future__ import annotations

import importlib
import os
import sys

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


def _reload_urls():
    import siaks.urls

    importlib.reload(siaks.urls)
    clear_url_caches()


def _settings_module(name: str):
    os.environ.setdefault("DJANGO_SECRET_KEY", "uji")
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def test_the_floor_is_not_routed_outside_the_bench_settings(client, pic_a):
    client.force_login(pic_a)
    assert client.get("/bench/lantai/").status_code == 404
    assert _settings_module("siaks.settings.production").SIAKS_BENCH_LANTAI is False
    assert _settings_module("siaks.settings.bench").SIAKS_BENCH_LANTAI is True


def test_the_floor_is_one_query_of_the_scoped_usulan_behind_the_login(client, pic_a, pic_b, referensi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.core import tenancy
    from apps.pengusulan.models import Usulan
    from tests.factories import PegawaiFactory

    def usulan(instansi):
        p = PegawaiFactory(instansi=instansi)
        with tenancy.all_tenants(reason="test"):
            return Usulan.objects.create(
                instansi=instansi, pegawai=p, pegawai_nip=p.nip, pegawai_nama=p.nama, jf=referensi["aks"],
                status="diajukan", diajukan_at=timezone.now(),
            )  # fmt: skip

    mine, theirs = usulan(pic_a.instansi), usulan(pic_b.instansi)
    try:
        with override_settings(SIAKS_BENCH_LANTAI=True):
            _reload_urls()
            assert client.get("/bench/lantai/").status_code == 302  # login required
            client.force_login(pic_a)
            client.get("/bench/lantai/")
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/bench/lantai/")
            body = response.content.decode()
            assert response.status_code == 200 and mine.nomor in body and theirs.nomor not in body
            usulan_queries = [q for q in ctx.captured_queries if "pengusulan_usulan" in q["sql"]]
            assert len(usulan_queries) == 1
    finally:
        _reload_urls()
