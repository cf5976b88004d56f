"""The steps of the browser journeys, shared: each journey (PIC, pembina, letters, the whole way
from a new instansi to "SK terbit") is a sequence of these. A step works on the page it is given
and asserts what the user sees; ``foto`` names the screenshots a guide uses (``make dokumentasi``)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.format import tgl
from apps.core.models import OutboxMessage
from apps.referensi.models import PersyaratanDokumen
from tests.ui import conftest
from tests.ui.conftest import as_, axe_serius, submit_and_wait


def shot(page, name: str | None) -> None:
    """A screenshot for a guide; ``None``: none (the step is run for another journey)."""
    if name:
        conftest.shot(page, name)


def konfirmasi(page, tombol, *, judul: str, foto: str | None = None) -> str:
    """Click the button of an irreversible step, read the "Periksa sebelum …" summary, confirm.
    Returns the summary's text (what the user was told would happen)."""
    submit_and_wait(page, tombol)
    page.get_by_test_id("halaman-konfirmasi").wait_for()
    assert judul in page.locator("h1").inner_text(), page.locator("h1").inner_text()
    ringkasan = page.get_by_test_id("halaman-konfirmasi").inner_text()
    assert axe_serius(page) == [], judul  # no serious or critical accessibility violation
    shot(page, foto)
    submit_and_wait(page, page.get_by_test_id("konfirmasi"))
    return ringkasan


# --------------------------------------------------------------------------- platform


def kirim_undangan() -> None:
    """What the worker does with the outbox: the account e-mails."""
    from apps.accounts.tasks import kirim_email_akun_baru

    for m in OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", published_at__isnull=True):
        kirim_email_akun_baru.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
        OutboxMessage.objects.filter(pk=m.pk).update(published_at=m.created_at)


def superadmin_buka_instansi(
    page, *, kode: str, nama: str, provinsi: str, kop: str, kota: str = "", foto: bool = False
) -> None:
    as_(page, "superadmin")
    page.get_by_test_id("menu-kelola").click()
    page.get_by_role("link", name="Instansi").click()
    page.get_by_test_id("tambah-instansi").click()
    page.fill("#id_kode", kode)
    page.fill("#id_nama", nama)
    page.select_option("#id_jenis", "kabupaten")
    page.select_option("#id_provinsi", label=provinsi)
    page.fill("#id_kop_surat", kop)
    if kota:
        page.fill("#id_kota", kota)
    shot(page, "superadmin-instansi-baru" if foto else None)
    page.get_by_test_id("simpan-platform").click()
    page.wait_for_selector(f"text=Instansi {nama} disimpan.")
    shot(page, "superadmin-instansi" if foto else None)


def superadmin_undang(page, *, kode: str, akun: dict, foto: bool = False) -> None:
    """``akun``: username → (nama, e-mail, peran, NIP). Each gets an invitation e-mail."""
    for username, (nama, email, peran, nip) in akun.items():
        page.goto("/platform/instansi/")
        page.locator(f"tr[data-instansi='{kode}'] a[href*='pengguna/baru']").click()
        page.fill("#id_username", username)
        page.fill("#id_nama_lengkap", nama)
        page.fill("#id_email", email)
        page.fill("#id_nip", nip)
        page.check(f"input[name=peran][value={peran}]")
        if peran == "ppk" and foto:
            shot(page, "superadmin-pengguna-baru")
        page.get_by_test_id("simpan-platform").click()
        page.wait_for_selector(f"text=tautan untuk menetapkan kata sandi dikirim ke {email}")


