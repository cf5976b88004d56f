"""No PAK with nothing new to assess (fresh-eye walk of issue 19): an usulan with no predikat
since the last PAK (the same AK kumulatif) went through to a PAK with "Masa penilaian -". The
usulan is refused with the reason until a konversi is recorded after that PAK."""

from __future__ import annotations

from datetime import date

import pytest

from apps.jabatan import services as jabatan
from apps.penetapan import services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import UsulanPenetapanAK
from tests.jabatan.test_kenaikan_pangkat import pak_budi  # noqa: F401 (fixture)
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab

#: Seed 001's April window of the next year.
PERIODE_II = date(2027, 4, 3)


def test_an_usulan_after_a_pak_needs_a_konversi_recorded_since(pak_budi, pic_kab, kab):  # noqa: F811
    budi, u = pak_budi
    with pc.as_user(pic_kab):
        alasan = services.alasan_tidak_bisa_buat(budi, PERIODE_II)
        assert "Belum ada konversi predikat kinerja Budi Santoso sejak PAK terakhir" in alasan
        assert u.surat_nomor in alasan
        with pytest.raises(PenetapanError, match="tidak ada angka kredit baru"):
            services.usulan_buat(actor=pic_kab, pejabat=budi, pada=PERIODE_II)
        assert UsulanPenetapanAK.objects.filter(pejabat=budi).count() == 1
        jabatan.konversi_catat(
            budi, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic_kab
        )
        assert services.alasan_tidak_bisa_buat(budi, PERIODE_II) == ""
        baru = services.usulan_buat(actor=pic_kab, pejabat=budi, pada=PERIODE_II)
    assert baru.status == "draft" and baru.periode.kode == "II"
