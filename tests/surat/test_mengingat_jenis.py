"""Issue 19 walk: the SK kenaikan jenjang must not cite the inpassing's juklak (PermenNaker 4/2017
"Tata Cara Penyesuaian", JF Pengantar Kerja). A JF regulation may say which SK cites it
(``untuk``); the data migration marks the shipped row of a database loaded before."""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps

from apps.referensi.models import JabatanFungsional
from apps.surat.isi import _mengingat

pytestmark = pytest.mark.django_db

PENYESUAIAN = "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2017 tentang Tata Cara Penyesuaian"
PERATURAN_JF = "Nomor 1 Tahun 2022 tentang Jabatan Fungsional Pengantar Kerja"


def _ada(baris: list[str], teks: str) -> bool:
    return any(teks in b for b in baris)


def test_the_sk_kenaikan_jenjang_cites_the_jfs_regulation_but_not_the_penyesuaian_juklak(pk):
    assert _ada(_mengingat(pk, "penyesuaian"), PENYESUAIAN)
    kj = _mengingat(pk, "kenaikan_jenjang")
    assert not _ada(kj, PENYESUAIAN)
    assert _ada(kj, PERATURAN_JF) and _ada(kj, "Badan Kepegawaian Negara Nomor 3 Tahun 2023")


def test_the_data_migration_marks_the_shipped_row_of_an_older_database(pk):
    lama = [{k: v for k, v in p.items() if k != "untuk"} for p in pk.peraturan]
    JabatanFungsional.objects.filter(pk=pk.pk).update(peraturan=lama)
    pk.refresh_from_db()
    assert _ada(_mengingat(pk, "kenaikan_jenjang"), PENYESUAIAN)  # as the walk found it
    migrasi = import_module("apps.referensi.migrations.0021_peraturan_untuk_jenis")
    migrasi.isi(django_apps, SimpleNamespace(connection=SimpleNamespace(alias="default")))
    pk.refresh_from_db()
    assert [p.get("untuk") for p in pk.peraturan] == [None, ["penyesuaian"]]
    assert not _ada(_mengingat(pk, "kenaikan_jenjang"), PENYESUAIAN)
    assert _ada(_mengingat(pk, "penyesuaian"), PENYESUAIAN)
