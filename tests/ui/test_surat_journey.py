"""The letters in Chromium: the ketua closes a sidang → the admin pembina issues the rekomendasi
(and watches it render) → the PPK downloads it, issues and downloads the SK, uploads the signed
copy → anyone verifies the SK on the public page. A real Celery worker renders the PDFs, fed by
the outbox relay. Screenshots go to docs/screenshots for the PPK guide."""

from __future__ import annotations

import hashlib

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, VersiSurat
from siaks.celery import app as celery_app
from tests.pdfs import pindaian
from tests.ui import langkah
from tests.ui.conftest import Relay, as_, shot, sidang_siap, submit_and_wait
from tests.ui.langkah import konfirmasi

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]
PASSWORD = settings.SIAKS_DEMO_PASSWORD


def test_from_sidang_to_a_verified_sk(page, tmp_path):
    usulan, sidang = sidang_siap()
    relay = Relay()
    relay.start()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=30, queues=["pdf", "default"]):  # fmt: skip
            _journey(page, tmp_path, usulan, sidang)
    finally:
        relay.stop.set()
        relay.join(timeout=10)


def _surat(usulan_pk: int, jenis: str) -> int:
    from apps.core import tenancy
    from apps.surat.models import SuratUsulan

    with tenancy.all_tenants(reason="test: the letter's page to open"):
        return SuratUsulan.objects.filter(usulan_id=usulan_pk, jenis=jenis).latest("id").surat_id


def _journey(page, tmp_path, usulan, sidang):
    # 1. The ketua decides the sidang; the berita acara letter is issued and rendered.
    as_(page, "ketua.kemnaker")
    page.goto(f"/pembina/sidang/{sidang.pk}/")
    page.select_option(f"select[name=keputusan_{usulan.pk}]", "lulus")
    konfirmasi(page, page.get_by_test_id("putuskan-sidang"), judul="Periksa sebelum memutuskan sidang")
    page.get_by_test_id("surat-berita-acara").click()
    page.get_by_test_id("unduh-surat").wait_for(timeout=30000)
    assert page.get_by_test_id("nomor-surat").inner_text().startswith("BA-001/")

    # 2. The admin pembina issues the rekomendasi (after its summary) and watches the batch render:
    # on the signed berita acara (here the wet-ink fallback), and signs it for the PPK.
    as_(page, "admin.kemnaker")
    langkah.pembina_unggah_pindaian(page, surat_pk=_surat(usulan.pk, "berita_acara"), tmp_path=tmp_path)
    langkah.admin_terbitkan_rekomendasi(page, jf_kode="pengantar-kerja", instansi="Kementerian Perhubungan", foto=True)
    langkah.pembina_unggah_pindaian(page, surat_pk=_surat(usulan.pk, "rekomendasi"), tmp_path=tmp_path)

    # 3. The PPK downloads the rekomendasi, issues the SK and downloads it.
    as_(page, "ppk.kemenhub")
    page.get_by_role("link", name="SK pengangkatan").click()
    with page.expect_download() as download:
        page.get_by_test_id("unduh-rekomendasi").click()
    rekomendasi_pdf = tmp_path / "rekomendasi.pdf"
    download.value.save_as(rekomendasi_pdf)
    assert rekomendasi_pdf.read_bytes().startswith(b"%PDF-")
    langkah.ppk_terbitkan_sk(
        page, usulan_pk=usulan.pk, penandatangan="Ir. Budi Santoso, M.T.",
        jabatan="Sekretaris Jenderal Kementerian Perhubungan", foto=True,
    )  # fmt: skip
    shot(page, "ppk-sk-detail")
    with page.expect_download() as download:
        page.get_by_test_id("unduh-surat").click()
    sk_pdf = tmp_path / "sk.pdf"
    download.value.save_as(sk_pdf)
    with tenancy.all_tenants(reason="test assertion"):
        versi = VersiSurat.objects.select_related("surat").get(surat__jenis=JenisSurat.SK)
    assert hashlib.sha256(sk_pdf.read_bytes()).hexdigest() == versi.sha256

    # 4. The PPK uploads the scan of the signed copy: the usulan reaches "SK terbit".
    scan = tmp_path / "sk-pindaian.pdf"
    scan.write_bytes(pindaian(sk_pdf.read_bytes()))
    page.set_input_files("input[name=berkas]", str(scan))
    page.fill("#alasan-ttd", "Layanan TTE sedang gangguan (keadaan kahar).")
    submit_and_wait(page, page.get_by_test_id("unggah-ttd"))
    assert "SK terbit" in page.content()
    with tenancy.all_tenants(reason="test assertion"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.SK_TERBIT
    kode = page.get_by_test_id("kode-verifikasi").inner_text()

    # 5. Anyone (no login) verifies the SK with its code and the file.
    page.context.clear_cookies()
    page.goto(f"/v/{kode}/")
    data = page.get_by_test_id("data-surat").inner_text()
    assert versi.surat.nomor in data and "Sri Wahyuni, S.Psi." in data and "1986**********1001" in data
    page.set_input_files("input[name=berkas]", str(sk_pdf))
    submit_and_wait(page, page.get_by_test_id("cocokkan"))
    assert "Identik" in page.get_by_test_id("hasil-cocok").inner_text()
    shot(page, "publik-verifikasi")
    page.set_input_files("input[name=berkas]", str(rekomendasi_pdf))
    submit_and_wait(page, page.get_by_test_id("cocokkan"))
    assert "Tidak identik" in page.get_by_test_id("hasil-beda").inner_text()
