"""The angka kredit after the SK in Chromium (issue 19, "Done when"): the PIC imports the predikat
→ submits the usulan penetapan AK → the sekretariat accepts → three penilai assess → the sidang
→ a PAK for one holder and a HAPAK for another → the holder logs in and downloads their PAK.

The first holder goes through every page; the second holder's usulan (the HAPAK) is walked
through the same services in the test to keep the journey short. The letters are rendered by the
render task in the test's process. Screenshots go to docs/screenshots for
docs/panduan-angka-kredit.md (under `make dokumentasi`)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.core import tenancy
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.services import mutasi_tambah
from apps.penetapan import services as penetapan
from apps.penetapan.models import AnggotaTimAK, PeriodePenetapan, TimPenilaiAK, UsulanPenetapanAK
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang
from apps.surat.models import JenisSurat, VersiSurat
from apps.ttd.models import Paraf
from tests.pdfs import pdf_dokumen, valid_pdf
from tests.penetapan.conftest import lengkapi
from tests.surat.conftest import render_antrean
from tests.ui.conftest import as_, axe_serius, lingkup_pengguna, login, shot, submit_and_wait

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

SRI = "199203152019032001"  # the demo holder (apps/portal/management/commands/demo_data.py)
BAMBANG = "198805102015031002"


def _dunia():
    """Demo data, a period of JF Pengantar Kerja open today, the central Tim Penilai angka kredit
    (five members and a sekretariat, formed by the demo data through the team service) and a
    second holder with little AK."""
    call_command("load_referensi")
    call_command("demo_data")
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
    kemnaker = jf.instansi_pembina
    hari = timezone.localdate()
    # Open this month from the 1st to the month's end (the window is clipped to the month).
    PeriodePenetapan.objects.create(
        jf=jf, kode="UJI", nama="Periode uji", bulan_pengajuan=hari.month, hari_mulai=1, hari_selesai=31,
        bulan_pak=hari.month % 12 + 1, bulan_kenaikan_pangkat=(hari.month + 3) % 12 + 1,
    )  # fmt: skip
    # The demo's central Tim Penilai angka kredit of the JF: five members and a sekretariat.
    with tenancy.scope(kemnaker):
        tim_ak = TimPenilaiAK.objects.get(jf=jf, tingkat="pusat")
        anggota = list(AnggotaTimAK.objects.filter(tim=tim_ak).select_related("user").order_by("id"))
    tim = {
        "tim": tim_ak,
        "anggota": anggota,
        "sekretariat": User.objects.get(username="sekretariat.ak.kemnaker"),
    }
    kemenhub = User.objects.get(username="pic.kemenhub").instansi
    with tenancy.scope(kemenhub):
        jenjang = Jenjang.objects.get(jf=jf, kode="ahli_pertama")
        bambang = PejabatFungsional.objects.create(
            instansi=kemenhub, jf=jf, jenjang=jenjang, nip=BAMBANG, nama="Bambang Sutrisno, S.E.",
            kelas_jabatan=jenjang.kelas_jabatan, tmt_jabatan=date(2025, 1, 1),
            golongan=Golongan.objects.get(kode="III/a"), tmt_golongan=date(2025, 1, 1), sumber="impor",
        )  # fmt: skip
        mutasi_tambah(bambang, "awal", Decimal("10"), oleh=None, keterangan="AK awal (impor)")
    return jf, tim


def _predikat_xlsx() -> bytes:
    from openpyxl import Workbook

    from apps.jabatan.xlsx import KOLOM_PREDIKAT

    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in KOLOM_PREDIKAT])
    ws.append([SRI, "Sri Wahyuni", "01-01-2026", "30-06-2026", "Baik", None])
    ws.append([BAMBANG, "Bambang Sutrisno", "01-01-2026", "30-06-2026", "Baik", None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_predikat_to_pak_and_hapak_and_the_holder_downloads_the_pak(page, tmp_path):
    _jf, tim = _dunia()
    pic = User.objects.get(username="pic.kemenhub")
    berkas = tmp_path / "predikat.xlsx"
    berkas.write_bytes(_predikat_xlsx())
    pdf = tmp_path / "bukti.pdf"
    pdf.write_bytes(valid_pdf())

    # 1. The PIC imports the predikat of both holders: converted with the jenjang's koefisien.
    as_(page, "pic.kemenhub")
    page.get_by_role("link", name="Angka kredit").click()
    page.goto("/pejabat-fungsional/impor/predikat/")
    page.select_option("#id_jf", "pengantar-kerja")
    page.set_input_files("#id_berkas", str(berkas))
    shot(page, "ak-pic-impor-predikat")
    submit_and_wait(page, page.get_by_role("button", name="Impor"))
    page.get_by_text("2 baris diimpor.").wait_for()
    with tenancy.scope(pic.instansi):
        konversi = dict(MutasiAK.objects.filter(jenis="konversi", predikat="baik").values_list("pejabat__nip", "nilai"))
    assert konversi == {SRI: Decimal("6.25"), BAMBANG: Decimal("6.25")}  # 6/12 × 100 % × 12,5
    page.get_by_role("link", name="Angka kredit").click()
    shot(page, "ak-pic-daftar-pejabat")
    page.get_by_role("link", name="Sri Wahyuni, S.Sos.").click()
    shot(page, "ak-pic-undang")

    # 2. The PIC starts Sri's usulan penetapan AK, uploads the evidence and submits it.
    page.get_by_role("link", name="Penetapan AK").click()
    page.select_option("#pejabat", label=f"Sri Wahyuni, S.Sos. — {SRI}")
    submit_and_wait(page, page.get_by_role("button", name="Buat usulan"))
    page.get_by_text("Usulan penetapan angka kredit dibuat.").wait_for()
    for jenis in penetapan.DOKUMEN_WAJIB:
        page.select_option("#id_jenis", jenis)
        berkas_jenis = tmp_path / f"{jenis}.pdf"  # one file per document: the portal refuses a copy
        berkas_jenis.write_bytes(pdf_dokumen(jenis))
        page.set_input_files("#id_berkas", str(berkas_jenis))
        submit_and_wait(page, page.get_by_role("button", name="Unggah"))
        page.get_by_text("Dokumen diunggah.").wait_for()
    submit_and_wait(page, page.get_by_role("button", name="Ajukan"))
    page.get_by_text("Usulan diajukan ke sekretariat tim penilai.").wait_for()
    shot(page, "ak-pic-usulan")
    with tenancy.scope(pic.instansi):
        sri = UsulanPenetapanAK.objects.get(pejabat_nip=SRI)
        bambang_pejabat = PejabatFungsional.objects.get(nip=BAMBANG)
    assert sri.status == "diajukan"
    # Bambang's usulan through the services (same rules, shorter journey).
    with lingkup_pengguna(pic):
        bambang = penetapan.usulan_buat(actor=pic, pejabat=bambang_pejabat)
        lengkapi(pic, bambang)
        bambang = penetapan.usulan_ajukan(actor=pic, usulan=bambang)

    # 3. The sekretariat finds Sri's usulan complete.
    stp = tim["sekretariat"]
    page.context.clear_cookies()
    login(page, stp.username, settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.get_by_role("link", name="Penetapan AK").click()
    page.get_by_role("link", name="Sri Wahyuni, S.Sos.").click()
    page.select_option("#id_keputusan", "lengkap")
    shot(page, "ak-sekretariat-periksa")
    submit_and_wait(page, page.get_by_role("button", name="Simpan"))
    page.get_by_text("Hasil pemeriksaan disimpan.").wait_for()
    with lingkup_pengguna(stp):
        penetapan.sekretariat_periksa(actor=stp, usulan=bambang, lengkap=True)

    # 4. Three members assess Sri's usulan on its page.
    for i, anggota in enumerate(tim["anggota"]):
        page.context.clear_cookies()
        login(page, anggota.user.username, settings.SIAKS_DEMO_PASSWORD)
        page.wait_for_url("**/beranda/")
        page.goto(f"/angka-kredit/usulan/{sri.pk}/")
        page.check("#id_rekomendasi_0")
        page.fill("#id_catatan", "Predikat dan PAK terakhir sesuai.")
        if i == 2:
            shot(page, "ak-penilai-nilai")
        submit_and_wait(page, page.get_by_role("button", name="Simpan penilaian"))
        page.get_by_text("Penilaian disimpan.").wait_for()
        with lingkup_pengguna(anggota.user):
            penetapan.penilaian_simpan(actor=anggota.user, usulan=bambang, rekomendasi="setuju")

    # 5. The sekretariat opens the sidang for both; the ketua decides it with everyone present.
    page.context.clear_cookies()
    login(page, stp.username, settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.goto("/angka-kredit/sidang/")
    page.select_option("#id_tim", str(tim["tim"].pk))
    page.fill("#id_tanggal", timezone.localdate().isoformat())
    page.check(f"#u{sri.pk}")
    page.check(f"#u{bambang.pk}")
    submit_and_wait(page, page.get_by_role("button", name="Buka sidang"))
    page.get_by_text("Sidang dibuka.").wait_for()
    sidang_url = page.url
    ketua = tim["anggota"][0].user
    page.context.clear_cookies()
    login(page, ketua.username, settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.goto(sidang_url)
    for box in page.locator("input[name=hadir]").all():
        box.check()
    page.fill("#id_pyb_nama", "Dr. Ir. Rahmat Hidayat, M.Si.")
    page.fill("#id_pyb_jabatan", "Direktur Bina Penempatan Tenaga Kerja")
    page.fill("#id_pyb_nip", "197001011995031001")
    # No registered signing official at the team's instansi: the ketua states the PAK is signed by hand.
    page.get_by_test_id("pyb-belum-terdaftar").wait_for()
    assert axe_serius(page) == []
    page.check("#id_ttd_manual")
    submit_and_wait(page, page.get_by_role("button", name="Putuskan dan terbitkan PAK/HAPAK"))
    page.get_by_text("Sidang diputuskan; PAK dan HAPAK sedang dibuat.").wait_for()
    shot(page, "ak-sidang")
    assert render_antrean() >= 2
    # The ketua's page of the team's letters (from the menu): the HAPAK is theirs to sign.
    page.get_by_role("link", name="PAK/HAPAK tim").first.click()
    page.wait_for_url("**/angka-kredit/surat/")
    assert page.get_by_test_id("ketua-belum-terdaftar").is_visible()
    assert axe_serius(page) == []
    with tenancy.all_tenants(reason="test assertion"):
        hasil = dict(UsulanPenetapanAK.objects.values_list("pejabat_nip", "hasil"))
        pak = VersiSurat.objects.select_related("surat").get(surat__pejabat__nip=SRI, surat__jenis=JenisSurat.PAK_AK)
        hapak = VersiSurat.objects.select_related("surat").get(
            surat__pejabat__nip=BAMBANG, surat__jenis=JenisSurat.HAPAK
        )
    assert hasil == {SRI: "pak", BAMBANG: "hapak"}
    assert pak.siap and hapak.siap
    # The HAPAK waits first for the sekretariat's paraf (seed 001 BAB IV E.4.b: endorsed by the STP),
    # though the instansi configured no paraf chain for it.
    assert "Menunggu paraf Sekretariat Tim Penilai" in page.get_by_role("main").inner_text()

    # 5a. The sekretariat gives the paraf from its queue; the HAPAK then waits for the ketua.
    page.context.clear_cookies()
    login(page, stp.username, settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.goto("/ttd/")
    assert hapak.surat.nomor in page.get_by_test_id("antrean-paraf").inner_text()
    assert pak.surat.nomor not in page.get_by_test_id("antrean-paraf").inner_text()
    assert axe_serius(page) == []
    submit_and_wait(page, page.get_by_test_id(f"paraf-{hapak.pk}"))
    page.get_by_text(f"Paraf diberikan pada {hapak.surat.nomor}.").wait_for()
    with tenancy.all_tenants(reason="test assertion"):
        assert list(Paraf.objects.filter(versi=hapak).values_list("user", "sha256")) == [(stp.pk, hapak.sha256)]
    page.context.clear_cookies()
    login(page, ketua.username, settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.goto("/angka-kredit/surat/")
    assert f"Menunggu tanda tangan {hapak.surat.penandatangan_nama}" in page.get_by_role("main").inner_text()

    # 5b. After the PAK the PIC records Sri's SK kenaikan pangkat III/a → III/b on her page (the
    # golongan and the PAK come preselected), with the SK's PDF; she leaves the "due" list.
    page.context.clear_cookies()
    login(page, "pic.kemenhub", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    with tenancy.scope(pic.instansi):
        sri_pejabat = PejabatFungsional.objects.get(nip=SRI)
    hari = timezone.localdate()
    page.goto(f"/pejabat-fungsional/{sri_pejabat.pk}/")
    kartu = page.get_by_test_id("kenaikan-pangkat")
    assert pak.surat.nomor in kartu.inner_text()
    page.fill("#pangkat_tmt_golongan", (hari + timedelta(days=30)).isoformat())
    page.fill("#pangkat_sk_nomor", "800/77/KP/2026")
    page.fill("#pangkat_sk_tanggal", hari.isoformat())
    page.set_input_files("#pangkat_berkas", str(pdf))
    assert axe_serius(page) == []
    submit_and_wait(page, kartu.get_by_role("button", name="Catat kenaikan pangkat"))
    page.get_by_text("Kenaikan pangkat Sri Wahyuni, S.Sos. ke III/b dicatat").wait_for()
    with tenancy.scope(pic.instansi):
        sri_pejabat = PejabatFungsional.objects.select_related("golongan").get(nip=SRI)
        naik = MutasiAK.objects.get(pejabat=sri_pejabat, jenis="kenaikan_pangkat")
    assert (sri_pejabat.golongan.kode, naik.nilai, naik.surat_id) == ("III/b", Decimal("-50"), pak.surat_id)
    assert naik.berkas.open("rb").read() == pdf.read_bytes()
    page.goto("/pejabat-fungsional/?status=pangkat")
    assert "Sri Wahyuni" not in page.get_by_role("main").inner_text()

    # 6. Sri logs in with her own account and downloads her PAK; Bambang's HAPAK is not hers.
    page.context.clear_cookies()
    login(page, "pejabat.kemenhub", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/saya/")  # the holder's home is their own record
    tabel = page.get_by_test_id("surat-saya")
    assert pak.surat.nomor in tabel.inner_text() and hapak.surat.nomor not in page.content()
    assert "Bambang" not in page.content()
    # Signed by hand and not uploaded yet: it waits for the PYB's signature, with nothing to
    # download (issue 19 fresh-eye walk: the unsigned PDF read as final).
    assert f"PAK diterbitkan, menunggu tanda tangan {pak.surat.penandatangan_nama}" in tabel.inner_text()
    assert tabel.get_by_role("link", name=f"Unduh {pak.surat.get_jenis_display()}").count() == 0
    # The team's sekretariat uploads the scan of the hand-signed PAK (seed 001's manual fallback).
    from tests.surat.conftest import tandatangani_basah

    tandatangani_basah(pak.surat, stp)
    with tenancy.all_tenants(reason="test assertion"):
        pak = type(pak).objects.select_related("surat").get(pk=pak.pk)  # its signed copy, its letter
    page.reload()
    tabel = page.get_by_test_id("surat-saya")
    shot(page, "ak-pejabat-saya")
    with page.expect_download() as unduhan:
        tabel.get_by_role("link", name=f"Unduh {pak.surat.get_jenis_display()}").click()
    isi = open(unduhan.value.path(), "rb").read()  # noqa: SIM115 - Playwright's temporary file
    assert isi.startswith(b"%PDF") and isi == pak.ttd_berkas.open("rb").read()
    response = page.request.get(f"/surat/versi/{hapak.pk}/unduh/")
    assert response.status == 404
    # Her kenaikan pangkat on her own ledger, with the SK to download.
    buku = page.get_by_test_id("buku-ak")
    assert "Kenaikan pangkat III/a → III/b" in buku.inner_text()
    with page.expect_download() as unduhan:
        buku.get_by_role("link", name="Unduh SK kenaikan pangkat").click()
    assert open(unduhan.value.path(), "rb").read() == pdf.read_bytes()  # noqa: SIM115
