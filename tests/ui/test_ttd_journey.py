"""Electronic signatures in Chromium: the PPK (konseptor) issues the SK → the Kabag Kepegawaian
gives the paraf → the PPK signs the SK and the PAK in one batch (real pyHanko signatures by a
real Celery worker on the ``ttd`` queue, timestamps from a local TSA) → anyone opens the public
page and reads "ditandatangani secara elektronik oleh …, sah"."""

from __future__ import annotations

import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from apps.accounts.models import User
from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, VersiSurat
from apps.ttd.ca_uji import CAUji
from apps.ttd.models import AlurParaf, LangkahParaf, Pejabat
from apps.ttd.tsa_uji import TSAUji
from apps.verifikasi import services as pembina_services
from siaks.celery import app as celery_app
from tests.factories import UserFactory
from tests.surat.conftest import tandatangani_ba, tandatangani_basah
from tests.ui import langkah
from tests.ui.conftest import Relay, as_, lingkup_pengguna, shot, sidang_siap, submit_and_wait

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]
NIP = "196805121993031002"
PASSPHRASE = "uji-pkcs12-jurnal"


def test_konseptor_paraf_batch_signing_and_the_public_page(page, settings, tmp_path):
    usulan, sidang = sidang_siap()
    ketua = User.objects.get(username="ketua.kemnaker")
    admin = User.objects.get(username="admin.kemnaker")
    with lingkup_pengguna(ketua):
        pembina_services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={usulan.pk: ("lulus", "")})
    # The berita acara and the rekomendasi signed (the wet-ink fallback): what the SK rests on.
    tandatangani_ba(sidang, admin)
    with lingkup_pengguna(admin):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=usulan.jf, instansi_id=usulan.instansi_id, tanggal=timezone.localdate(),
            penandatangan=("Dr. Ir. Rahmat Hidayat, M.Si.", "Direktur Bina Penempatan Tenaga Kerja", ""),
        )  # fmt: skip
    tandatangani_basah(rekomendasi, admin)
    ppk = User.objects.get(username="ppk.kemenhub")
    instansi = ppk.instansi
    kabag = UserFactory(username="kabag.kemenhub", instansi=instansi, roles=["pic_instansi"],
                        nama_lengkap="Dra. Wulan Sari")  # fmt: skip
    kabag.set_password(settings.SIAKS_DEMO_PASSWORD)
    kabag.save()
    ca = CAUji.buat()
    ident = ca.pejabat("Ir. Budi Santoso, M.T.", nip=NIP, nik="3273011205680002")
    (tmp_path / "root.pem").write_bytes(ca.root.cert_pem)
    (tmp_path / "inter.pem").write_bytes(ca.intermediate.cert_pem)
    # The official's own PKCS#12, under their own passphrase: the PIC registers it on the page.
    (tmp_path / "ppk.p12").write_bytes(ident.pkcs12(b"passphrase-berkas-ppk"))
    with tenancy.all_tenants(reason="test set-up"):
        alur = AlurParaf.objects.create(instansi=instansi, jenis=JenisSurat.SK)
        LangkahParaf.objects.create(instansi=instansi, alur=alur, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
    with TSAUji(ca) as tsa:
        settings.SIAKS_TTD_TSA_URL = tsa.url
        settings.SIAKS_TTD_PKCS12_PASSPHRASE = PASSPHRASE
        settings.SIAKS_TTD_TRUST_ROOTS = [str(tmp_path / "root.pem")]
        settings.SIAKS_TTD_INTERMEDIATES = [str(tmp_path / "inter.pem")]
        relay = Relay()
        relay.start()
        try:
            with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                              shutdown_timeout=30, queues=["pdf", "default", "ttd"]):  # fmt: skip
                _daftarkan_pejabat(page, tmp_path, ident)
                _journey(page, usulan)
        finally:
            relay.stop.set()
            relay.join(timeout=10)


