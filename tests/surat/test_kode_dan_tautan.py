"""Letters (issue 14, item 8): the public page takes a typed code (any case, with or without
dashes), and the PIC's usulan page links to its letters and says "SK terbit" at the end."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat.models import JenisSurat, VersiSurat
from tests.surat.conftest import all_tenants, sk_terbit

pytestmark = pytest.mark.django_db


def test_a_typed_code_finds_the_letter_and_the_pic_page_links_its_letters(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    lulus, _t, _s = diputuskan(1, 0)
    page = client.get(reverse("surat:verifikasi_cari"))
    assert page.status_code == 200 and 'name="kode"' in page.content.decode()
    sk_versi = sk_terbit(admin=staf["admin"], ppk=ppk_pk, jf=pk, instansi=instansi_a, usulan=lulus[0])
    kode = sk_versi.kode
    for typed in (kode, kode.lower(), kode.replace("-", ""), f" {kode.replace('-', ' ').lower()} "):
        response = client.get(reverse("surat:verifikasi_cari"), {"kode": typed})
        assert response.status_code == 302 and response["Location"] == reverse("surat:verifikasi", args=[kode])
    response = client.get(f"/v/{kode.lower().replace('-', '')}/")
    assert response.status_code == 302 and response["Location"] == reverse("surat:verifikasi", args=[kode])
    response = client.get(reverse("surat:verifikasi_cari"), {"kode": "ZZZZ-ZZZZ-Z9"})
    html = response.content.decode()
    assert response.status_code == 404 and "tidak ditemukan" in html and 'value="ZZZZ-ZZZZ-Z9"' in html

    client.force_login(pic_pk)
    html = client.get(reverse("pengusulan:usulan_detail", args=[lulus[0].pk])).content.decode()
    assert 'data-testid="sk-terbit"' in html and "sedang diproses instansi pembina" not in html
    with all_tenants():
        surat = {v.surat.jenis: v.surat for v in VersiSurat.objects.select_related("surat")}
    assert reverse("surat:detail", args=[surat[JenisSurat.SK].pk]) in html
    assert reverse("surat:detail", args=[surat[JenisSurat.REKOMENDASI].pk]) in html


def test_kode_tak_dikenal_di_jalur_menyebut_tidak_ditemukan(client):
    """/v/<kode>/ with a code never issued says so as /v/?kode= does (issue 17, i17l), still 404."""
    response = client.get(reverse("surat:verifikasi", args=["ZZZZ-ZZZZ-ZZ"]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Kode ZZZZ-ZZZZ-ZZ tidak ditemukan. Periksa kembali kode" in html and 'value="ZZZZ-ZZZZ-ZZ"' in html
