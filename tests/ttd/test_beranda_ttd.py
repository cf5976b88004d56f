"""Fresh-eye finding (issue 17): the PPK's home page still described the manual flow ("… lalu unggah
salinan yang telah ditandatangani") and showed nothing of what waits for their signature; paraf
givers and signers had no "Paraf & TTE" menu item. The home page counts the letters waiting for my
paraf and for my signature (set-wise, the same number of queries for 2 letters as for 4), and the
main menu leads to the queue for every approver and signing official, and for nobody else."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.ttd import services
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _teks(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _menu(html: str) -> str:
    return html[html.index('id="nav-utama"') : html.index("</nav>")]


def _beranda(client, user) -> tuple[str, str, int]:
    client.force_login(user)
    client.get(reverse("portal:beranda"))  # warm: session written
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("portal:beranda"))
    assert response.status_code == 200
    n = sum("SAVEPOINT" not in q["sql"] for q in ctx.captured_queries)
    return response.content.decode(), _teks(response), n


def test_the_home_page_counts_my_paraf_and_signature_and_the_menu_leads_to_the_queue(
    client, alur, kabag, sk_siap, ppk_pk, pejabat_ppk, staf
):
    sk_siap(4)
    html, teks, n_kabag = _beranda(client, kabag)
    assert "4 surat menunggu paraf Anda." in teks and "siap Anda tandatangani" not in teks  # not an official
    assert f'href="{reverse("ttd:antrean")}"' in _menu(html) and "Paraf &amp; TTE" in _menu(html)
    html, teks, _n = _beranda(client, ppk_pk)
    with as_user(ppk_pk):
        siap = len(services.antrean_ttd(ppk_pk))  # the PAKs are signed; the SKs wait for the paraf
    assert f"0 surat menunggu paraf Anda; {siap} surat siap Anda tandatangani." in teks
    assert "lalu unggah salinan yang telah ditandatangani" not in teks
    assert "tandatangani secara elektronik (TTE) di Paraf &amp; TTE" in teks
    assert "Paraf &amp; TTE" in _menu(html)
    # Parafs given: the counts follow, the queries do not (the signer's queue checks each SK's PAK
    # set-wise, seed 004: the same queries for one SK now signable as for three).
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=services.antrean_paraf(kabag)[0])
    _html, teks, n = _beranda(client, kabag)
    assert "3 surat menunggu paraf Anda." in teks and n == n_kabag, (n, n_kabag)
    _html, teks, n_ppk = _beranda(client, ppk_pk)
    assert f"0 surat menunggu paraf Anda; {siap + 1} surat siap Anda tandatangani." in teks
    with as_user(kabag):
        for versi in services.antrean_paraf(kabag)[:2]:
            services.paraf_beri(actor=kabag, versi=versi)
    _html, teks, n = _beranda(client, kabag)
    assert "1 surat menunggu paraf Anda." in teks and n == n_kabag, (n, n_kabag)
    _html, teks, n = _beranda(client, ppk_pk)
    assert f"0 surat menunggu paraf Anda; {siap + 3} surat siap Anda tandatangani." in teks
    assert n == n_ppk, (n, n_ppk)
    # Someone with no queue: no menu item, no card.
    html, teks, _n = _beranda(client, staf["verifikator"])
    assert "Paraf &amp; TTE" not in _menu(html) and 'data-testid="tugas-ttd-beranda"' not in html
