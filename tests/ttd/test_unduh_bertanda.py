"""Issue 17 (helper h17): once a letter is signed, the pejabat fungsional it is about got, beside
the signed copy, a link "PDF terbit (belum ditandatangani)" — the unsigned PDF, confusing to the
one person who needs the signed one. The holder's page, their view of the letter and
/api/v1/saya/ now offer the signed copy only; the issued PDF from before the signature stays a
secondary link for staff, labelled as the archive."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import akses
from apps.jabatan.models import PejabatFungsional
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import services
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

ARSIP = "PDF terbit sebelum ditandatangani (arsip)"


def _href(html: str, testid: str) -> list[str]:
    return re.findall(rf'<a[^>]*href="([^"]+)"[^>]*data-testid="{testid}"', html)


def _isi(response) -> bytes:
    return b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_holder_is_offered_the_signed_copy_and_staff_keep_the_issued_pdf_as_the_archive(
    client, sk_siap, ppk_pk, pejabat_ppk, pic_pk
):
    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(pk=versi.pk)
        nip = Usulan.objects.filter(surat_baris__surat=versi.surat).values_list("pegawai_nip", flat=True).get()
        pf = PejabatFungsional.objects.get(nip=nip)
        assert services.ditandatangani(versi)
    signed = baca(versi.ttd_berkas)
    terbit, bertanda = reverse("surat:unduh", args=[versi.pk]), reverse("surat:unduh_ttd", args=[versi.pk])
    with tenancy.scope(pf.instansi):
        holder = akses.pejabat_undang(actor=pic_pk, pejabat=pf, email="pemegang@uji.siaks.go.id")

    client.force_login(holder)
    # Their own page: the signed copy, and no unsigned PDF beside it.
    html = client.get(reverse("saya:beranda")).content.decode()
    assert bertanda in _href(html, "unduh-bertanda-tangan")  # beside their PAK's signed copy
    assert terbit not in html and "PDF terbit" not in html and 'data-testid="unduh-terbit"' not in html
    assert _isi(client.get(bertanda)) == signed
    # The letter's page, as the holder reaches it: the signed copy is the download.
    page = client.get(reverse("surat:detail", args=[versi.surat_id]))
    if page.status_code == 200:
        detail = page.content.decode()
        assert _href(detail, "unduh-surat") == [bertanda]
        assert reverse("surat:unduh", args=[versi.pk]) + '"' not in detail and ARSIP not in detail
    else:
        assert page.status_code == 404
    # The API gives the signed copy as the download.
    api = client.get(reverse("api:saya")).json()
    (surat,) = [s for s in api["surat"] if s["id"] == versi.surat_id]
    assert surat["ditandatangani"] and surat["unduh"] == bertanda == surat["unduh_bertanda_tangan"]

    # Staff: the signed copy first, the issued PDF as a secondary link labelled as the archive.
    client.force_login(ppk_pk)
    detail = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert _href(detail, "unduh-surat") == [bertanda]
    assert terbit in _href(detail, "unduh-terbit") and ARSIP in detail
    assert "(belum ditandatangani)" not in detail
