"""The whole way in Chromium (issue 14, "Done when"): the superadmin opens a new kabupaten
(Gunungkidul, under DI Yogyakarta) with its PIC and PPK; both set their passwords from the
invitation e-mails; the PIC registers a pegawai and the portfolio and submits (after the
summary); the Kemnaker verifier returns it for perbaikan; the PIC fixes the ijazah and resubmits;
the verifier judges only the changed document and passes it; the team scores; the ketua decides
the sidang; the admin pembina issues the rekomendasi; the new PPK issues the SK and uploads the
signed copy (the scan fallback): the usulan reaches "SK terbit" and the PIC sees it.

A real Celery worker renders the letters, fed by the outbox relay, from the sidang on. The
screenshots of the superadmin's and the pembina's guides come from here (``make dokumentasi``)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import Instansi, OutboxMessage
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from siaks.celery import app as celery_app
from tests.pdfs import valid_pdf
from tests.ui import langkah
from tests.ui.conftest import Relay, as_
from tests.ui.langkah import shot
from tests.ui.test_usulan_394 import LEBAR, TERLEBAR

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

KODE = "KAB-GUNUNGKIDUL"
NAMA = "Pemerintah Kabupaten Gunungkidul"
SANDI = "Merapi-Kaliurang#7391"
AKUN = {
    "pic.gunungkidul": ("Sekar Arum", "sekar@gunungkidulkab.go.id", "pic_instansi", "19850317 201001 2 004"),
    "ppk.gunungkidul": ("Bambang Wisnu", "bambang@gunungkidulkab.go.id", "ppk", "19700512 199503 1 001"),
}
PEGAWAI = "Rahayu Lestari, S.Sos."
TIM = "Tim Penilai Pengantar Kerja 2026"
ANGGOTA = (("ketua.kemnaker", "ketua"), ("penilai1.kemnaker", "sekretaris"), ("penilai2.kemnaker", "anggota"))


def _status(pk: int) -> str:
    with tenancy.all_tenants(reason="test assertion"):
        return Usulan.objects.get(pk=pk).status


def _surat(usulan_pk: int, jenis: str) -> int:
    from apps.surat.models import SuratUsulan

    with tenancy.all_tenants(reason="test: the letter's page to open"):
        return SuratUsulan.objects.filter(usulan_id=usulan_pk, jenis=jenis).latest("id").surat_id


def test_a_new_kabupaten_goes_from_its_first_account_to_sk_terbit(page, tmp_path):
    call_command("load_referensi")
    call_command("demo_data")
    pdf = tmp_path / "dokumen.pdf"
    pdf.write_bytes(valid_pdf())
    ijazah = tmp_path / "ijazah-legalisir.pdf"
    ijazah.write_bytes(valid_pdf())

    # 1. The superadmin opens the kabupaten and invites its PIC and PPK.
    langkah.superadmin_buka_instansi(
        page, kode=KODE, nama=NAMA, provinsi="DI Yogyakarta",
        kop="PEMERINTAH KABUPATEN GUNUNGKIDUL\nBADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM", kota="Wonosari", foto=True,
    )  # fmt: skip
    assert Instansi.objects.get(kode=KODE).parent.nama == "Pemerintah Provinsi DI Yogyakarta"
    langkah.superadmin_undang(page, kode=KODE, akun=AKUN, foto=True)

    # 2. Both set their passwords from the e-mails and land on their home pages.
    langkah.kirim_undangan()
    for username, (nama, email, _peran, _nip) in AKUN.items():
        langkah.atur_kata_sandi_dari_email(page, username=username, email=email, nama=nama, password=SANDI)

    # 3. The PIC: formasi and instansi documents, a pegawai, the portfolio, and the submission.
    as_(page, "pic.gunungkidul", SANDI)
    langkah.pic_isi_formasi(page, jf="Pengantar Kerja", jenjang="Ahli Muda", jumlah=1, pdf=pdf)
    langkah.pic_daftarkan_pegawai(
        page, nip="19880214 201101 2 003", nama=PEGAWAI, golongan="Penata (III/c)",
        jabatan="Pengantar Kerja", unit="Dinas Tenaga Kerja dan Transmigrasi",
    )  # fmt: skip
    usulan_pk = langkah.pic_buat_usulan_dan_unggah(page, jf_kode="pengantar-kerja", jenjang="Ahli Muda", pdf=pdf)
    ringkasan = langkah.pic_ajukan(page, nomor="800.1.2/117/BKPPD/2026", tanggal="2026-06-10")
    assert PEGAWAI in ringkasan and "Kementerian Ketenagakerjaan" in ringkasan
    assert _status(usulan_pk) == Status.DIAJUKAN
    with tenancy.all_tenants(reason="test assertion"):
        nomor = Usulan.objects.get(pk=usulan_pk).nomor

    # 4. The verifier returns it for perbaikan of the ijazah.
    as_(page, "verifikator.kemnaker")
    langkah.verifikator_kembalikan(
        page, nomor=nomor, dokumen="ijazah", catatan_dokumen="Ijazah belum dilegalisasi.",
        catatan="Mohon unggah ijazah yang telah dilegalisasi.", foto=True,
    )  # fmt: skip
    assert _status(usulan_pk) == Status.PERBAIKAN

    # 5. The PIC uploads the legalised ijazah and resubmits; the verifier passes it.
    as_(page, "pic.gunungkidul", SANDI)
    langkah.pic_perbaiki_dan_ajukan_ulang(
        page, usulan_pk=usulan_pk, dokumen="ijazah", pdf=ijazah, catatan="Ijazah belum dilegalisasi.", foto=True
    )
    as_(page, "verifikator.kemnaker")
    langkah.verifikator_loloskan(page, usulan_pk=usulan_pk, dokumen="ijazah")
    assert _status(usulan_pk) == Status.LULUS_ADMINISTRASI
    langkah.verifikator_terbitkan_ba_seleksi(page, jf_kode="pengantar-kerja", pegawai=PEGAWAI)

    # 6. The team: formed and assigned by the admin, three penilai score and send.
    as_(page, "admin.kemnaker")
    langkah.admin_bentuk_tim_dan_tugaskan(page, nama_tim=TIM, usulan_pk=usulan_pk, anggota=ANGGOTA, foto=True)
    langkah.penilai_menilai(page, usernames=[u for u, _p in ANGGOTA], pegawai=PEGAWAI, foto=True)

    # The notices and e-mails of the steps so far are not this journey's subject (other tests check
    # them): only what follows goes to the worker, so no backlog is left queued for the next test.
    OutboxMessage.objects.filter(published_at__isnull=True).update(published_at=timezone.now())
    relay = Relay()
    relay.start()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=30, queues=["pdf", "default"]):  # fmt: skip
            # 7. The sidang decides lulus; the berita acara is made.
            as_(page, "ketua.kemnaker")
            langkah.ketua_buka_sidang(page, nama_tim=TIM, usulan_pk=usulan_pk)
            berita = langkah.ketua_putuskan(page, usulan_pk=usulan_pk, foto=True)
            assert "Hadir 3 dari 3 anggota" in berita and "198802142011012003" in berita
            shot(page, "pembina-berita-acara")
            assert _status(usulan_pk) == Status.LULUS

            # 8. The admin pembina issues the rekomendasi for Gunungkidul, on the signed berita
            # acara (here the wet-ink fallback), and signs it before the PPK may issue the SK.
            as_(page, "admin.kemnaker")
            langkah.pembina_unggah_pindaian(page, surat_pk=_surat(usulan_pk, "berita_acara"), tmp_path=tmp_path)
            langkah.admin_terbitkan_rekomendasi(page, jf_kode="pengantar-kerja", instansi=NAMA)
            assert _status(usulan_pk) == Status.DIREKOMENDASIKAN
            langkah.pembina_unggah_pindaian(page, surat_pk=_surat(usulan_pk, "rekomendasi"), tmp_path=tmp_path)

            # 9. The new PPK issues the SK and uploads the signed copy: "SK terbit".
            as_(page, "ppk.gunungkidul", SANDI)
            langkah.ppk_terbitkan_sk(
                page, usulan_pk=usulan_pk, penandatangan="Sunaryanta", jabatan="Bupati Gunungkidul",
                kota_sk="Wonosari",  # the instansi's kota kedudukan, set by the superadmin
            )  # fmt: skip
            # The letter's page before a signed copy is uploaded fits a 394 px phone (fresh-eye
            # finding, issue 14: it was 402 px wide).
            ukuran = page.viewport_size
            page.set_viewport_size({"width": LEBAR, "height": 844})
            lebar = page.evaluate("document.documentElement.scrollWidth")
            assert lebar <= LEBAR, (page.url, lebar, page.evaluate(TERLEBAR, LEBAR))
            page.set_viewport_size(ukuran)
            langkah.ppk_unggah_salinan_pindai(page, tmp_path=tmp_path)
    finally:
        relay.stop.set()
        relay.join(timeout=10)
    assert _status(usulan_pk) == Status.SK_TERBIT

    # 10. The PIC's page says so and links the letters.
    as_(page, "pic.gunungkidul", SANDI)
    page.goto(f"/usulan/{usulan_pk}/")
    assert page.get_by_test_id("sk-terbit").is_visible()
    surat = page.get_by_test_id("surat-usulan").inner_text()
    assert "SK" in surat
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "Usulan diajukan ulang setelah perbaikan." in timeline
