"""Accessibility and phones (issue 14, item 10), in Chromium.

axe-core (npm, served from /static/vendor/axe-core/) runs on every main page of every role —
each entry of the role's menu, plus the dossier pages — and must report 0 serious and 0
critical violations; the counts are printed. At 390 px wide no page scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.ui.conftest import axe_serius, demo_usulan_diajukan, login

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

ROLES = ["superadmin", "admin.setneg", "verifikator.setneg", "ketua.setneg", "penilai1.setneg", "pic.kemenhub",
         "ppk.kemenhub", "admin.kemnaker", "verifikator.kemnaker", "pejabat.kemenhub"]  # fmt: skip


def _menu(page) -> list[str]:
    return page.eval_on_selector_all(
        "nav.navbar a.nav-link[href^='/'], nav.navbar a.dropdown-item[href^='/']",
        "els => els.map(e => e.getAttribute('href'))",
    )


def test_every_main_page_of_every_role_has_no_serious_axe_violation_and_fits_a_phone(page, capsys):
    from apps.accounts.models import User

    _jf, usulan = demo_usulan_diajukan("Rahmat Hidayat")
    extra = {
        "pic.kemenhub": [f"/usulan/{usulan.pk}/", "/akun/permintaan-ppk/", "/ttd/pejabat/baru/"],
        "verifikator.kemnaker": [f"/pembina/usulan/{usulan.pk}/"],
        "admin.kemnaker": [f"/pembina/usulan/{usulan.pk}/", "/platform/instansi/baru/", "/pembina/staf/baru/"],
    }
    users = set(User.objects.values_list("username", flat=True))
    found, wide, pages = [], [], 0
    for username in [r for r in ROLES if r in users]:
        page.set_viewport_size({"width": 1280, "height": 800})
        login(page, username, settings.SIAKS_DEMO_PASSWORD)
        page.wait_for_url(re.compile(r".*/(beranda|saya)/$"))  # a JF holder's home is their own record
        urls = ["/beranda/", *_menu(page), *extra.get(username, [])]
        if username == "superadmin":
            urls += ["/platform/instansi/baru/", "/platform/pengguna/baru/"]
        for url in dict.fromkeys(u for u in urls if not u.startswith("/akun/keluar")):
            response = page.goto(url)
            if response is None or response.status >= 400:
                continue
            pages += 1
            # Chart axes for counts step in whole numbers (issue 14, item 9).
            ticks = page.evaluate(
                "() => typeof Chart === 'undefined' ? [] : [...document.querySelectorAll('canvas[data-grafik]')]"
                ".flatMap(c => Chart.getChart(c) ? Chart.getChart(c).scales.y.ticks.map(t => t.value) : [])"
            )
            if any(t != int(t) for t in ticks):
                found.append(f"{username} {url}: sumbu grafik tidak bulat {ticks}")
            for v in axe_serius(page):
                found.append(f"{username} {url}: {v['impact']} {v['id']} ×{v['n']} {v['target']}")
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                widest = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 392)
                        .slice(0, 3).map(e => e.tagName + '.' + [...e.classList].join('.'))"""
                )
                wide.append(f"{username} {url}: {width} px {widest}")
            page.set_viewport_size({"width": 1280, "height": 800})
        page.context.clear_cookies()
    serious = sum(1 for f in found if " serious " in f)
    critical = sum(1 for f in found if " critical " in f)
    with capsys.disabled():
        print(f"\naxe-core: {pages} halaman, {serious} pelanggaran serius, {critical} kritis; "
              f"{len(wide)} halaman lebih lebar dari 390 px")  # fmt: skip
        print("\n".join([*found, *wide]))
    assert pages >= 30
    assert found == []
    assert wide == []
