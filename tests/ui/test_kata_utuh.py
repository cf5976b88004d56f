"""Issue 14 (walk): at 390 px the team page's table broke its headers mid-word ("Pr/og/res/s",
"Rek/ome/nda/si") and a pegawai's name with them. In Chromium: no word of a team page's table is
split over two lines, and the page still does not scroll sideways (the table scrolls in its own
box)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import as_, demo_usulan_diajukan

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

# Every word of every table cell (a word: letters and digits between spaces, hyphens and slashes,
# where a line may break): a word whose glyphs sit on more than one line is split.
KATA_TERPOTONG = """() => {
    const split = [];
    for (const cell of document.querySelectorAll('main th, main td')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/[^\\s\\/\\-]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (tops.size > 1) split.push(m[0]);
            }
        }
    }
    return split;
}"""


def test_team_page_tables_keep_their_words_whole_on_a_phone(page):

    from apps.accounts.models import User
    from apps.referensi.models import JabatanFungsional
    from apps.verifikasi import services
    from tests.factories import gol_penilai
    from tests.verifikasi.conftest import MULAI, SELESAI, as_user, lulus_administrasi

    jf, usulan = demo_usulan_diajukan("Raden Ajeng Kusumawardhani Setyaningrum")  # a long name, as in life
    assert jf == JabatanFungsional.objects.get(kode="pengantar-kerja")
    admin = User.objects.get(username="admin.kemnaker")
    anggota = [("ketua.kemnaker", "ketua"), ("penilai1.kemnaker", "sekretaris"), ("penilai2.kemnaker", "anggota")]
    with as_user(admin):
        tim = services.tim_bentuk(
            actor=admin, jf=jf, nama="Tim Penilai Pengantar Kerja", mulai=MULAI, selesai=SELESAI,
            anggota=[(User.objects.get(username=u), p, True, gol_penilai()) for u, p in anggota],
        )  # fmt: skip
    usulan = lulus_administrasi(usulan, {"verifikator": User.objects.get(username="verifikator.kemnaker")})
    with as_user(admin):  # the team page's progress table has a row
        services.penilai_tugaskan(
            actor=admin, usulan_list=[usulan], tim=tim, penilai=[User.objects.get(username=u) for u, _p in anggota]
        )
    as_(page, "admin.kemnaker")
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/pembina/tim/", f"/pembina/tim/{tim.pk}/"):
        page.goto(url)
        assert page.locator("main th").count() >= 4, url
        assert page.evaluate(KATA_TERPOTONG) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
