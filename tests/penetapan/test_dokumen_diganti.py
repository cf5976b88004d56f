"""A replaced SKP leaves its trace (issue 19, fresh-eye walk 2): the PIC uploads the SKP/predikat
evidence again; the old file is kept (marked replaced, still downloadable), the replacement is
audited before → after with who and when, and the usulan's page lists it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.penetapan import services
from apps.penetapan.models import DokumenPenetapan
from tests.pdfs import pdf_dokumen
from tests.penetapan.conftest import DALAM_PERIODE, as_user, lengkapi

pytestmark = pytest.mark.django_db


def test_a_replaced_skp_is_kept_audited_and_listed_on_the_usulan_page(client, kab, pic_kab, ani):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
        lengkapi(pic_kab, u)
        baru = services.dokumen_unggah(
            actor=pic_kab, usulan=u, jenis="skp",
            upload=SimpleUploadedFile("skp-2025-revisi.pdf", pdf_dokumen("skp-revisi"), "application/pdf"),
        )  # fmt: skip
    with tenancy.scope(kab):
        lama = DokumenPenetapan.objects.get(usulan=u, jenis="skp", diganti_at__isnull=False)
        assert DokumenPenetapan.objects.get(usulan=u, jenis="skp", diganti_at__isnull=True).pk == baru.pk
        log = AuditLog.objects.get(action="penetapan.dokumen_diganti", object_id=str(u.pk))
    assert log.actor_id == pic_kab.pk
    assert f"{lama.nama_asli} → skp-2025-revisi.pdf" in log.message
    assert log.data["sebelum"][0]["sha256"] == lama.sha256 and log.data["sesudah"]["sha256"] == baru.sha256

    client.force_login(pic_kab)
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    riwayat = page.split('data-testid="dokumen-diganti"', 1)[1].split("</ul>", 1)[0]
    assert lama.nama_asli in riwayat and "skp-2025-revisi.pdf" in riwayat and str(pic_kab) in riwayat
    assert reverse("penetapan:dokumen_unduh", args=[lama.pk]) in riwayat
    assert client.get(reverse("penetapan:dokumen_unduh", args=[lama.pk])).status_code == 200
