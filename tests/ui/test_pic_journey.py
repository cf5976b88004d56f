"""The whole PIC journey in Chromium; the screenshots go to docs/screenshots for the PIC guide."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from tests.pdfs import valid_pdf
from tests.ui import langkah
from tests.ui.conftest import login
from tests.ui.langkah import shot

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def test_a_pic_enters_formasi_registers_uploads_and_submits(page, tmp_path):
    call_command("load_referensi")
    call_command("demo_data")
    pdf = tmp_path / "dokumen.pdf"
    pdf.write_bytes(valid_pdf())

    login(page, "pic.kemenhub", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")

    # 1. Formasi: two Ahli Muda positions for JF AKS, and the instansi documents.
    langkah.pic_isi_formasi(page, jf="Analis Kerja Sama", jenjang="Ahli Muda", jumlah=2, pdf=pdf, foto=True)

    # 2. Register a pegawai: birth date and sex come from the NIP.
    langkah.pic_daftarkan_pegawai(
        page, nip="19860926 201505 1 001", nama="Dewi Anggraini, S.IP.", golongan="Penata (III/c)",
        jabatan="Analis Kerja Sama", unit="Biro Kerja Sama", foto=True,
    )  # fmt: skip
    assert "26 September 1986" in page.content()

    # 3. Propose into JF AKS (the eligibility appears live, htmx) and upload the portfolio.
    langkah.pic_buat_usulan_dan_unggah(page, jf_kode="aks", jenjang="Ahli Muda", pdf=pdf, foto=True)

    # 4. Submit with the PPK's surat pengantar: the summary first, then the timeline.
    ringkasan = langkah.pic_ajukan(page, nomor="800.1.2/0456/Kepeg/2026", tanggal="2026-06-10", foto=True)
    assert "Dewi Anggraini, S.IP." in ringkasan and "800.1.2/0456/Kepeg/2026 tanggal 10 Juni 2026" in ringkasan
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Usulan diajukan." in timeline and "diunggah" in timeline
    shot(page, "pic-usulan-diajukan")

    with tenancy.all_tenants(reason="test assertion"):
        usulan = Usulan.objects.get()
        assert usulan.status == Status.DIAJUKAN and usulan.formasi.jumlah == 2

    # 5. The dashboard shows it.
    page.get_by_role("link", name="Usulan").first.click()
    assert "Diajukan" in page.get_by_test_id("rekap-status").inner_text()
    shot(page, "pic-dasbor")
