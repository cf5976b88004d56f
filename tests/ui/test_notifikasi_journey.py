"""Issue 7 in Chromium: the verifier asks for a perbaikan → the PIC sees the notification (bell
badge), follows it to the dossier, uploads a new version and resubmits → the pembina's national
dashboard shows the dossier back in "Menunggu verifikasi". Notices are sent by a real Celery
worker fed by the outbox relay. Screenshots go to docs/screenshots."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from apps.accounts.models import User
from apps.core import tenancy
from apps.referensi.models import PersyaratanDokumen
from apps.verifikasi import services as pembina_services
from siaks.celery import app as celery_app
from tests.pdfs import valid_pdf
from tests.ui.conftest import Relay, as_, demo_usulan_diajukan, shot, submit_and_wait, tunggu_notifikasi
from tests.ui.langkah import konfirmasi

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]
PASSWORD = settings.SIAKS_DEMO_PASSWORD


def test_a_pic_follows_the_perbaikan_notice_and_the_dashboard_moves(page, tmp_path):
    pk, usulan = demo_usulan_diajukan("Rudi Hartanto, S.Sos.")
    v = User.objects.get(username="verifikator.kemnaker")
    with tenancy.activate(tenancy.scope_for_user(v)):
        pembina_services.pemeriksaan_mulai(actor=v, usulan=usulan)
        ijazah = PersyaratanDokumen.objects.get(jf=pk, kode="ijazah")
        hasil = {p.pk: (p.pk != ijazah.pk, "Ijazah belum dilegalisasi." if p.pk == ijazah.pk else "")
                 for p in PersyaratanDokumen.objects.untuk_usulan(pk, "penyesuaian").filter(wajib=True)}  # fmt: skip
        pembina_services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        pembina_services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="perbaikan",
                                               catatan="Mohon unggah ijazah yang telah dilegalisasi.")  # fmt: skip
    pdf = tmp_path / "ijazah-legalisir.pdf"
    pdf.write_bytes(valid_pdf())

    relay = Relay()
    relay.start()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=30, queues=["default", "pdf"]):  # fmt: skip
            # The pembina dashboard before: the dossier is in seleksi administrasi, none waiting.
            as_(page, "admin.kemnaker")
            page.goto("/pembina/rekap/?jf=pengantar-kerja")
            assert page.get_by_test_id("tahap-pengajuan").inner_text() == "0"

            # The PIC sees the notice, follows it and resubmits.
            as_(page, "pic.kemenhub")
            tunggu_notifikasi(page)
            page.reload()
            assert page.get_by_test_id("jumlah-notifikasi").inner_text() == "2"  # verification started; perbaikan
            page.get_by_test_id("lonceng").click()
            shot(page, "pic-notifikasi")
            with page.expect_navigation():
                page.get_by_text("Perlu perbaikan: Rudi Hartanto, S.Sos.").click()
            assert f"/usulan/{usulan.pk}/" in page.url
            assert "Ijazah belum dilegalisasi." in page.get_by_test_id("catatan-perbaikan").inner_text()
            assert page.get_by_test_id("jumlah-notifikasi").inner_text() == "1"  # this one is read now
            card = page.locator("[data-persyaratan=ijazah]")
            card.locator("input[type=file]").set_input_files(str(pdf))
            submit_and_wait(page, card.locator("button[type=submit]"))
            konfirmasi(page, page.get_by_test_id("tombol-ajukan"), judul="Periksa sebelum mengajukan ulang")
            assert "Usulan telah diajukan" in page.content()

            # The pembina is told and its dashboard shows the dossier waiting again.
            as_(page, "verifikator.kemnaker")
            tunggu_notifikasi(page)
            as_(page, "admin.kemnaker")
            page.goto("/pembina/rekap/?jf=pengantar-kerja")
            assert page.get_by_test_id("tahap-pengajuan").inner_text() == "1"
            assert "Rudi Hartanto, S.Sos." in page.get_by_test_id("terlama").inner_text()
            page.locator("#grafik-tahap").wait_for()
            shot(page, "pembina-rekap-nasional")
    finally:
        relay.stop.set()
        relay.join(timeout=10)
