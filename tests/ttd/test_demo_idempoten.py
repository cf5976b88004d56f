"""Issue 17 (helper i17h, item 1): ``ttd_demo`` — run by every ``make run`` — re-registered the demo
signing officials each time (``update_or_create``), undoing what the instansi's PIC or admin had
changed (backend, NIP, office, certificate, deactivation) and re-issuing every key. It now creates
only the officials that are missing, leaves the others as they are, writes nothing once all are
there, and says what it did."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.ttd.models import Pejabat
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE, ca_dev

pytestmark = pytest.mark.django_db

NIP_DEMO = "196805121993031002"


@pytest.fixture
def demo(instansi_a, settings, tmp_path):
    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    return UserFactory(username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra", nip="")


def _jalankan(capsys) -> str:
    call_command("ttd_demo")
    return capsys.readouterr().out


def test_a_rerun_keeps_what_the_pic_changed_and_says_so(demo, capsys):
    out = _jalankan(capsys)
    assert f"ppk.kemenhub: NIP {NIP_DEMO} (pkcs12)" in out
    with all_tenants():
        p = Pejabat.objects.get(user=demo)
        kunci = bytes(p.pkcs12)
        # What the PIC changed on the officials page.
        Pejabat.objects.filter(pk=p.pk).update(
            backend="bsre", nip="196805121993031099", nik="3173011205680099", jabatan="Plt. Sekretaris Jenderal",
            aktif=False,
        )  # fmt: skip
        User.objects.filter(pk=demo.pk).update(nip="196805121993031099")
    out = _jalankan(capsys)
    with all_tenants():
        (p,) = Pejabat.objects.filter(user=demo)
    assert (p.backend, p.nip, p.nik, p.jabatan, p.aktif) == (
        "bsre", "196805121993031099", "3173011205680099", "Plt. Sekretaris Jenderal", False
    )  # fmt: skip
    assert bytes(p.pkcs12) == kunci  # no certificate re-issued
    assert User.objects.get(pk=demo.pk).nip == "196805121993031099"
    assert "dibiarkan apa adanya" in out and "ppk.kemenhub: NIP 196805121993031099 (bsre, nonaktif)" in out
    assert "didaftarkan (ketik" not in out


def test_once_every_official_is_there_a_rerun_writes_nothing(demo, capsys):
    """A second ``make run`` against the same .data/ while the first portal's worker signs: the
    command does not write a single official or account row, so it cannot race with a signature."""
    _jalankan(capsys)
    with CaptureQueriesContext(connection) as ctx:
        _jalankan(capsys)
    tulis = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert tulis == []
    with all_tenants():
        assert Pejabat.objects.filter(user=demo).count() == 1


def test_a_missing_official_is_registered_and_an_unlinked_one_is_not_doubled(demo, instansi_a, capsys):
    """An official whose account was unlinked (same NIP, no account) counts as registered; a demo
    account with its own NIP is registered with that NIP, not the demo's."""
    _jalankan(capsys)
    with all_tenants():
        Pejabat.objects.filter(user=demo).update(user=None)
    jabar = UserFactory(username="ppk.jabar", instansi=instansi_a, roles=["ppk"], nip="197003152000031077")
    out = _jalankan(capsys)
    with all_tenants():
        assert Pejabat.objects.filter(instansi=instansi_a, nip=NIP_DEMO).count() == 1
        assert not Pejabat.objects.filter(user=demo).exists()
        assert Pejabat.objects.get(user=jabar).nip == "197003152000031077"
    assert User.objects.get(pk=jabar.pk).nip == "197003152000031077"
    assert "ppk.jabar: NIP 197003152000031077 (pkcs12)" in out


def test_two_processes_starting_on_a_fresh_data_dir_share_one_development_ca(tmp_path, monkeypatch):
    """Two ``make run`` on a fresh .data/ at once: both found no CA, both made one and wrote their
    files over each other's, so one of them issued certificates under an intermediate the root on
    disk did not sign. The second now waits for the first and loads its CA."""
    import contextlib
    import threading

    from apps.ttd.ca_uji import CAUji

    asli = CAUji.buat.__func__
    bersama = threading.Barrier(2, timeout=3)

    def buat(cls, *a, **kw):
        ca = asli(cls, *a, **kw)
        # Both made one before either wrote (without the lock); with it, the other one waits.
        with contextlib.suppress(threading.BrokenBarrierError):
            bersama.wait()
        return ca

    monkeypatch.setattr(CAUji, "buat", classmethod(buat))
    hasil = []
    threads = [
        threading.Thread(target=lambda: hasil.append(CAUji.muat_atau_buat(tmp_path / "ttd-uji"))) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    disk = CAUji.muat_atau_buat(tmp_path / "ttd-uji")
    assert [ca.intermediate.sidik_jari for ca in hasil] == [disk.intermediate.sidik_jari] * 2
    assert disk.intermediate.cert.issuer == disk.root.cert.subject
    disk.intermediate.cert.verify_directly_issued_by(disk.root.cert)


def test_the_fake_bsre_signs_with_the_certificate_whose_fingerprint_is_registered(instansi_a, settings, tmp_path):
    """Fresh-eye walk of issue 17 ("the dev fingerprint mismatch"): ``ttd_demo`` registered a BSrE
    official with the fingerprint of a certificate it made, while ``ttd_layanan_uji`` gave the fake
    BSrE another one, new at each start. The officials page showed a fingerprint that never signed.
    Both now use the certificate kept in the development folder, also after a restart."""
    from apps.ttd.ca_uji import CAUji
    from apps.ttd.management.commands.ttd_layanan_uji import muat_pejabat_bsre

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    UserFactory(username="ppk.bandung", instansi=instansi_a, roles=["ppk"], nama_lengkap="Rina Marlina", nip="")
    call_command("ttd_demo")
    with all_tenants():
        p = Pejabat.objects.get(user__username="ppk.bandung")
    assert p.backend == "bsre" and p.sidik_jari

    class Rekam:  # the fake BSrE's register, as ttd_layanan_uji fills it at each start
        def __init__(self):
            self.pengguna = {}

        def daftar(self, nik, identitas, passphrase, *, jabatan=""):
            self.pengguna[nik] = identitas

    for _mulai in range(2):  # make run, then make run again
        bsre = Rekam()
        muat_pejabat_bsre(bsre, CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR), settings.SIAKS_TTD_DEV_DIR)
        assert bsre.pengguna[p.nik].sidik_jari == p.sidik_jari
        assert bsre.pengguna[p.nik].cert.subject.rfc4514_string().count("Rina Marlina") == 1
