"""Browser tests: Playwright drives Debian's Chromium (no browser download)."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date
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


# Package scope, not session: Playwright's sync API leaves its event loop running in this thread while
# the browser is open, and asyncio.run() (pyHanko's signing) then fails in any later non-UI test of the
# same process — with pytest-xdist a worker runs tests/ui files between others.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Indonesian dates in the date inputs (dd/mm/yyyy, as in the screenshots of the guides):
            # the context's locale="id-ID" sets only navigator.language and Accept-Language. Chromium
            # draws a date input in its own UI locale (--lang, LANGUAGE; Debian ships only en-US's
            # strings unless chromium-l10n is installed, so that alone leaves mm/dd/yyyy), or, with
            # LangAttributeAwareFormControlUI, in the page's <html lang="id"> (templates/base.html).
            env={**os.environ, "LANGUAGE": "id"},
            args=[
                "--lang=id-ID",
                "--enable-blink-features=LangAttributeAwareFormControlUI",
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
    # On CI's two busy cores a journey step timed out (15 s) waiting for a page's "load" event after
    # its DOM was there: navigations get more room than element waits.
    page.set_default_navigation_timeout(45000)
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


# ---------------------------------------------------------------- shared by the journeys


def shot(page, name):
    """A full-page screenshot (docs/screenshots under `make dokumentasi`, else test-artifacts/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def as_(page, username, password=None):
    """Log in afresh (as a demo user unless ``password`` is given) and land on the home page."""
    from django.conf import settings

    page.context.clear_cookies()
    login(page, username, password or settings.SIAKS_DEMO_PASSWORD)
    page.wait_for_url("**/beranda/")


AXE = "/static/vendor/axe-core/axe.min.js"


def axe_serius(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (axe-core from npm, our static)."""
    page.add_script_tag(url=AXE)
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                            target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )


def tunggu_notifikasi(page, timeout: float = 20.0) -> None:
    """Reload until the unread badge shows: the notice is written by the worker after the relay
    hands it the outbox row, which may come after the page was rendered (no polling on pages)."""
    import time

    batas = time.monotonic() + timeout
    badge = page.get_by_test_id("jumlah-notifikasi")
    while not badge.is_visible():
        assert time.monotonic() < batas, "no unread notification appeared"
        page.wait_for_timeout(250)
        page.reload()


def submit_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def lingkup_pengguna(user):
    """The user's tenant scope, for service calls made by the test itself."""
    from apps.core import tenancy

    return tenancy.activate(tenancy.scope_for_user(user))


def sidang_siap():
    """An usulan past the seleksi administrasi (in its berita acara), scored by the whole team, and
    its sidang opened (through the services)."""
    from apps.accounts.models import User
    from apps.referensi.models import Kompetensi, PersyaratanDokumen
    from apps.verifikasi import selectors as pembina_selectors
    from apps.verifikasi import services as pembina_services
    from apps.verifikasi.models import AnggotaTim
    from tests.factories import gol_penilai
    from tests.pengusulan.conftest import ON

    pk, usulan = demo_usulan_diajukan("Sri Wahyuni, S.Psi.")
    names = ("verifikator", "admin", "ketua", "penilai1", "penilai2")
    users = {u: User.objects.get(username=f"{u}.kemnaker") for u in names}
    v = users["verifikator"]
    with lingkup_pengguna(v):
        pembina_services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {
            p.pk: (True, "") for p in PersyaratanDokumen.objects.untuk_usulan(pk, "penyesuaian").filter(wajib=True)
        }
        pembina_services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        pembina_services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")
        # Its berita acara (a rekomendasi rests on it as on the sidang's).
        pembina_services.berita_acara_seleksi_terbitkan(actor=v, jf=pk)
    members = [users["ketua"], users["penilai1"], users["penilai2"]]
    with lingkup_pengguna(users["admin"]):
        tim = pembina_services.tim_bentuk(
            actor=users["admin"], jf=pk, nama="Tim Penilai Pengantar Kerja 2026", mulai=date(2026, 1, 1),
            selesai=date(2028, 12, 31),
            anggota=[(members[0], "ketua", True, gol_penilai()), (members[1], "sekretaris", True, gol_penilai()),
                     (members[2], "anggota", False, gol_penilai())],
        )  # fmt: skip
        pembina_services.penilai_tugaskan(actor=users["admin"], usulan_list=[usulan], tim=tim, penilai=members)
    for m in members:
        with lingkup_pengguna(m):
            p = pembina_selectors.penugasan_saya(m).get(usulan=usulan)
            pembina_services.penugasan_bebas_konflik(actor=m, penugasan=p)
            nilai = {k.pk: (k.level, "Bukti cukup.") for k in Kompetensi.objects.filter(jenjang=usulan.jenjang)}
            pembina_services.nilai_simpan(actor=m, penugasan=p, nilai=nilai, rekomendasi="lulus", selesai=True)
    with lingkup_pengguna(users["ketua"]):
        sidang = pembina_services.sidang_buka(
            actor=users["ketua"], tim=tim, usulan_list=[usulan], tanggal=ON, tempat="Ruang Rapat Tim Penilai"
        )
        pembina_services.sidang_catat_kehadiran(
            actor=users["ketua"], sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim))
        )
    return usulan, sidang


class Relay(threading.Thread):
    """The outbox relay, as `manage.py outbox_relay` runs it, in a thread for the test."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()

    def run(self):
        from django.db import connection

        from apps.core import outbox

        while not self.stop.is_set():
            try:
                outbox.relay_once()
            finally:
                connection.close()
            self.stop.wait(0.3)
