"""An upload of a signed copy is one unit of work: when a step after the copy is stored fails
(here, moving the usulan to "SK terbit"), nothing of it is left behind, whoever calls the
service. The service must not rely on its caller's transaction (a view's, or a test's)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.pdfs import pindaian
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_a_scan_upload_that_fails_after_storing_the_copy_leaves_nothing(sk_siap, ppk_pk, monkeypatch):
    (versi,) = sk_siap(1)
    scan = pindaian(baca(versi.berkas))

    def gagal(**kwargs):
        raise services.TtdError("Perpindahan status gagal.")

    monkeypatch.setattr(services, "pindahkan", gagal)
    with as_user(ppk_pk), pytest.raises(services.TtdError, match="Perpindahan status gagal"):
        services.unggah_salinan(
            actor=ppk_pk, versi=versi, upload=SimpleUploadedFile("pindaian.pdf", scan),
            alasan_manual="Layanan TTE sedang gangguan.",
        )  # fmt: skip
    with all_tenants():
        assert not TandaTangan.objects.filter(versi_id=versi.pk).exists()
        assert not VersiSurat.objects.get(pk=versi.pk).ttd_berkas
        assert set(Usulan.objects.filter(surat_baris__surat=versi.surat_id).values_list("status", flat=True)) == {
            Status.DIREKOMENDASIKAN
        }
    # The same upload then succeeds: no half-written copy blocks it ("sudah ada").
    monkeypatch.undo()
    with as_user(ppk_pk):
        tt = services.unggah_salinan(
            actor=ppk_pk, versi=versi, upload=SimpleUploadedFile("pindaian.pdf", scan),
            alasan_manual="Layanan TTE sedang gangguan.",
        )  # fmt: skip
    assert tt.cara == TandaTangan.Cara.MANUAL
