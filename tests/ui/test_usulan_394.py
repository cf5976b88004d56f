"""At 394 px in Chromium (a common phone width) the PIC's usulan page does not scroll sideways,
whatever it holds: a draft that fails the JF's rules (the eligibility card and its badge), a
submitted one, one returned for perbaikan, in an instansi with several pegawai. The eligibility
badge stays on the card header's width and wraps between words, never inside one."""

from __future__ import annotations

import pytest

from tests.ui.conftest import as_, demo_usulan_diajukan

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

LEBAR = 394

TERLEBAR = """(w) => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 0.5)
    .slice(0, 8)
    .map(e => e.tagName + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right))"""

# A word of a button or badge whose glyphs sit on more than one line is cut ("Bat/alka/n").
KATA_TERPOTONG = """() => {
    const split = [];
    for (const el of document.querySelectorAll('main .btn, main .badge')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
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

LENCANA = """() => [...document.querySelectorAll('[data-testid=eligibilitas] .card-header .badge')].map(b => {
    const r = b.getBoundingClientRect(), h = b.closest('.card-header').getBoundingClientRect();
    return {teks: b.innerText, kiri: r.left, kanan: r.right, hkiri: h.left, hkanan: h.right,
            lebar_isi: b.scrollWidth, lebar: b.clientWidth};
})"""


def test_the_pics_usulan_pages_fit_394_px(page):
    from apps.accounts.models import User
    from apps.core import tenancy
    from apps.pengusulan import services
    from tests.pengusulan.conftest import pegawai_data

    jf, diajukan = demo_usulan_diajukan("Dr. Raden Ayu Sekar Kusumawardhani Prameswari, S.H., M.Kn.")
    pic = User.objects.get(username="pic.kemenhub")
    drafts = []
    with tenancy.scope(pic.instansi):
        for i, (nama, extra) in enumerate(
            [
                ("Bambang Sutrisno Wicaksono", {}),
                # fails hard rules: too old at the TMT and too little experience
                ("Sri Rahayu Widyaningsih Kusumastuti", {"pengalaman_bulan": 11}),
                ("Muhammad Rizky Pratama Adiwijaya", {}),
            ]
        ):
            nip = ("19620101 199003 2 0" if i == 1 else "19860926 201505 1 0") + f"{i + 20:02d}"
            pegawai = services.pegawai_create(actor=pic, data=pegawai_data(nip=nip, nama=nama, **extra))
            drafts.append(services.usulan_create(actor=pic, pegawai=pegawai, jf=jf))
    as_(page, "pic.kemenhub")
    page.set_viewport_size({"width": LEBAR, "height": 844})
    for url in ("/pengusulan/", "/pegawai/"):  # the lists of the several pegawai and their usulan
        assert page.goto(url).status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= LEBAR, (url, width, page.evaluate(TERLEBAR, LEBAR))
    for usulan in (*drafts, diajukan):
        url = f"/usulan/{usulan.pk}/"
        assert page.goto(url).status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= LEBAR, (url, width, page.evaluate(TERLEBAR, LEBAR))
        assert page.evaluate(KATA_TERPOTONG) == [], url
        for b in page.evaluate(LENCANA):
            assert b["hkiri"] - 0.5 <= b["kiri"] and b["kanan"] <= b["hkanan"] + 0.5, (url, b)
            assert b["lebar_isi"] <= b["lebar"], (url, b)  # no word cut inside the badge