def atur_kata_sandi_dari_email(page, *, username: str, email: str, nama: str, password: str) -> None:
    """The invited user follows the e-mail's link, sets a password and logs in."""
    [message] = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"(https?://\S+/akun/kata-sandi/atur/\S+/)", message.body).group(1)
    page.context.clear_cookies()
    page.goto("/" + link.split("/", 3)[3])
    page.fill("#id_new_password1", password)
    page.fill("#id_new_password2", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/selesai/")
    as_(page, username, password)
    assert nama in page.locator("[data-testid=menu-pengguna]").inner_text()


# --------------------------------------------------------------------------- PIC


def pic_isi_formasi(page, *, jf: str, jenjang: str, jumlah: int, pdf, foto: bool = False) -> None:
    """Formasi of a JF and the instansi-level documents of that JF."""
    page.get_by_role("link", name="Formasi").click()
    page.get_by_role("link", name=jf).click()
    page.select_option("#id_jenjang", label=jenjang)
    page.fill("#id_jumlah", str(jumlah))
    page.get_by_role("button", name="Simpan formasi").click()
    page.wait_for_selector("text=Formasi disimpan.")
    for form in page.locator("form[action*='/dokumen/']").all():
        form.locator("input[type=file]").set_input_files(str(pdf))
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    shot(page, "pic-formasi" if foto else None)
    assert str(jumlah) in page.get_by_test_id("tabel-formasi").inner_text()


def pic_daftarkan_pegawai(page, *, nip: str, nama: str, golongan: str, jabatan: str, unit: str, foto: bool = False):
    page.get_by_role("link", name="Pegawai").first.click()
    page.get_by_role("link", name="Daftarkan pegawai").click()
    page.fill("#id_nip", nip)
    page.fill("#id_nama", nama)
    page.fill("#id_tempat_lahir", "Jakarta")
    page.select_option("#id_golongan", label=golongan)
    page.fill("#id_tmt_golongan", "2021-04-01")
    page.select_option("#id_pendidikan", "s1")
    page.fill("#id_jabatan_saat_ini", jabatan)
    page.select_option("#id_is_pelaksana", "False")
    page.fill("#id_unit_kerja", unit)
    page.fill("#id_pengalaman_tahun", "3")
    year = page.evaluate("new Date().getFullYear()")
    page.select_option(f"#id_predikat_{year - 1}", "baik")
    page.select_option(f"#id_predikat_{year - 2}", "sangat_baik")
    shot(page, "pic-daftar-pegawai" if foto else None)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector(f"text=Data pegawai {nama} disimpan.")


def pic_buat_usulan_dan_unggah(page, *, jf_kode: str, jenjang: str, pdf, foto: bool = False) -> int:
    """From the pegawai's page: propose into the JF (live eligibility), upload every mandatory
    portfolio document. Returns the usulan's id."""
    page.select_option("#id_jf", jf_kode)
    page.wait_for_selector("[data-testid=eligibilitas]")
    assert f"jenjang {jenjang}" in page.get_by_test_id("eligibilitas").inner_text()
    shot(page, "pic-eligibilitas" if foto else None)
    page.get_by_role("button", name="Buat usulan").click()
    page.wait_for_url("**/usulan/*/")
    usulan_pk = int(re.search(r"/usulan/(\d+)/", page.url).group(1))
    wajib = PersyaratanDokumen.objects.filter(jf__kode=jf_kode, level="usulan", jenis_usulan="penyesuaian", wajib=True)
    for kode in wajib.values_list("kode", flat=True):
        card = page.locator(f"[data-persyaratan={kode}]")
        card.locator("input[type=file]").set_input_files(str(pdf))
        if kode == "dokumen_pak":  # the SK cites the PAK signed by the atasan langsung by number and date
            card.get_by_test_id("pak-nomor").fill("800/PAK-AL/015/2025")
            card.get_by_test_id("pak-tanggal").fill("2025-12-01")
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
        page.wait_for_selector(f"[data-persyaratan={kode}] >> text=terbaru")
    shot(page, "pic-dokumen" if foto else None)
    return usulan_pk


def pic_ajukan(page, *, nomor: str, tanggal: str, foto: bool = False) -> str:
    """Submit with the PPK's surat pengantar, through the confirmation page."""
    page.fill("#pengantar_nomor", nomor)
    page.fill("#pengantar_tanggal", tanggal)
    ringkasan = konfirmasi(
        page, page.get_by_test_id("tombol-ajukan"), judul="Periksa sebelum mengajukan",
        foto="pic-konfirmasi-ajukan" if foto else None,
    )  # fmt: skip
    page.wait_for_selector("text=Usulan telah diajukan ke instansi pembina.")
    return ringkasan


def pic_perbaiki_dan_ajukan_ulang(page, *, usulan_pk: int, dokumen: str, pdf, catatan: str, foto: bool = False):
    """The PIC reads the verifier's notes, uploads a new version of ``dokumen`` and resubmits."""
    page.goto(f"/usulan/{usulan_pk}/")
    assert catatan in page.get_by_test_id("catatan-perbaikan").inner_text()
    shot(page, "pic-perbaikan" if foto else None)
    card = page.locator(f"[data-persyaratan={dokumen}]")
    card.locator("input[type=file]").set_input_files(str(pdf))
    submit_and_wait(page, card.locator("button[type=submit]"))
    assert "v2" in page.locator(f"[data-persyaratan={dokumen}]").inner_text()
    ringkasan = konfirmasi(page, page.get_by_test_id("tombol-ajukan"), judul="Periksa sebelum mengajukan ulang")
    assert "(v2)" in ringkasan and "tanpa perubahan" not in ringkasan
    assert "Usulan telah diajukan" in page.content()


# --------------------------------------------------------------------------- pembina


def verifikator_kembalikan(page, *, nomor: str, dokumen: str, catatan_dokumen: str, catatan: str, foto=False):
    """The verifier opens the dossier from the inbox and returns it for perbaikan of ``dokumen``."""
    page.get_by_role("link", name="Kotak masuk").click()
    shot(page, "pembina-kotak-masuk" if foto else None)
    page.get_by_role("link", name=nomor).click()
    submit_and_wait(page, page.get_by_test_id("mulai-verifikasi"))
    for card in page.locator("[data-persyaratan]").all():
        if card.locator("input[value=sesuai]").count():
            if card.get_attribute("data-persyaratan") == dokumen:
                card.locator("label.btn-outline-danger").click()
                card.locator("input[name^=catatan_]").fill(catatan_dokumen)
            else:
                card.locator("label.btn-outline-success").click()
    page.select_option("#keputusan", "perbaikan")
    page.fill("#catatan", catatan)
    shot(page, "pembina-seleksi-administrasi" if foto else None)
    submit_and_wait(page, page.get_by_test_id("simpan-pemeriksaan"))
    assert "Keputusan disimpan: Perlu perbaikan." in page.content()


def verifikator_loloskan(page, *, usulan_pk: int, dokumen: str) -> None:
    """Second round: only the changed document needs a verdict; the others carry theirs."""
    page.goto(f"/pembina/usulan/{usulan_pk}/")
    assert "Berubah sejak pemeriksaan terakhir" in page.content() and "(v2)" in page.content()
    submit_and_wait(page, page.get_by_test_id("mulai-verifikasi"))
    card = page.locator(f"[data-persyaratan={dokumen}]")
    assert card.get_by_test_id("perlu-diperiksa").count() == 1
    assert page.get_by_test_id("putusan-dibawa").count() >= 1
    card.locator("label.btn-outline-success").click()
    page.select_option("#keputusan", "memenuhi")
    submit_and_wait(page, page.get_by_test_id("simpan-pemeriksaan"))
    assert "Lulus administrasi" in page.content()


def verifikator_terbitkan_ba_seleksi(page, *, jf_kode: str, pegawai: str) -> None:
    """From the inbox: the berita acara seleksi administrasi of the decided rounds (a rekomendasi
    rests on it)."""
    page.goto("/pembina/usulan/")
    page.get_by_test_id("ke-ba-seleksi").click()
    page.select_option("#pilih-jf", jf_kode)
    submit_and_wait(page, page.get_by_role("button", name="Tampilkan"))
    assert pegawai in page.get_by_test_id("seleksi-belum-ba").inner_text()
    submit_and_wait(page, page.get_by_test_id("terbitkan-ba-seleksi"))
    # The issued berita acara opens (its letter page), listing the pegawai it records.
    assert "diterbitkan; PDF sedang dibuat" in page.content()
    assert pegawai in page.locator("main").inner_text()
    # Back on the berita acara page, nothing of that JF is left without one.
    page.goto(f"{reverse('verifikasi:berita_acara_seleksi')}?jf={jf_kode}")
    assert "Semua keputusan seleksi administrasi" in page.content()


def admin_bentuk_tim_dan_tugaskan(page, *, nama_tim: str, usulan_pk: int, anggota, foto: bool = False) -> None:
    """``anggota``: (username, peran) — the first is the ketua."""
    page.get_by_role("link", name="Tim penilai").click()
    page.fill("#nama", nama_tim)
    page.fill("#mulai", "2026-01-01")
    page.fill("#selesai", "2028-12-31")
    for username, peran in anggota:
        user = User.objects.get(username=username)
        page.select_option(f"select[name=peran_{user.pk}]", peran)
        page.select_option(f"select[name=golongan_{user.pk}]", label="Pembina (IV/a)")
        if peran != "anggota":
            page.check(f"input[name=sertifikat_{user.pk}]")
    submit_and_wait(page, page.get_by_role("button", name="Bentuk tim"))
    assert "dibentuk" in page.content()
    page.check(f"#u{usulan_pk}")
    for username, _peran in anggota:
        page.check(f"#p{User.objects.get(username=username).pk}")
    submit_and_wait(page, page.get_by_test_id("tugaskan-penilai"))
    assert f"{len(anggota)} penugasan penilai dibuat" in page.content()
    shot(page, "pembina-tim" if foto else None)


def penilai_menilai(page, *, usernames, pegawai: str, foto: bool = False) -> None:
    """Each penilai declares no conflict, scores every competency and sends, after the summary."""
    for i, username in enumerate(usernames):
        as_(page, username)
        page.get_by_role("link", name="Penilaian saya").click()
        page.get_by_role("link", name=pegawai).click()
        submit_and_wait(page, page.get_by_test_id("bebas-konflik"))
        for select in page.locator("select[name^=level_]").all():
            select.select_option("3")
        page.select_option("#rekomendasi", "lulus")
        shot(page, "penilai-skor" if foto and i == 0 else None)
        ringkasan = konfirmasi(
            page, page.get_by_test_id("kirim-penilaian"), judul="Periksa sebelum mengirim penilaian",
            foto="penilai-konfirmasi" if foto and i == 0 else None,
        )  # fmt: skip
        assert "Lulus" in ringkasan and "dikunci" in ringkasan
        assert "Penilaian dikirim." in page.content()


def ketua_buka_sidang(page, *, nama_tim: str, usulan_pk: int) -> None:
    page.get_by_role("link", name="Tim penilai").click()
    page.get_by_role("link", name=nama_tim).click()
    assert "3 / 3" in page.get_by_test_id("progres-penilaian").inner_text()
    page.check(f"input[name=usulan][value='{usulan_pk}']")
    page.fill("input[name=tempat]", "Ruang Rapat Tim Penilai")
    submit_and_wait(page, page.get_by_test_id("buka-sidang"))


def ketua_putuskan(page, *, usulan_pk: int, foto: bool = False) -> str:
    """Attendance of every member, lulus, through the confirmation; returns the berita acara text."""
    for box in page.locator("input[name^=hadir_]").all():
        box.check()
    page.select_option(f"select[name=keputusan_{usulan_pk}]", "lulus")
    ringkasan = konfirmasi(
        page, page.get_by_test_id("putuskan-sidang"), judul="Periksa sebelum memutuskan sidang",
        foto="pembina-konfirmasi-sidang" if foto else None,
    )  # fmt: skip
    assert "1 lulus, 0 tidak lulus" in ringkasan
    return page.get_by_test_id("berita-acara").inner_text()


def admin_terbitkan_rekomendasi(page, *, jf_kode: str, instansi: str, foto: bool = False) -> None:
    """Issue the rekomendasi of the JF (confirmation first) and watch the batch render."""
    page.get_by_role("link", name="Rekomendasi").click()
    page.select_option("#pilih-jf", jf_kode)
    submit_and_wait(page, page.get_by_role("button", name="Tampilkan"))
    assert instansi in page.get_by_test_id("siap-rekomendasi").inner_text()
    page.fill("#id_penandatangan_nama", "Dr. Ir. Rahmat Hidayat, M.Si.")
    page.fill("#id_penandatangan_jabatan", "Direktur Bina Penempatan Tenaga Kerja")
    page.fill("#id_penandatangan_nip", "19700101 199503 1 001")
    shot(page, "pembina-rekomendasi" if foto else None)
    ringkasan = konfirmasi(
        page, page.get_by_test_id("terbitkan-rekomendasi"), judul="Periksa sebelum menerbitkan rekomendasi",
        foto="pembina-konfirmasi-rekomendasi" if foto else None,
    )  # fmt: skip
    assert instansi in ringkasan
    page.get_by_text("1 dari 1 surat selesai").wait_for(timeout=60000)
    shot(page, "pembina-rekomendasi-kemajuan" if foto else None)


def pembina_unggah_pindaian(page, *, surat_pk: int, tmp_path,
                            alasan: str = "Layanan TTE sedang gangguan (keadaan kahar).") -> None:  # fmt: skip
    """The admin pembina signs a berita acara or rekomendasi by the fallback of seed 001: from
    the letter's page, download it, "print, sign and scan" it, and upload the scan with the reason
    (a rekomendasi waits for its signed berita acara, an SK for its signed rekomendasi)."""
    from tests.pdfs import pindaian

    page.goto(f"/surat/{surat_pk}/")
    link = page.locator("[data-testid=versi-surat] a", has_text="Unduh").first
    for _ in range(60):  # the worker renders it
        if link.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    with page.expect_download() as download:
        link.click()
    asli = tmp_path / f"surat-{surat_pk}.pdf"
    download.value.save_as(asli)
    scan = tmp_path / f"surat-{surat_pk}-pindaian.pdf"
    scan.write_bytes(pindaian(asli.read_bytes()))
    page.get_by_text("Unggah salinan yang ditandatangani di luar portal").click()
    page.set_input_files("form[action*='unggah'] input[name=berkas]", str(scan))
    page.fill("form[action*='unggah'] textarea[name=alasan]", alasan)
    submit_and_wait(page, page.get_by_test_id("unggah-salinan"))
    assert "Salinan bertanda tangan basah diunggah" in page.content()


def pilih_penanda(page, *, nama: str, jabatan: str, nip: str = "") -> None:
    """The signer: chosen among the issuer's registered officials when it has any (the name and
    NIP are filled from the choice, read-only), else typed."""
    pilihan = page.locator("select#id_pejabat")
    if pilihan.count():
        pilihan.select_option(label=next(o for o in pilihan.locator("option").all_inner_texts() if nama in o))
        assert page.input_value("#id_penandatangan_nama") == nama
        if nip:
            assert page.input_value("#id_penandatangan_nip") == nip
        page.fill("#id_penandatangan_jabatan", jabatan)
        return
    page.fill("#id_penandatangan_nama", nama)
    page.fill("#id_penandatangan_jabatan", jabatan)
    if nip:
        page.fill("#id_penandatangan_nip", nip)


def ppk_terbitkan_sk(page, *, usulan_pk: int, penandatangan: str, jabatan: str, nip: str = "",
                     ditetapkan_di: str = "", kota_sk: str = "", foto: bool = False) -> str:  # fmt: skip
    """From the PPK's page: tick the usulan, fill the SK form, confirm; wait for the PDF."""
    page.goto("/ppk/")
    page.check(f"#u{usulan_pk}")
    # Dated today: not before the rekomendasi it rests on (issued today on its page), which the
    # SK service refuses; so is a TMT before it: the first day of next month.
    hari_ini = timezone.localdate()
    tmt = (hari_ini.replace(day=1) + timedelta(days=32)).replace(day=1)
    page.fill("#id_tanggal", hari_ini.isoformat())
    page.fill("#id_tmt", tmt.isoformat())
    pilih_penanda(page, nama=penandatangan, jabatan=jabatan, nip=nip)
    if ditetapkan_di:
        page.fill("#id_ditetapkan_di", ditetapkan_di)
    shot(page, "ppk-menunggu-sk" if foto else None)
    ringkasan = konfirmasi(
        page, page.get_by_test_id("terbitkan-sk"), judul="Periksa sebelum menerbitkan SK",
        foto="ppk-konfirmasi-sk" if foto else None,
    )  # fmt: skip
    assert "1 SK" in ringkasan and tgl(tmt) in ringkasan
    if kota_sk:
        assert kota_sk in ringkasan  # "Ditetapkan di"
    assert "PDF sedang dibuat" in page.content()
    page.get_by_test_id("unduh-surat").wait_for(timeout=60000)  # "sedang diproses" → download (htmx)
    return ringkasan


def ppk_unggah_salinan_pindai(page, *, tmp_path, alasan: str = "Layanan TTE sedang gangguan (keadaan kahar)."):
    """Download the rendered SK, "print, sign and scan" it, and upload the scan as the signed copy
    (the fallback). Returns the downloaded (issued) PDF."""
    from tests.pdfs import pindaian

    with page.expect_download() as download:
        page.get_by_test_id("unduh-surat").click()
    sk_pdf = tmp_path / "sk.pdf"
    download.value.save_as(sk_pdf)
    scan = tmp_path / "sk-pindaian.pdf"
    scan.write_bytes(pindaian(sk_pdf.read_bytes()))
    page.set_input_files("input[name=berkas]", str(scan))
    page.fill("#alasan-ttd", alasan)
    submit_and_wait(page, page.get_by_test_id("unggah-ttd"))
    assert "SK terbit" in page.content()
    return sk_pdf
