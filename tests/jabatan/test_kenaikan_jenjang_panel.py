"""Issue 19 fresh-eye walk: the pembina's page of a kenaikan jenjang usulan shows the step's own
facts — jenjang held → target, time in the JF since the holder's TMT, AK kumulatif against the
threshold, the batas usia pensiun — and none of the inpassing's (pengalaman, AK awal, "TMT
pengangkatan paling lambat"); an inpassing's "Jabatan" line has no trailing comma without a unit
kerja. The PPK's and the rekomendasi page's "Batas TMT" of a kenaikan jenjang is the BUP's."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import durasi
from apps.jabatan import kenaikan
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan import services as pic_services
from apps.referensi import domain as rules
from tests.jabatan.conftest import buat_pejabat
from tests.pengusulan.conftest import ON, upload_all_mandatory
from tests.surat.conftest import all_tenants

pytestmark = pytest.mark.django_db


def _teks(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def usulan_kj(instansi_a, pk, pic_pk):
    """Analis-style walk data: an Ahli Pertama III/b since 1 March 2020 with AK 105,25 (threshold
    100), no unit kerja, proposed for Ahli Muda and submitted."""
    holder = buat_pejabat(
        instansi_a, pk, golongan="III/b", nip="199002282015031003", nama="Yoga Aditya", tmt=date(2020, 3, 1)
    )
    with tenancy.scope(instansi_a):
        mutasi_tambah(holder, JenisMutasi.AWAL, Decimal("80"), oleh=pic_pk, periode_mulai=date(2020, 3, 1))
        mutasi_tambah(
            holder, JenisMutasi.KONVERSI, Decimal("25.25"), oleh=pic_pk, periode_mulai=date(2025, 1, 1),
            periode_selesai=date(2025, 12, 31), predikat="baik",
        )  # fmt: skip
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=holder)
    upload_all_mandatory(pic_pk, usulan)
    with tenancy.scope(instansi_a):
        return pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)


def test_the_pembina_panel_shows_the_kenaikan_jenjangs_own_facts(client, usulan_kj, staf, pk):
    bulan = rules.full_months_between(date(2020, 3, 1), timezone.localdate())
    pensiun = rules.tanggal_pensiun(date(1990, 2, 28), 58)
    for user in (staf["admin"], staf["verifikator"]):
        client.force_login(user)
        response = client.get(reverse("verifikasi:periksa", args=[usulan_kj.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        panel = _teks(html.split('data-testid="data-kenaikan-jenjang"', 1)[1].split("</dl>", 1)[0])
        assert f"{pk.nama} Ahli Pertama → Ahli Muda" in panel
        assert f"sejak TMT 1 Maret 2020 ({durasi(bulan)})" in panel
        assert "AK kumulatif 105,25 / 100 memenuhi" in panel
        assert "Batas usia pensiun 58 tahun, TMT pensiun" in panel and str(pensiun.year) in panel
        text = _teks(html)
        for inpassing in ("Pengalaman", "AK awal", "TMT pengangkatan paling lambat", "Data pegawai (saat diajukan)"):
            assert inpassing not in text, inpassing
        assert "Ahli Pertama," not in text


def test_batas_tmt_of_a_kenaikan_jenjang_is_the_bup(usulan_kj):
    with all_tenants():
        html = _teks(render_to_string("pengusulan/_tmt_paling_lambat.html", {"u": usulan_kj}))
        ak = _teks(render_to_string("pengusulan/_ak_rincian.html", {"u": usulan_kj}))
    # Born 28 February 1990, BUP 58: the day before the TMT pensiun, not the appointment's max age.
    terakhir = rules.tanggal_pensiun(date(1990, 2, 28), 58) - timezone.timedelta(days=1)
    assert html.startswith("TMT kenaikan jenjang paling lambat") and str(terakhir.year) in html
    assert "pengangkatan" not in html
    assert "tanpa AK awal" in ak


def test_an_inpassing_without_unit_kerja_has_no_trailing_comma(client, diajukan, staf):
    (usulan,) = diajukan(1, unit_kerja="")
    client.force_login(staf["admin"])
    text = _teks(client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode())
    jabatan = usulan.data_pegawai["jabatan_saat_ini"]
    assert f"Jabatan {jabatan} Pengalaman" in text
    assert f"{jabatan} ," not in text and f"{jabatan}," not in text
