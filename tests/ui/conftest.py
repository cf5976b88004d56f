"""Browser tests: Playwright drives Debian's Chromium (no browser download)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SIAKS_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Screenshots go to the guides only through `make dokumentasi` (SIAKS_DOKUMENTASI=1); a plain test
# run writes them under test-artifacts/ and leaves the work tree as it found it.
DOKUMENTASI = os.environ.get("SIAKS_DOKUMENTASI") == "1"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots" if DOKUMENTASI else ARTIFACTS / "screenshots"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def demo_usulan_diajukan(nama: str):
    """Demo data plus one usulan of pic.kemenhub for Pengantar Kerja Ahli Muda, submitted through
    the services with every mandatory document. Returns (jf, usulan)."""
    from django.core.management import call_command

    from apps.accounts.models import User
    from apps.core import tenancy
    from apps.pengusulan import services as pic_services
    from apps.referensi.models import JabatanFungsional, Jenjang
    from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory

    call_command("load_referensi")
    call_command("demo_data")
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
    pic = User.objects.get(username="pic.kemenhub")
    with tenancy.scope(pic.instansi):
        pic_services.formasi_simpan(
            actor=pic, jf=jf, jenjang=Jenjang.objects.get(jf=jf, kode="ahli_muda"), unit_kerja="", jumlah=2
        )
        pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(nama=nama))
        usulan = pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=jf)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(pic.instansi):
        return jf, pic_services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)


def login(page, username: str, password: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
