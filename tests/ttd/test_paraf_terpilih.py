"""Fresh-eye finding (issue 17): on /ttd/ an approver gave each paraf with its own click while the
signer signs many letters at once. "Paraf terpilih" gives the paraf on each selected version in
force, in a server-side form (no script: CSP), and reports per letter what was given and what was
refused with the reason; one refusal stops no other."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.surat import services as surat_services
from apps.ttd.models import Paraf
from tests.surat.conftest import all_tenants, render_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_the_approver_gives_the_paraf_on_the_selected_letters_at_once(
    client, alur, kabag, sk_siap, ppk_pk, pejabat_ppk
):
    a, b, c = (v for v in sk_siap(3) if v.surat.jenis == "sk")
    client.force_login(kabag)
    page = client.get(reverse("ttd:antrean")).content.decode()
    form = page[page.index('data-testid="form-paraf-terpilih"') : page.index("</form>", page.index("form-paraf"))]
    assert f'action="{reverse("ttd:antrean")}"' in page and 'data-testid="paraf-terpilih"' in form
    for v in (a, b, c):
        assert re.search(rf'name="versi" value="{v.pk}"[^>]*checked', form)
        assert f'formaction="{reverse("ttd:paraf", args=[v.pk])}"' in form  # the single paraf stays
    assert "<script" not in form
    # C is corrected after the page was loaded: its old version takes no paraf.
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=c.surat, alasan="TMT keliru")
    render_antrean()
    response = client.post(reverse("ttd:antrean"), {"versi": [a.pk, b.pk, c.pk, "x", "999999"]}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Paraf diberikan pada 2 surat: {a.surat.nomor}, {b.surat.nomor}." in html
    ditolak = html[html.index('data-testid="daftar-alasan"') :]
    ditolak = ditolak[: ditolak.index("</div>")]
    assert f"{c.surat.nomor}: " in ditolak and "versi yang lebih baru" in ditolak, ditolak
    assert "tidak ditemukan atau tidak menunggu paraf Anda" in ditolak
    with all_tenants():
        diparaf = set(Paraf.objects.filter(user=kabag, batal_at__isnull=True).values_list("versi_id", flat=True))
    assert diparaf == {a.pk, b.pk}
    # Nothing selected: said so, nothing given.
    response = client.post(reverse("ttd:antrean"), {}, follow=True)
    assert "Pilih surat yang akan diparaf." in response.content.decode()
    # A letter no longer waiting for this approver (given already) is reported, not a 403.
    response = client.post(reverse("ttd:antrean"), {"versi": [a.pk]}, follow=True)
    assert response.status_code == 200 and f"{a.surat.nomor}: " in response.content.decode()
