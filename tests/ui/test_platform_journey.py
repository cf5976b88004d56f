"""The platform's superadmin in Chromium (issue 14, item 3): creates a new kabupaten under
DI Yogyakarta and its PIC and PPK; both set their passwords from the invitation e-mails and land
on their own home pages. The screenshots go to the superadmin's guide."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from apps.core.models import Instansi, OutboxMessage
from tests.ui.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _kirim_undangan():
    """What the worker does with the outbox: the account e-mails."""
    from apps.accounts.tasks import kirim_email_akun_baru

    for m in OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", published_at__isnull=True):
        kirim_email_akun_baru.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
        OutboxMessage.objects.filter(pk=m.pk).update(published_at=m.created_at)


def test_the_superadmin_opens_a_new_kabupaten_with_its_pic_and_ppk(page, live_server):
    call_command("load_referensi")
    call_command("demo_data")
    login(page, "superadmin", settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")
    page.get_by_test_id("menu-kelola").click()
    page.get_by_role("link", name="Instansi").click()
    page.get_by_test_id("tambah-instansi").click()
    page.fill("#id_kode", "KAB-GUNUNGKIDUL")
    page.fill("#id_nama", "Pemerintah Kabupaten Gunungkidul")
    page.select_option("#id_jenis", "kabupaten")
    page.select_option("#id_provinsi", label="DI Yogyakarta")
    page.fill("#id_kop_surat", "PEMERINTAH KABUPATEN GUNUNGKIDUL\nBADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM")
    shot(page, "superadmin-instansi-baru")
    page.get_by_test_id("simpan-platform").click()
    page.wait_for_selector("text=Instansi Pemerintah Kabupaten Gunungkidul disimpan.")
    gk = Instansi.objects.get(kode="KAB-GUNUNGKIDUL")
    assert gk.parent.nama == "Pemerintah Provinsi DI Yogyakarta"
    shot(page, "superadmin-instansi")

    akun = {
        "pic.gunungkidul": ("Sekar Arum", "sekar@gunungkidulkab.go.id", "pic_instansi", "19850317 201001 2 004"),
        "ppk.gunungkidul": ("Bambang Wisnu", "bambang@gunungkidulkab.go.id", "ppk", "19700512 199503 1 001"),
    }
    for username, (nama, email, peran, nip) in akun.items():
        page.locator("tr[data-instansi='KAB-GUNUNGKIDUL'] a[href*='pengguna/baru']").click()
        page.fill("#id_username", username)
        page.fill("#id_nama_lengkap", nama)
        page.fill("#id_email", email)
        page.fill("#id_nip", nip)
        page.check(f"input[name=peran][value={peran}]")
        if peran == "ppk":
            shot(page, "superadmin-pengguna-baru")
        page.get_by_test_id("simpan-platform").click()
        page.wait_for_selector(f"text=tautan untuk menetapkan kata sandi dikirim ke {email}")
        page.goto("/platform/instansi/")

    _kirim_undangan()
    for username, (nama, email, _peran, _nip) in akun.items():
        [message] = [m for m in mail.outbox if m.to == [email]]
        link = re.search(r"(https?://\S+/akun/kata-sandi/atur/\S+/)", message.body).group(1)
        path = "/" + link.split("/", 3)[3]
        page.context.clear_cookies()
        page.goto(path)
        page.fill("#id_new_password1", "Merapi-Kaliurang#7391")
        page.fill("#id_new_password2", "Merapi-Kaliurang#7391")
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/selesai/")
        login(page, username, "Merapi-Kaliurang#7391")
        page.wait_for_url("**/beranda/")
        assert nama in page.locator("[data-testid=menu-pengguna]").inner_text()
