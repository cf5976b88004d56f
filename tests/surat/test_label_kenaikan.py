"""A letter of a kenaikan jenjang is named for it ("SK kenaikan jenjang", "Rekomendasi kenaikan
jenjang") by what it was made for (``Surat.kenaikan_jenjang``, recorded by apps.surat.services
from the usulan's kind), not by the start of its subject as before; letters made before the field
get it from their subject (migration surat 0009)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection, transaction

from apps.core import tenancy
from apps.surat import services
from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import PENANDATANGAN_PPK, TANGGAL, all_tenants

pytestmark = pytest.mark.django_db


def _surat(instansi, jf, actor, *, jenis=JenisSurat.SK, perihal: str, **extra) -> Surat:
    with tenancy.scope(instansi), transaction.atomic():
        return services._create(
            jenis=jenis, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=TANGGAL, perihal=perihal,
            actor=actor, penandatangan=PENANDATANGAN_PPK, **extra,
        )  # fmt: skip


def test_a_letter_is_named_by_what_it_was_made_for_not_by_its_subject(instansi_a, pk, ppk_pk):
    naik = _surat(instansi_a, pk, ppk_pk, perihal="Keputusan tentang Jabatan a.n. Yoga", kenaikan_jenjang=True)
    inpassing = _surat(instansi_a, pk, ppk_pk, perihal="Kenaikan Jenjang Karier Pegawai a.n. Dewi")
    pak = _surat(instansi_a, pk, ppk_pk, jenis=JenisSurat.PAK, perihal="Penetapan AK", kenaikan_jenjang=True)

    assert (naik.label_jenis(), inpassing.label_jenis()) == ("SK kenaikan jenjang", "SK pengangkatan")
    assert pak.label_jenis() == "Penetapan angka kredit"  # no kenaikan-jenjang name for a PAK


def test_letters_made_before_the_field_get_it_from_their_subject(instansi_a, pk, ppk_pk):
    rows = {
        "sk": _surat(instansi_a, pk, ppk_pk, perihal="Kenaikan Jenjang Jabatan Fungsional Pengantar Kerja a.n. Yoga"),
        "rek": _surat(instansi_a, pk, ppk_pk, jenis=JenisSurat.REKOMENDASI,
                      perihal="Rekomendasi Kenaikan Jenjang Jabatan Fungsional Pengantar Kerja"),
        "hasil": _surat(instansi_a, pk, ppk_pk, jenis=JenisSurat.REKOMENDASI,
                        perihal="Hasil Usulan Kenaikan Jenjang Jabatan Fungsional Pengantar Kerja"),
        "inpassing": _surat(instansi_a, pk, ppk_pk,
                            perihal="Pengangkatan dalam Jabatan Fungsional Pengantar Kerja melalui Penyesuaian"),
        "pak": _surat(instansi_a, pk, ppk_pk, jenis=JenisSurat.PAK, perihal="Kenaikan Jenjang (bukan SK)"),
    }  # fmt: skip
    migrasi = importlib.import_module("apps.surat.migrations.0009_surat_kenaikan_jenjang")

    with connection.cursor() as cur:
        cur.execute(migrasi.BACKFILL)

    with all_tenants():
        got = {k: Surat.objects.get(pk=s.pk).kenaikan_jenjang for k, s in rows.items()}
    assert got == {"sk": True, "rek": True, "hasil": True, "inpassing": False, "pak": False}