def _daftarkan_pejabat(page, tmp_path, ident):
    """The PIC (Kabag Kepegawaian) registers the PPK as a signing official on the page; the
    admin pembina's register (Kelola menu) is shown too, for the guide."""
    as_(page, "kabag.kemenhub")
    page.get_by_test_id("menu-pengguna").click()
    page.get_by_test_id("menu-pejabat-ttd").click()
    page.get_by_test_id("pejabat-baru").click()
    page.locator("#id_user").select_option(str(User.objects.get(username="ppk.kemenhub").pk))
    page.fill("#id_nama", "Ir. Budi Santoso, M.T.")
    page.fill("#id_nip", NIP)
    page.fill("#id_jabatan", "Sekretaris Jenderal Kementerian Perhubungan")
    page.check("#id_backend_0")  # the certificate the portal keeps
    page.set_input_files("#id_p12", str(tmp_path / "ppk.p12"))
    # Without the file's passphrase: refused with the reason, the typed fields kept.
    submit_and_wait(page, page.get_by_test_id("simpan-pejabat"))
    assert "dilindungi passphrase lain" in page.get_by_test_id("ringkasan-galat").inner_text()
    assert page.input_value("#id_nip") == NIP
    page.set_input_files("#id_p12", str(tmp_path / "ppk.p12"))
    page.fill("#id_passphrase_berkas", "passphrase-berkas-ppk")
    shot(page, "pic-pejabat-ttd-form")
    submit_and_wait(page, page.get_by_test_id("simpan-pejabat"))
    daftar = page.get_by_test_id("daftar-pejabat").inner_text()
    assert "Ir. Budi Santoso, M.T." in daftar and ident.sidik_jari[:16] in daftar
    shot(page, "pic-pejabat-ttd")
    with tenancy.all_tenants(reason="test assertion"):
        p = Pejabat.objects.get(nip=NIP)
        assert p.sidik_jari == ident.sidik_jari and p.aktif
    as_(page, "admin.kemnaker")
    page.get_by_test_id("menu-kelola").click()
    page.get_by_role("link", name="Pejabat penanda tangan").click()
    page.get_by_test_id("pejabat-baru").wait_for()
    shot(page, "pembina-pejabat-ttd")


def _journey(page, usulan):
    # 1. The PPK drafts (issues) the SK; it renders.
    as_(page, "ppk.kemenhub")
    page.get_by_role("link", name="SK pengangkatan").first.click()
    langkah.ppk_terbitkan_sk(
        page, usulan_pk=usulan.pk, penandatangan="Ir. Budi Santoso, M.T.",
        jabatan="Sekretaris Jenderal Kementerian Perhubungan", nip=NIP,
    )  # fmt: skip
    # The PPK cannot sign before the paraf.
    assert "belum lengkap parafnya" in page.get_by_test_id("kartu-tte").inner_text()

    # 2. The Kabag Kepegawaian gives the paraf from their queue (they were notified).
    as_(page, "kabag.kemenhub")
    page.goto("/ttd/")
    queue = page.get_by_test_id("antrean-paraf")
    assert "SK" in queue.inner_text() or "800" in queue.inner_text()
    submit_and_wait(page, queue.get_by_role("button", name="Paraf"))
    assert "Paraf diberikan" in page.content()

    # 3. The PPK signs the SK and the PAK in one batch and watches the progress.
    as_(page, "ppk.kemenhub")
    page.goto("/ttd/")
    rows = page.get_by_test_id("antrean-ttd")
    # The SK, ticked (the PAK of a penyesuaian is signed by the atasan langsung before the SK, so
    # the SK issues none here: referensi JabatanFungsional.pak_penandatangan).
    assert rows.locator("input[name=versi]:checked").count() == 1
    shot(page, "ppk-tte-antrean")
    submit_and_wait(page, page.get_by_test_id("tandatangani-terpilih"))
    assert "/ttd/batch/" in page.url, page.content()
    page.get_by_text("1 dari 1 surat ditandatangani").wait_for(timeout=90000)
    shot(page, "ppk-tte-kemajuan")
    with tenancy.all_tenants(reason="test assertion"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.SK_TERBIT
        kode = VersiSurat.objects.get(surat__jenis=JenisSurat.SK, diganti_at__isnull=True).kode

    # 4. Anyone opens the public page behind the QR code.
    page.context.clear_cookies()
    page.goto(f"/v/{kode}/")
    status = page.get_by_test_id("status-tte").inner_text()
    assert re.search(r"Ditandatangani secara elektronik oleh Ir\. Budi Santoso, M\.T\. pada .+, sah\.", status)
    shot(page, "publik-verifikasi-tte")
