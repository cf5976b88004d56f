"""Issue 14 (walk): at 390 px the team pages' table headers broke mid-word ("Bersertifik / at").
In Chromium: no header word of the team pages is split over two lines, and the page still does
not scroll sideways (the table scrolls in its own box)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import as_

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

# Every word of every table header: a word whose glyphs sit on more than one line is split.
KATA_TERPOTONG = """() => {
    const split = [];
    for (const th of document.querySelectorAll('main th')) {
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/\\S+/g)) {
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


def test_team_page_headers_keep_their_words_whole_on_a_phone(page):
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.referensi.models import JabatanFungsional
    from apps.verifikasi import services
    from tests.factories import gol_penilai
    from tests.verifikasi.conftest import MULAI, SELESAI, as_user

    call_command("load_referensi")
    call_command("demo_data")
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
    admin = User.objects.get(username="admin.kemnaker")
    anggota = [("ketua.kemnaker", "ketua"), ("penilai1.kemnaker", "sekretaris"), ("penilai2.kemnaker", "anggota")]
    with as_user(admin):
        tim = services.tim_bentuk(
            actor=admin, jf=jf, nama="Tim Penilai Pengantar Kerja", mulai=MULAI, selesai=SELESAI,
            anggota=[(User.objects.get(username=u), p, True, gol_penilai()) for u, p in anggota],
        )  # fmt: skip
    as_(page, "admin.kemnaker")
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/pembina/tim/", f"/pembina/tim/{tim.pk}/"):
        page.goto(url)
        assert page.locator("main th").count() >= 4, url
        assert page.evaluate(KATA_TERPOTONG) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
