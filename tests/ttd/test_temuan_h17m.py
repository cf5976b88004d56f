"""Fresh-eye walk 2 of issue 17 (h17m): a signature is stored only when its timestamp chains to
the trust roots; a timestamp fault inside BSrE is retried; the double-submit, bulk-paraf and
validation-API messages say what happened."""

from __future__ import annotations

import pytest

from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.ca_uji import CAUji
from apps.ttd.models import TandaTangan
from apps.ttd.tsa_uji import TSAUji
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tsa_asing():
    """A TSA of another test CA (another portal's on the same machine): not in the trust roots."""
    with TSAUji(CAUji.buat()) as server:
        yield server


def test_a_timestamp_from_an_untrusted_tsa_is_not_stored(sk_siap, ppk_pk, pejabat_ppk, settings, tsa_asing):
    (versi,) = sk_siap(1)
    settings.SIAKS_TTD_TSA_URL = tsa_asing.url
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        versi = VersiSurat.objects.get(pk=versi.pk)
        ditandatangani = services.ditandatangani(versi)
    assert tt.status == TandaTangan.Status.GAGAL and not tt.berkas
    assert f"Cap waktu dari TSA {tsa_asing.url} tidak tepercaya" in tt.galat
    assert "TSA Uji SIAKS" in tt.galat and "Error" not in tt.galat
    assert not versi.ttd_berkas and not ditandatangani


def test_a_bsre_signature_with_an_untrusted_timestamp_is_not_stored(
    sk_siap, ppk_pk, pejabat_bsre, bsre, tsa_asing, monkeypatch
):
    from tests.ttd.conftest import BSRE_PASSPHRASE

    (versi,) = sk_siap(1)
    monkeypatch.setattr(bsre, "tsa_url", tsa_asing.url)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        versi = VersiSurat.objects.get(pk=versi.pk)
    assert tt.status == TandaTangan.Status.GAGAL and "BSrE" in tt.galat and "tidak tepercaya" in tt.galat
    assert not versi.ttd_berkas


def _tsa_gagal(bsre, monkeypatch, kali: int):
    """The fake BSrE's TSA fails on the next ``kali`` signing requests (as seen: BSrE answers
    "Dokumen tidak dapat diproses: TimestampRequestError")."""
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    asli = bsre._pdf
    sisa = {"n": kali}

    def _pdf(*args, **kwargs):
        if sisa["n"] > 0:
            sisa["n"] -= 1
            raise TimestampRequestError("Error while contacting timestamp service")
        return asli(*args, **kwargs)

    monkeypatch.setattr(bsre, "_pdf", _pdf)


def test_a_bsre_timestamp_fault_is_retried_without_double_signing(sk_siap, ppk_pk, pejabat_bsre, bsre, monkeypatch):
    from tests.ttd.conftest import BSRE_PASSPHRASE

    (versi,) = sk_siap(1)
    _tsa_gagal(bsre, monkeypatch, 1)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        rows = list(TandaTangan.objects.filter(versi_id=versi.pk))
        assert VersiSurat.objects.get(pk=versi.pk).ttd_berkas
    assert [(t.batch_id, t.status, t.percobaan) for t in rows] == [(batch.pk, TandaTangan.Status.SELESAI, 2)]


def test_a_bsre_timestamp_fault_that_lasts_ends_with_a_clear_message(sk_siap, ppk_pk, pejabat_bsre, bsre, monkeypatch):
    from tests.ttd.conftest import BSRE_PASSPHRASE

    (versi,) = sk_siap(1)
    _tsa_gagal(bsre, monkeypatch, 100)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
    assert tt.status == TandaTangan.Status.GAGAL and tt.percobaan > 1
    assert "cap waktu (TSA) BSrE sedang gangguan" in tt.galat and "dicoba lagi." not in tt.galat
    assert "Error" not in tt.galat


def test_a_second_request_while_queued_says_queued_not_signed(sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
        with pytest.raises(services.TtdError) as exc:
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    pesan = str(exc.value)
    assert "sudah dalam antrean tanda tangan Anda sejak" in pesan and "WIB" in pesan
    assert "sudah Anda tandatangani" not in pesan


def test_the_validation_api_refuses_a_copy_signed_before_the_paraf(
    client, alur, kabag, sk_siap, ppk_pk, sertifikat_ppk, tsa
):
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.ttd.conftest import baca
    from tests.ttd.test_tte import _sign_directly

    (versi,) = sk_siap(1)
    dini = _sign_directly(baca(versi.berkas), sertifikat_ppk, tsa, nama="Ir. Budi Santoso, M.T.")
    time.sleep(1.1)  # the timestamp and the paraf are compared to the second
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=versi)
    client.force_login(ppk_pk)
    r = client.post(
        f"/api/v1/ttd/versi/{versi.pk}/validasi/",
        {"berkas": SimpleUploadedFile("sk.pdf", dini, content_type="application/pdf")},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["sah"], body["tingkat"]) == (False, "tidak_sah")
    assert "sebelum paraf versi 1 selesai" in body["ringkasan"]


