"""The sekretariat's note on the usulan page (issue 19 fresh-eye walk, F10): after a returned
usulan is resubmitted, the old note stays readable but is labelled as the earlier one, with the
day it was written; while the usulan is returned it is the current note, with its day."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.format import tgl
from apps.penetapan import selectors, services
from tests.pdfs import valid_pdf
from tests.penetapan.conftest import as_user, usulan_diajukan

pytestmark = pytest.mark.django_db

CATATAN = "SKP 2025 belum dilegalisir."


def _catatan(client, u) -> str:
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    mulai = page.index('data-testid="catatan-sekretariat"')
    return page[page.rindex("<dt", 0, mulai) : page.index("</dd>", mulai)]


def test_a_resubmitted_usulan_labels_the_old_note_as_earlier_with_its_date(client, pic_kab, ani, tim_prov):
    u = usulan_diajukan(pic_kab, ani)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        u = services.sekretariat_periksa(actor=stp, usulan=selectors.usulan(u.pk), lengkap=False, catatan=CATATAN)
    client.force_login(pic_kab)
    blok = _catatan(client, u)
    hari = tgl(timezone.localtime(u.status_changed_at).date())
    assert CATATAN in blok and "Catatan sekretariat" in blok and "sebelumnya" not in blok and hari in blok
    with as_user(pic_kab):
        services.dokumen_unggah(actor=pic_kab, usulan=u, jenis="skp",
                                upload=SimpleUploadedFile("skp.pdf", valid_pdf(2), "application/pdf"))  # fmt: skip
        u = services.usulan_ajukan(actor=pic_kab, usulan=u, pada=date(2026, 10, 20))
    blok = _catatan(client, u)
    assert CATATAN in blok and "Catatan sekretariat sebelumnya" in blok and hari in blok
