"""Texts and menus of the holder's side (fresh-eye walk of issue 19): the ``pejabat_fungsional``
role got /angka-kredit/sidang/ (200, empty) and a "Paraf & TTE" link on /surat/; the predikat
form did not say how partial months count (16 March–31 December = 10/12)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import akses
from apps.jabatan.domain import JenisMutasi, jumlah_bulan
from apps.jabatan.services import mutasi_tambah
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


@pytest.fixture
def pemegang(instansi_a, pic_a, referensi):
    p = buat_pejabat(instansi_a, referensi["pengantar-kerja"])
    with tenancy.scope(instansi_a):
        mutasi_tambah(p, JenisMutasi.AWAL, Decimal("50"), oleh=pic_a, periode_mulai=date(2025, 1, 1))
        user = akses.pejabat_undang(actor=pic_a, pejabat=p, email="ani@uji.siaks.go.id")
    return p, user


def test_the_holder_has_no_sidang_page_nor_a_paraf_link(client, pemegang):
    _p, user = pemegang
    client.force_login(user)
    assert client.get(reverse("penetapan:sidang_daftar")).status_code == 404
    assert client.post(reverse("penetapan:sidang_daftar"), {"tanggal": "2026-12-01"}).status_code == 404
    html = client.get(reverse("surat:daftar")).content.decode()
    assert reverse("ttd:antrean") not in html and "Sidang AK" not in html


def test_the_predikat_form_states_the_month_rule(client, pemegang, pic_a):
    p, _user = pemegang
    assert jumlah_bulan(date(2023, 3, 16), date(2023, 12, 31)) == 10
    client.force_login(pic_a)
    html = client.get(reverse("jabatan:detail", args=[p.pk])).content.decode()
    assert "bulan awal dan bulan akhir periode dihitung penuh" in html and "16 Maret–31 Desember = 10 bulan" in html
