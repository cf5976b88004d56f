"""Issue 17, fresh-eye walk item 4 (helper i17d): "Nonaktifkan" on the signing officials page asks
for confirmation on a page of its own (no script), stating what deactivating leaves behind — the
letters waiting for that official's signature, the paraf chains naming them as signer — with
"Batal"; only the POST from that page deactivates."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from apps.core.models import AuditLog
from apps.surat.models import Surat
from apps.ttd.models import AlurParaf, Pejabat
from tests.surat.conftest import all_tenants

pytestmark = pytest.mark.django_db


def _teks(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_deactivating_an_official_is_confirmed_on_a_page_naming_the_letters_waiting_for_them(
    client, sk_siap, pic_pk, pejabat_ppk, instansi_a
):
    (versi,) = sk_siap(1, pak_ttd=False)  # the PAK issued with it waits for them too
    with all_tenants():
        AlurParaf.objects.create(instansi=instansi_a, jenis="sk", aktif=True, penanda=pejabat_ppk)
    client.force_login(pic_pk)
    url = reverse("ttd:pejabat_aktif", args=[pejabat_ppk.pk])
    # The list links to the confirmation page (a GET), not a form that deactivates at once.
    daftar = client.get(reverse("ttd:pejabat")).content.decode()
    assert f'href="{url}" data-testid="aktif-pejabat-{pejabat_ppk.pk}"' in daftar

    def tidak_berubah():
        with all_tenants():
            assert Pejabat.objects.get(pk=pejabat_ppk.pk).aktif
            assert not AuditLog.objects.filter(action="ttd.pejabat_dinonaktifkan").exists()

    r = client.get(url)
    assert r.status_code == 200
    page = _teks(r)
    assert f"Nonaktifkan {pejabat_ppk.nama}?" in page
    akibat = page.split('data-testid="akibat-nonaktif"')[1].split("</div>")[0]
    # The SK and the PAK issued with it name the official and wait for their signature.
    with all_tenants():
        pak = Surat.objects.get(jenis="pak", penandatangan_nip=pejabat_ppk.nip)
    assert "2 surat yang menyebutnya sebagai penanda tangan belum ditandatanganinya" in akibat
    for surat in (versi.surat, pak):
        assert surat.nomor in akibat and reverse("surat:detail", args=[surat.pk]) in akibat
    assert "Alur paraf yang memilihnya sebagai penanda tangan: SK pengangkatan." in akibat
    assert 'data-testid="konfirmasi-nonaktif"' in page
    assert f'href="{reverse("ttd:pejabat")}" data-testid="batal-nonaktif"' in page
    assert "onclick" not in r.content.decode() and "confirm(" not in r.content.decode()
    tidak_berubah()
    # A POST without the confirmation (the old form, a replayed request) shows the page again.
    r = client.post(url, {"aktif": "0"})
    assert r.status_code == 200 and 'data-testid="konfirmasi-nonaktif"' in r.content.decode()
    tidak_berubah()
    # Confirmed: deactivated and audited.
    r = client.post(url, {"aktif": "0", "konfirmasi": "1"})
    assert r.status_code == 302 and r.url == reverse("ttd:pejabat")
    with all_tenants():
        assert not Pejabat.objects.get(pk=pejabat_ppk.pk).aktif
        assert AuditLog.objects.filter(action="ttd.pejabat_dinonaktifkan", actor=pic_pk).count() == 1
    # Reactivating is not destructive: one POST from the list, no confirmation page.
    r = client.post(url, {"aktif": "1"})
    assert r.status_code == 302
    with all_tenants():
        assert Pejabat.objects.get(pk=pejabat_ppk.pk).aktif


def test_the_confirmation_page_of_another_instansis_official_is_404(client, staf, pejabat_ppk):
    client.force_login(staf["admin"])
    assert client.get(reverse("ttd:pejabat_aktif", args=[pejabat_ppk.pk])).status_code == 404
