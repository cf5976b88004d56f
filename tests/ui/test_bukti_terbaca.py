"""A penilai's submitted evidence stays fully readable (issue 14, item 9): once the penilaian
is sent, every locked evidence box shows all of its text — no clipping, no inner scrollbar —
in Chromium (scrollHeight equals clientHeight), and the text is all there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.verifikasi.models import Nilai
from tests.factories import PASSWORD
from tests.ui.conftest import login
from tests.verifikasi.conftest import as_user, lulus_administrasi, nilai_semua

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

PANJANG = (
    "Portofolio memuat tiga laporan analisis jabatan (2023, 2024, 2025) yang disusun sendiri, "
    "lengkap dengan data beban kerja per unit dan rekomendasi yang diterapkan pimpinan.\n"
    "Wawancara: mampu menjelaskan metode, sumber data dan keterbatasannya tanpa bantuan catatan.\n"
    "Bukti pendukung: SK tim, notulen rapat pembahasan dan surat tindak lanjut dari Sekretaris Daerah. "
    "AKHIR-BUKTI"
)


def test_locked_evidence_boxes_show_all_their_text(page, live_server, diajukan, staf, tim):
    from apps.verifikasi import services

    [usulan] = diajukan(1)
    lulus_administrasi(usulan, staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    penugasan = nilai_semua(staf["penilai1"], usulan)
    with tenancy.all_tenants(reason="test fixture: long evidence on a sent penilaian"):
        assert penugasan.selesai_at is not None
        Nilai.objects.filter(penugasan=penugasan).update(catatan_bukti=PANJANG)
        n = Nilai.objects.filter(penugasan=penugasan).count()
    login(page, penugasan.penilai.username, PASSWORD)
    page.wait_for_url("**/beranda/")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(reverse("verifikasi:nilai", args=[penugasan.pk]))
        boxes = page.locator("[name^=bukti_]")
        assert boxes.count() == n >= 3
        for i in range(n):
            box = boxes.nth(i)
            assert box.evaluate("e => e.readOnly || e.disabled")  # locked
            assert box.input_value() == PANJANG
            sh, ch, sw, cw = box.evaluate("e => [e.scrollHeight, e.clientHeight, e.scrollWidth, e.clientWidth]")
            assert sh <= ch and sw <= cw, f"{width}px, box {i}: text hidden ({sh}>{ch} or {sw}>{cw})"
