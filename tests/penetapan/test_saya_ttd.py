"""The holder's PAK before and after the PYB signs it (issue 19 fresh-eye walk, F1/F6): seed 001
BAB IV E.2 has the PAK signed by the PYB, so until then /saya/ says it waits for the PYB's
signature and does not hand out the unsigned PDF (page, download URL and API); once signed, the
page and the API say who signed it and when, and both link the signed copy."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.surat.models import VersiSurat
from tests.penetapan.conftest import PYB, sidang_ani_dan_budi
from tests.surat.conftest import render_antrean, tandatangani_basah

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi_pak(pic_kab, kab, ani, budi, tim_prov):
    from tests.factories import UserFactory

    holder = UserFactory(username="budi.holder", instansi=kab, roles=["pejabat_fungsional"])
    with tenancy.all_tenants(reason="test fixture"):
        type(budi).objects.filter(pk=budi.pk).update(user=holder)
    hasil = sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)
    render_antrean()
    u = next(h for h in hasil if h.pejabat_nama == "Budi Santoso")
    with tenancy.all_tenants(reason="test fixture"):
        versi = VersiSurat.objects.select_related("surat").get(surat_id=u.surat_id, diganti_at__isnull=True)
    return type(holder).objects.get(pk=holder.pk), u, versi


def test_the_holder_gets_the_pak_only_once_the_pyb_signed_it(client, budi_pak, tim_prov):
    holder, _u, versi = budi_pak
    client.force_login(holder)
    page = client.get(reverse("saya:beranda")).content.decode()
    menunggu = f"PAK diterbitkan, menunggu tanda tangan {PYB[0]}"
    assert menunggu in page and "PAK ditetapkan" not in page
    assert reverse("surat:unduh", args=[versi.pk]) not in page
    # The unsigned PDF's URL refuses the holder with the reason (no file served).
    r = client.get(reverse("surat:unduh", args=[versi.pk]), follow=True)
    assert r.status_code == 200 and "belum ditandatangani" in r.content.decode()
    assert r.get("Content-Type", "").startswith("text/html")
    api = client.get("/api/v1/saya/").json()
    (s,) = [s for s in api["surat"] if s["id"] == versi.surat_id]
    assert (s["ditandatangani"], s["unduh"], s["unduh_bertanda_tangan"]) == (False, None, None)
    assert s["status_ttd"] == menunggu

    tandatangani_basah(versi.surat, tim_prov["sekretariat"])
    page = client.get(reverse("saya:beranda")).content.decode()
    assert menunggu not in page and f"PAK ditandatangani {PYB[0]} pada" in page
    signed = reverse("surat:unduh_ttd", args=[versi.pk])
    assert signed in page
    r = client.get(signed)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    # The letter's card to the holder (who does not see the issuer's signature rows): said once,
    # by how it was made — a scan uploaded here (F4: "… diunggah diunggah").
    kartu = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="status-ttd-kartu"' in kartu and "Salinan bertanda tangan diunggah" in kartu
    teks = " ".join(re.sub(r"<[^>]+>", " ", kartu).split())
    assert "diunggah diunggah" not in teks and "Salinan bertanda tangan diunggah pada" in teks
    api = client.get("/api/v1/saya/").json()
    (s,) = [s for s in api["surat"] if s["id"] == versi.surat_id]
    assert s["ditandatangani"] is True and s["ditandatangani_pada"]
    assert s["unduh"] == signed == s["unduh_bertanda_tangan"]
    assert s["status_ttd"].startswith(f"PAK ditandatangani {PYB[0]} pada")