def test_the_restarted_fake_bsre_knows_the_officials_before_it_answers(pejabat_bsre, settings, tmp_path, monkeypatch):
    """run_portal restarts ``ttd_layanan_uji`` when it dies: the fake BSrE answered "not
    registered" until it had re-enrolled the officials. It now starts answering after."""
    import os
    import socket

    from django.core.management import call_command

    from apps.ttd.bsre_uji import BSrEUji
    from apps.ttd.management.commands import ttd_layanan_uji
    from tests.ttd.conftest import NIK_PPK

    settings.DEBUG = True
    settings.SIAKS_TTD_DEV_DIR = tmp_path
    dikenal = []
    asli = BSrEUji.start

    def start(self):
        dikenal.append(set(self.pengguna))
        return asli(self)

    def henti(_detik):
        raise KeyboardInterrupt

    monkeypatch.setattr(BSrEUji, "start", start)
    monkeypatch.setattr(ttd_layanan_uji.time, "sleep", henti)
    fds = []
    for _ in range(2):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen()
        fds.append(os.dup(s.fileno()))
        s.close()
    call_command("ttd_layanan_uji", tsa_fd=fds[0], bsre_fd=fds[1], dir=str(tmp_path))
    assert dikenal and NIK_PPK in dikenal[0]


def test_manage_py_commands_use_the_running_portals_tsa_and_bsre(tmp_path):
    """A second run_portal on the machine picks other ports; ``manage.py ttd_demo`` of its checkout
    (a process of its own) reads them from the data folder instead of taking 8781 (another CA)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    from apps.portal.management.commands.run_portal import tulis_alamat_ttd

    env = {k: v for k, v in os.environ.items() if not k.startswith("SIAKS_TTD_")}
    env |= {"DJANGO_SETTINGS_MODULE": "siaks.settings.dev", "SIAKS_DATA_DIR": str(tmp_path),
            # Servers named, never contacted: the settings alone would start an embedded PostgreSQL
            # and Redis in tmp_path that nobody stops (found left running after a suite run).
            "DATABASE_URL": "postgres://siaks@127.0.0.1:1/siaks", "REDIS_URL": "redis://127.0.0.1:1/0"}  # fmt: skip
    kode = "from django.conf import settings as s; print(s.SIAKS_TTD_TSA_URL, s.SIAKS_TTD_BSRE_URL)"

    def baca():
        out = subprocess.run([sys.executable, "-c", kode], env=env, cwd=settings.BASE_DIR, capture_output=True,
                             text=True, check=True)  # fmt: skip
        return out.stdout.split()

    tulis_alamat_ttd(tmp_path, {"SIAKS_TTD_TSA_URL": "http://127.0.0.1:40657/tsa",
                                "SIAKS_TTD_BSRE_URL": "http://127.0.0.1:52903"})  # fmt: skip
    assert baca() == ["http://127.0.0.1:40657/tsa", "http://127.0.0.1:52903"]
    (tmp_path / "ttd-uji-alamat.json").unlink()  # the portal stopped
    assert baca() == ["http://127.0.0.1:8781/tsa", "http://127.0.0.1:8782"]
    assert not (tmp_path / "pg").exists() and not (tmp_path / "redis").exists()


def test_a_portal_key_signature_whose_tsa_never_answers_ends_without_promising_a_retry(
    sk_siap, ppk_pk, pejabat_ppk, settings
):
    """Fresh-eye walk 2 of issue 17: with the TSA down, the portal-held key's letter failed with
    "Layanan cap waktu (TSA) tidak menjawab; dicoba lagi." after its last retry."""
    import socket

    (versi,) = sk_siap(1)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{s.getsockname()[1]}/"
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
    assert tt.status == TandaTangan.Status.GAGAL and tt.percobaan > 1 and not tt.berkas
    assert "Layanan cap waktu (TSA) tidak menjawab, juga setelah beberapa kali dicoba" in tt.galat
    assert "dicoba lagi." not in tt.galat and "tandatangani lagi dari antrean" in tt.galat
