"""A signed copy belongs to its letter (issue 14, item 8): the same file is refused as the signed
copy of a second SK, and another letter's issued PDF is not this letter's signed copy."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services
from tests.pdfs import valid_pdf
from tests.surat.conftest import all_tenants, render_antrean, terbitkan_rekomendasi, terbitkan_sk, versi_berlaku
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_one_signed_file_cannot_be_the_copy_of_two_sks(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    sk_bayu, sk_wulan = terbitkan_sk(ppk_pk, lulus[:1])[0], terbitkan_sk(ppk_pk, lulus[1:2])[0]
    render_antrean()
    scan = valid_pdf(padding=77)
    with as_user(ppk_pk):
        services.ttd_unggah(actor=ppk_pk, versi=versi_berlaku(sk_bayu), upload=SimpleUploadedFile("ttd.pdf", scan))
        with pytest.raises(ValidationError, match="sudah menjadi salinan bertanda tangan surat lain"):
            services.ttd_unggah(actor=ppk_pk, versi=versi_berlaku(sk_wulan), upload=SimpleUploadedFile("ttd.pdf", scan))
        with open(versi_berlaku(sk_bayu).berkas.path, "rb") as fh:  # Bayu's issued SK as Wulan's signed copy
            issued = fh.read()
        with pytest.raises(ValidationError, match="surat lain"):
            services.ttd_unggah(
                actor=ppk_pk, versi=versi_berlaku(sk_wulan), upload=SimpleUploadedFile("sk.pdf", issued)
            )
    with all_tenants():
        assert Usulan.objects.get(pk=lulus[1].pk).status != Status.SK_TERBIT
        assert not versi_berlaku(sk_wulan).ttd_berkas
