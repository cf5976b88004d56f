"""Issue 13, third walk, item 2: the usulan and verifier pages show the real masa kerja in the last
pangkat (years and months) beside the years the penyesuaian table counts (capped at 4), as the PAK
does, never the cap alone."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template
from django.urls import reverse

from apps.pengusulan import selectors
from tests.surat.conftest import all_tenants


def test_the_pages_show_the_real_masa_kerja_beside_the_capped_years(client, diputuskan, staf, pic_pk):
    lulus, _t, _s = diputuskan(1, 0)
    u = lulus[0]
    # III/c since 1 April 2021, submitted 15 June 2026: 5 years 2 months, the table counts 4.
    expected = "4 tahun (masa kerja sebenarnya 5 tahun 2 bulan)"
    for user, url in (
        (pic_pk, reverse("pengusulan:usulan_detail", args=[u.pk])),
        (staf["verifikator"], reverse("verifikasi:periksa", args=[u.pk])),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        part = body.split('data-testid="ak-masa-kerja"', 1)[1].split("</", 1)[0]
        assert expected in part, (url, part)


def test_the_preview_of_a_draft_shows_the_real_masa_kerja(diputuskan):
    lulus, _t, _s = diputuskan(1, 0)
    with all_tenants():
        usulan = selectors.usulan_list().select_related("pegawai__golongan").get(pk=lulus[0].pk)
        pratinjau = selectors.ak_awal_pratinjau(usulan, date(2026, 11, 30))
    out = Template("{% load angka %}{{ p|masa_kerja }}").render(Context({"p": pratinjau}))
    assert out == "4 tahun (masa kerja sebenarnya 5 tahun 7 bulan)"
