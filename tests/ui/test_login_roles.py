from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.ui.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

HOMES = {
    "superadmin": "Beranda Superadmin Platform",
    "admin.setneg": "Beranda Admin Instansi Pembina",
    "verifikator.setneg": "Beranda Verifikator",
    "ketua.setneg": "Beranda Ketua Tim Penilai",
    "penilai1.setneg": "Beranda Penilai",
    "pic.kemenhub": "Beranda PIC Admin Instansi",
    "ppk.kemenhub": "Beranda Pejabat Pembina Kepegawaian",
    "pic.bandung": "Beranda PIC Admin Instansi",
}


def test_each_demo_role_lands_on_its_own_home(page):
    call_command("demo_data")
    for username, heading in HOMES.items():
        login(page, username, settings.SIAKS_DEMO_PASSWORD)
        page.wait_for_url("**/beranda/")
        assert page.get_by_test_id("judul-beranda").inner_text() == heading
        # the menu bar fits on one line at 1280 px, even for the role with the most entries
        assert page.locator("nav.navbar").bounding_box()["height"] < 70, username
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), username
        if username == "pic.kemenhub":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "beranda-pic.png"))
        # log out through the menu (a POST form)
        page.get_by_test_id("menu-pengguna").click()
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url("**/akun/masuk/")


def test_the_admin_pembina_reaches_the_audit_log_through_the_kelola_menu(page):
    from apps.accounts.models import User
    from apps.notifikasi import services as notifikasi

    call_command("demo_data")
    # the widest bar: the role with the most entries, a long name and unread notices
    admin = User.objects.get(username="admin.setneg")
    admin.nama_lengkap = "Dr. Ir. Raden Roro Siti Nurhaliza Kusumawardhani, S.H., M.Sc."
    admin.save(update_fields=["nama_lengkap"])
    notifikasi.notifikasi_buat([admin] * 12, jenis="uji", judul="Pemberitahuan uji")
    login(page, "admin.setneg", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_test_id("jumlah-notifikasi").inner_text() == "12"
    page.set_viewport_size({"width": 1400, "height": 800})  # the icons come back from 1400 px
    assert page.locator(".nav-ikon").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_test_id("menu-kelola").click()
    page.get_by_role("link", name="Log audit").click()
    page.wait_for_url("**/audit/")
    assert page.get_by_test_id("menu-kelola").get_attribute("class").split().count("active") == 1


def test_a_wrong_password_shows_an_indonesian_error(page):
    call_command("demo_data")
    login(page, "pic.kemenhub", "bukan-kata-sandinya")
    assert "Nama pengguna atau kata sandi salah" in page.locator(".alert-danger").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "masuk-gagal.png"))
