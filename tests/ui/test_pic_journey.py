"""The whole PIC journey in Chromium; the screenshots go to docs/screenshots for the PIC guide."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.referensi.models import PersyaratanDokumen
from tests.pdfs import valid_pdf
from tests.ui.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_pic_enters_formasi_registers_uploads_and_submits(page, tmp_path):
    call_command("load_referensi")
    call_command("demo_data")
    pdf = tmp_path / "dokumen.pdf"
    pdf.write_bytes(valid_pdf())

    login(page, "pic.kemenhub", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")

    # 1. Formasi: two Ahli Muda positions for JF AKS, and the instansi documents.
    page.get_by_role("link", name="Formasi").click()
    page.get_by_role("link", name="Analis Kerja Sama").click()
    page.select_option("#id_jenjang", label="Ahli Muda")
    page.fill("#id_jumlah", "2")
    page.get_by_role("button", name="Simpan formasi").click()
    page.wait_for_selector("text=Formasi disimpan.")
    for form in page.locator("form[action*='/dokumen/']").all():
        form.locator("input[type=file]").set_input_files(str(pdf))
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    shot(page, "pic-formasi")
    assert "2" in page.get_by_test_id("tabel-formasi").inner_text()

    # 2. Register a pegawai: birth date and sex come from the NIP.
    page.get_by_role("link", name="Pegawai").first.click()
    page.get_by_role("link", name="Daftarkan pegawai").click()
    page.fill("#id_nip", "19860926 201505 1 001")
    page.fill("#id_nama", "Dewi Anggraini, S.IP.")
    page.fill("#id_tempat_lahir", "Jakarta")
    page.select_option("#id_golongan", label="Penata (III/c)")
    page.fill("#id_tmt_golongan", "2021-04-01")
    page.select_option("#id_pendidikan", "s1")
    page.fill("#id_jabatan_saat_ini", "Analis Kerja Sama")
    page.select_option("#id_is_pelaksana", "False")
    page.fill("#id_unit_kerja", "Biro Kerja Sama")
    page.fill("#id_pengalaman_tahun", "3")
    year = page.evaluate("new Date().getFullYear()")
    page.select_option(f"#id_predikat_{year - 1}", "baik")
    page.select_option(f"#id_predikat_{year - 2}", "sangat_baik")
    shot(page, "pic-daftar-pegawai")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Data pegawai Dewi Anggraini, S.IP. disimpan.")
    assert "26 September 1986" in page.content()

    # 3. Propose into JF AKS: the eligibility appears live (htmx) before creating the usulan.
    page.select_option("#id_jf", "aks")
    page.wait_for_selector("[data-testid=eligibilitas]")
    assert "jenjang Ahli Muda" in page.get_by_test_id("eligibilitas").inner_text()
    shot(page, "pic-eligibilitas")
    page.get_by_role("button", name="Buat usulan").click()
    page.wait_for_url("**/usulan/*/")

    # 4. Upload every mandatory portfolio document.
    wajib = PersyaratanDokumen.objects.filter(jf__kode="aks", level="usulan", wajib=True)
    wajib = list(wajib.values_list("kode", flat=True))
    for kode in wajib:
        card = page.locator(f"[data-persyaratan={kode}]")
        card.locator("input[type=file]").set_input_files(str(pdf))
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
        page.wait_for_selector(f"[data-persyaratan={kode}] >> text=terbaru")
    shot(page, "pic-dokumen")

    # 5. Submit with the PPK's surat pengantar and see the timeline.
    page.fill("#pengantar_nomor", "800.1.2/0456/Kepeg/2026")
    page.fill("#pengantar_tanggal", "2026-06-10")
    page.get_by_test_id("tombol-ajukan").click()
    page.wait_for_selector("text=Usulan telah diajukan ke instansi pembina.")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Usulan diajukan." in timeline and "diunggah" in timeline
    shot(page, "pic-usulan-diajukan")

    with tenancy.all_tenants(reason="test assertion"):
        usulan = Usulan.objects.get()
        assert usulan.status == Status.DIAJUKAN and usulan.formasi.jumlah == 2

    # 6. The dashboard shows it.
    page.get_by_role("link", name="Usulan").first.click()
    assert "Diajukan" in page.get_by_test_id("rekap-status").inner_text()
    shot(page, "pic-dasbor")
