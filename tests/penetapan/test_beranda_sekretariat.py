"""Issue 19 (F5): the Sekretariat Tim Penilai's home page lists what waits for them — the usulan
penetapan AK submitted for the completeness check (count, the oldest ones to open), those in
assessment and in a sidang — with links, in the same number of queries however many there are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.penetapan.conftest import buat_pejabat, ke_penilaian, usulan_diajukan

pytestmark = pytest.mark.django_db


def _kueri(client, url) -> tuple[int, str]:
    client.get(url)  # warm: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]), r.content.decode()


def _pejabat(kab, jfak, i):
    return buat_pejabat(kab, jfak, nip=f"198609262015052{i:03d}", nama=f"Pejabat Uji {i}", ak_awal=Decimal("40"))


def test_the_sekretariat_home_page_lists_the_usulan_waiting_for_them(client, pic_kab, kab, jfak, tim_prov, ani, budi):
    stp = tim_prov["sekretariat"]
    client.force_login(stp)
    url = reverse("portal:beranda")
    n0, page = _kueri(client, url)
    assert 'data-testid="antrean-sekretariat"' in page
    assert "0 usulan penetapan angka kredit menunggu pemeriksaan kelengkapan" in page

    diajukan = usulan_diajukan(pic_kab, ani)
    dinilai = ke_penilaian(pic_kab, budi, tim_prov)
    n1, page = _kueri(client, url)
    assert "1 usulan penetapan angka kredit menunggu pemeriksaan kelengkapan" in page
    assert reverse("penetapan:daftar") + "?status=diajukan" in page
    assert reverse("penetapan:detail", args=[diajukan.pk]) in page and "Ani Wulandari" in page
    assert "1 usulan dalam penilaian tim" in page and reverse("penetapan:sidang_daftar") in page
    # Budi is past the check: counted in assessment, not listed as waiting for it.
    assert reverse("penetapan:detail", args=[dinilai.pk]) not in page

    for i in range(5):
        usulan_diajukan(pic_kab, _pejabat(kab, jfak, 100 + i))
    n2, page = _kueri(client, url)
    assert "6 usulan penetapan angka kredit menunggu pemeriksaan kelengkapan" in page
    assert n1 == n2, (n1, n2)  # bounded: the same queries for 1 or 6 waiting
    assert n2 <= n0 + 3, (n0, n2)

    # The link opens the list of the submitted ones only.
    r = client.get(reverse("penetapan:daftar") + "?status=diajukan").content.decode()
    assert "Ani Wulandari" in r and "Budi Santoso" not in r and 'data-testid="saring-status"' in r
    r = client.get(reverse("penetapan:daftar")).content.decode()
    assert "Ani Wulandari" in r and "Budi Santoso" in r


def test_another_role_sees_no_sekretariat_queue(client, pic_kab, tim_prov, ani):
    usulan_diajukan(pic_kab, ani)
    client.force_login(pic_kab)
    page = client.get(reverse("portal:beranda")).content.decode()
    assert 'data-testid="antrean-sekretariat"' not in page
