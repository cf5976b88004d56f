"""The PAK/HAPAK tim page reads its letters' paraf and signature state set-wise: the same number
of queries for one letter as for four (it asked apps.ttd letter by letter before: N+1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.penetapan import selectors, services
from apps.ttd import services as ttd
from tests.factories import InstansiFactory, UserFactory
from tests.penetapan.conftest import PYB, as_user, bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan
from tests.surat.conftest import render_antrean

pytestmark = pytest.mark.django_db

NIPS = ["198609262015052001", "198701012010011003", "198802022011012004", "198903032012011005"]


def _hapak(pic, kab, jfak, tim, nips):
    """HAPAKs (40 AK, short of 50) for holders with these NIPs, decided in one sidang."""
    ids = []
    for nip in nips:
        p = buat_pejabat(kab, jfak, nip=nip, nama=f"Pejabat {nip[-3:]}", ak_awal=Decimal("40"))
        u = usulan_diajukan(pic, p)
        with as_user(tim["sekretariat"]):
            services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
        for a in tim["anggota"]:
            with as_user(a.user):
                services.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
        ids.append(u.pk)
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=ids
        )
    ketua = tim["anggota"][0].user
    with as_user(ketua):
        services.sidang_putuskan(actor=ketua, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim["anggota"]])
    render_antrean()


def _kueri(user) -> tuple[int, list[dict]]:
    with as_user(user), CaptureQueriesContext(connection) as ctx:
        baris = selectors.surat_tim_daftar(user)
    return len(ctx.captured_queries), baris


def test_the_team_letters_page_reads_in_a_fixed_number_of_queries(client, referensi):
    jfak = periode_seed_001(referensi["analis-kebijakan"])
    kab = InstansiFactory(kode="KAB-WONOSOBO", nama="Pemerintah Kabupaten Wonosobo", jenis="kabupaten")
    pic = UserFactory(username="pic.wonosobo", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpwo")
    ketua, stp = tim["anggota"][0].user, tim["sekretariat"]
    _hapak(pic, kab, jfak, tim, NIPS[:1])
    satu, baris = _kueri(ketua)
    assert len(baris) == 1
    pertama = baris[0]["versi"]
    _hapak(pic, kab, jfak, tim, NIPS[1:])
    # One of the four endorsed by the sekretariat: it waits for the ketua's signature now.
    with as_user(stp):
        ttd.paraf_beri(actor=stp, versi=pertama)
    empat, baris = _kueri(ketua)
    assert len(baris) == 4
    assert empat == satu, (satu, empat)
    # The states are still each letter's own.
    menunggu = {b["surat"].pk: b["menunggu_paraf"] for b in baris}
    assert menunggu[pertama.surat_id] == ""
    assert sum(1 for t in menunggu.values() if t.startswith("Sekretariat Tim Penilai")) == 3
    with as_user(stp):
        _n, baris_stp = _kueri(stp)
    assert {b["surat"].pk for b in baris_stp if b["menunggu_paraf_saya"]} == set(menunggu) - {pertama.surat_id}
    client.force_login(ketua)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert page.count("Menunggu paraf Sekretariat Tim Penilai") == 3
    assert page.count("Menunggu tanda tangan") == 1
