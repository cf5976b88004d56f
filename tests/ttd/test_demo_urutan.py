"""Issue 17, fresh-eye walk item 1 (helper i17d): ``ttd_demo --sk`` issued its SKs on a rekomendasi
nobody signed, made outside the services (which refuse an SK while its rekomendasi is unsigned).
It now goes through the portal's order and services: the sidang's berita acara signed by the
members present, the rekomendasi issued and signed by the pembina's demo official, then the SKs
issued by the PPK's ``sk_terbitkan`` — electronically where the development TSA answers, else by
the documented fallback (the wet-signed scan uploaded with its reason)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from apps.surat.models import JenisSurat, Surat, SuratUsulan, VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE, ca_dev
from tests.ttd.test_perintah import konfirmasi_ak_semua

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(referensi, instansi_a, staf, settings, tmp_path):
    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    konfirmasi_ak_semua()  # as demo_data does for make run
    return UserFactory(
        username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan", nip=""
    )


def _berlaku(surat) -> VersiSurat:
    return VersiSurat.objects.select_related("surat").get(surat=surat, diganti_at__isnull=True)


def _periksa_urutan(instansi_a, n: int) -> dict:
    """Every demo SK rests on a rekomendasi signed before it, which rests on a berita acara signed
    before that; returns how each was signed."""
    with all_tenants():
        sk = list(Surat.objects.filter(jenis=JenisSurat.SK, instansi=instansi_a).order_by("nomor_urut"))
        assert len(sk) == n and all(s.penandatangan_nip == "196805121993031002" for s in sk)
        rekomendasi = {s.rekomendasi for s in sk}
        assert len(rekomendasi) == 1 and None not in rekomendasi
        (rekomendasi,) = rekomendasi
        v_rek = _berlaku(rekomendasi)
        assert services.ditandatangani(v_rek), "the demo's SKs rest on an unsigned rekomendasi"
        ttd_rek = TandaTangan.objects.filter(versi=v_rek, status="selesai")
        assert max(t.selesai_at or t.created_at for t in ttd_rek) < min(s.created_at for s in sk)
        # The rekomendasi lists the SKs' usulan; the berita acara of their sidang is signed too.
        usulan = set(SuratUsulan.objects.filter(surat__in=sk).values_list("usulan_id", flat=True))
        assert usulan <= set(
            SuratUsulan.objects.filter(surat=rekomendasi, direkomendasikan=True).values_list("usulan_id", flat=True)
        )
        (ba,) = Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA, baris__usulan__in=usulan).distinct()
        v_ba = _berlaku(ba)
        assert services.ditandatangani(v_ba)
        assert (
            max(t.selesai_at or t.created_at for t in TandaTangan.objects.filter(versi=v_ba)) < rekomendasi.created_at
        )
        # The SKs wait for the PPK's signature (rendered by the worker).
        assert all(not services.ditandatangani(s.versi_set.get()) for s in sk)
        return {
            "ba": sorted(TandaTangan.objects.filter(versi=v_ba).values_list("cara", flat=True)),
            "rekomendasi": list(ttd_rek.values_list("cara", "pejabat__user__username")),
        }


def test_the_demo_signs_the_berita_acara_and_the_rekomendasi_before_issuing_the_sks(demo, instansi_a):
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    cara = _periksa_urutan(instansi_a, 2)
    # Electronically, by the three members present and by the pembina's demo official.
    assert cara["ba"] == ["elektronik", "elektronik", "elektronik"]
    assert cara["rekomendasi"] == [("elektronik", "admin.kemnaker")]


def test_without_the_tsa_the_demo_uploads_the_wet_signed_scans_with_the_reason(demo, instansi_a, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{s.getsockname()[1]}/"
    call_command("ttd_demo", sk=1, pejabat="ppk.kemenhub")
    cara = _periksa_urutan(instansi_a, 1)
    assert cara["ba"] == ["manual"] and [c for c, _u in cara["rekomendasi"]] == ["manual"]
    with all_tenants():
        assert all(
            "layanan cap waktu (TSA) pengembangan tidak berjalan" in t.alasan_manual
            for t in TandaTangan.objects.filter(cara="manual")
        )


# Issue 17, second fresh-eye walk item 1 (helper i17g): on a running ``make run`` portal the command
# failed with "Salinan bertanda tangan versi ini sudah ada" and each run left a new berita acara
# half signed ("Ditandatangani 1 dari 3") and no SK: a member's signature went its own way (the
# portal's relay and worker) while the command uploaded the fallback over it. The issuance is now
# one transaction (invisible to a running worker until done), so a refusal leaves nothing behind
# and a rerun works.


def _demo_surat(instansi_a) -> dict:
    from apps.pengusulan.models import Pegawai

    with all_tenants():
        ba = list(Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA, baris__usulan__instansi=instansi_a).distinct())
        return {
            "sk": Surat.objects.filter(jenis=JenisSurat.SK, instansi=instansi_a).count(),
            "ba": len(ba),
            "ba_tidak_lengkap": [b.nomor for b in ba if not services.ditandatangani(_berlaku(b))],
            "rekomendasi": Surat.objects.filter(jenis=JenisSurat.REKOMENDASI, instansi=instansi_a).count(),
            "pegawai": Pegawai.objects.filter(instansi=instansi_a, nama__startswith="Pegawai Demo ").count(),
        }


def test_a_signature_failing_midway_leaves_no_half_signed_berita_acara_and_a_rerun_works(demo, instansi_a, monkeypatch):
    from django.core.management.base import CommandError

    from apps.ttd import tasks
    from apps.ttd.penanda import TtdError

    asli = tasks.tandatangani_satu
    panggilan = []

    def kedua_gagal(ttd_id, **kw):  # the second member's signature fails (as when a worker took it)
        panggilan.append(ttd_id)
        if len(panggilan) == 2:
            raise TtdError("Tanda tangan gagal (uji).")
        return asli(ttd_id, **kw)

    monkeypatch.setattr(tasks, "tandatangani_satu", kedua_gagal)
    with pytest.raises(CommandError, match="SK demo tidak diterbitkan: Salinan bertanda tangan versi ini sudah ada"):
        call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    assert len(panggilan) == 2
    # Nothing of the refused run is left: no berita acara signed 1 of 3, no pegawai, no letter.
    assert _demo_surat(instansi_a) == {"sk": 0, "ba": 0, "ba_tidak_lengkap": [], "rekomendasi": 0, "pegawai": 0}
    with all_tenants():
        assert not TandaTangan.objects.exists()

    monkeypatch.setattr(tasks, "tandatangani_satu", asli)
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    _periksa_urutan(instansi_a, 2)
    assert _demo_surat(instansi_a) == {"sk": 2, "ba": 1, "ba_tidak_lengkap": [], "rekomendasi": 1, "pegawai": 2}


@pytest.mark.parametrize("layanan_tsa", ["jalan", "mati"])
def test_the_demo_runs_twice(demo, instansi_a, settings, layanan_tsa):
    if layanan_tsa == "mati":
        import socket

        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{s.getsockname()[1]}/"
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    assert _demo_surat(instansi_a) == {"sk": 4, "ba": 2, "ba_tidak_lengkap": [], "rekomendasi": 2, "pegawai": 4}
    with all_tenants():
        assert set(TandaTangan.objects.values_list("cara", flat=True)) == {
            "elektronik" if layanan_tsa == "jalan" else "manual"
        }


def test_site_url_noted_by_run_portal_round_trips(monkeypatch, tmp_path):
    from siaks import embedded

    monkeypatch.setenv("SIAKS_DATA_DIR", str(tmp_path))
    assert embedded.site_url_portal() == ""
    embedded.catat_site_url("http://127.0.0.1:8123")
    assert embedded.site_url_portal() == "http://127.0.0.1:8123"


def test_the_demo_letters_link_to_the_port_the_portal_runs_on(demo, instansi_a, settings, monkeypatch):
    """Issue 17 (helper i17j): with the portal on port 8123 (``run_portal --addrport`` noted it),
    the berita acara and rekomendasi ``ttd_demo --sk`` renders in its own process link to 8123 in
    their footers and QR codes, as the SKs the portal's worker renders do — not to 8000."""
    import subprocess

    from siaks import embedded

    monkeypatch.delenv("SIAKS_SITE_URL", raising=False)
    monkeypatch.setattr(embedded, "site_url_portal", lambda: "http://127.0.0.1:8123")
    settings.SITE_URL = "http://127.0.0.1:8000"  # this process's default
    call_command("ttd_demo", sk=1, pejabat="ppk.kemenhub")
    with all_tenants():
        (sk,) = Surat.objects.filter(jenis=JenisSurat.SK, instansi=instansi_a)
        usulan = SuratUsulan.objects.filter(surat=sk).values_list("usulan_id", flat=True)
        ba = Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA, baris__usulan__in=usulan).distinct().get()
        for surat in (sk.rekomendasi, ba):
            with _berlaku(surat).berkas.open("rb") as fh:
                teks = subprocess.run(["pdftotext", "-", "-"], input=fh.read(), capture_output=True, check=True).stdout
            assert b"127.0.0.1:8123" in teks, surat.jenis
            assert b"127.0.0.1:8000" not in teks, surat.jenis
    assert settings.SITE_URL == "http://127.0.0.1:8000"  # the command's setting does not outlive it


# Issue 17 (helper h17): ``run_portal`` ran ``ttd_demo`` before choosing the ports of its own
# development TSA and fake BSrE and writing .data/ttd-uji-alamat.json, so on a machine running a
# second portal ttd_demo signed with the settings' TSA (8781: the other instance's, another CA).


def _menjawab(url: str) -> bool:
    """An HTTP answer (any status) from ``url`` within 2 s."""
    import requests

    try:
        requests.post(url, json={}, timeout=2)
    except requests.RequestException:
        return False
    return True


def test_run_portal_runs_ttd_demo_only_once_its_own_tsa_and_bsre_answer(ca, settings, monkeypatch, tmp_path):
    import json
    import os
    import socket
    import threading
    import time

    from django.core.management import call_command as jalankan_perintah

    from apps.portal.management.commands import run_portal as rp
    from apps.ttd.bsre_uji import BSrEUji
    from apps.ttd.tsa_uji import TSAUji

    # The first portal on the machine holds the default ports, and serves there.
    lain = [socket.socket(), socket.socket()]
    for sock in lain:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
    port_lain = tuple(sock.getsockname()[1] for sock in lain)
    monkeypatch.setattr(rp, "PORT_TTD_BAWAAN", port_lain)
    for nama in ("SIAKS_TTD_TSA_URL", "SIAKS_TTD_BSRE_URL", "SIAKS_SITE_URL"):
        monkeypatch.setenv(nama, "")  # restored (unset) after the test, whatever run_portal writes
        monkeypatch.delenv(nama)
    monkeypatch.setenv("SIAKS_DATA_DIR", str(tmp_path))
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    # What settings/dev.py gives a checkout with no address file yet: the default ports.
    settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{port_lain[0]}/tsa"
    settings.SIAKS_TTD_BSRE_URL = f"http://127.0.0.1:{port_lain[1]}"

    kejadian: list = []
    server: list = []

    class Anak:
        def __init__(self):
            self.returncode = None
            self.pid = 0

        def poll(self):
            return self.returncode

    def mulai_anak(self, name):
        kejadian.append(("mulai", name))
        self.procs[name] = Anak()
        self.started[name] = time.monotonic()
        if name == "ttd":  # ttd_layanan_uji serving on the sockets handed over, after its start-up
            fds = self.pass_fds["ttd"]

            def layani():
                time.sleep(0.5)
                tsa = TSAUji(ca, soket=socket.socket(fileno=os.dup(fds[0]))).start()
                server.extend([tsa, BSrEUji(ca, tsa.url, soket=socket.socket(fileno=os.dup(fds[1]))).start()])

            threading.Thread(target=layani, daemon=True).start()

    def perintah(name, *args, **kwargs):
        if name == "ttd_demo":
            alamat = tmp_path / rp.ALAMAT_TTD
            kejadian.append(("ttd_demo", {
                "tsa": settings.SIAKS_TTD_TSA_URL, "bsre": settings.SIAKS_TTD_BSRE_URL,
                "alamat": json.loads(alamat.read_text()) if alamat.exists() else None,
                "menjawab": [_menjawab(settings.SIAKS_TTD_TSA_URL),
                             _menjawab(settings.SIAKS_TTD_BSRE_URL + "/api/v2/user/check/status")],
            }))  # fmt: skip

    monkeypatch.setattr(rp, "call_command", perintah)
    monkeypatch.setattr(rp.Pengawas, "_start", mulai_anak)
    monkeypatch.setattr(rp.Pengawas, "awasi", lambda self, **kw: None)
    monkeypatch.setattr(rp.Pengawas, "hentikan", lambda self: [s.stop() for s in server])
    monkeypatch.setattr(rp.signal, "signal", lambda *a: None)
    try:
        jalankan_perintah("run_portal", addrport="127.0.0.1:8123", keep_servers=True, stdout=io.StringIO())
    finally:
        for sock in lain:
            sock.close()

    urutan = [k[0] if k[0] == "ttd_demo" else k[1] for k in kejadian]
    assert urutan.index("ttd") < urutan.index("ttd_demo") < urutan.index("web"), urutan
    (demo,) = [info for k, info in kejadian if k == "ttd_demo"]
    tsa_port = int(demo["tsa"].rsplit(":", 1)[1].split("/")[0])
    bsre_port = int(demo["bsre"].rsplit(":", 1)[1])
    # ttd_demo signs with this instance's TSA and fake BSrE, which answer, as the address file says.
    assert {tsa_port, bsre_port}.isdisjoint(port_lain)
    assert demo["alamat"] == {"tsa": demo["tsa"], "bsre": demo["bsre"]}
    assert demo["menjawab"] == [True, True]
    assert not (tmp_path / rp.ALAMAT_TTD).exists()  # removed on stop


def test_the_fake_bsre_learns_an_official_registered_after_it_started(ca, tsa):
    """run_portal now starts ttd_layanan_uji before ttd_demo registers the demo officials: the fake
    BSrE asks its loader (the database, in ttd_layanan_uji) about a NIK it does not know."""
    import requests

    from apps.ttd.bsre_uji import BSrEUji

    nik = "3273016006750002"
    dimuat = []

    with BSrEUji(ca, tsa.url) as bsre:
        cek = bsre.url + "/api/v2/user/check/status"
        assert requests.post(cek, json={"nik": nik}, timeout=5).json()["status"] == "NOT_REGISTERED"

        def pemuat():
            dimuat.append(nik)
            bsre.daftar(nik, ca.pejabat("Pejabat Baru", nik=nik, nip="197506202001122002"), "siaks-bsre")

        bsre.pemuat = pemuat
        assert requests.post(cek, json={"nik": nik}, timeout=5).json()["status"] == "ISSUE"
        assert requests.post(cek, json={"nik": nik}, timeout=5).json()["status"] == "ISSUE"
        assert requests.post(cek, json={"nik": "3273010000000009"}, timeout=5).status_code == 404
    assert dimuat == [nik, nik]  # once for the new official, once for the NIK nobody registered


def test_the_reload_learns_only_the_officials_it_does_not_know(demo, instansi_a, settings):
    """What ttd_layanan_uji's loader does when asked about an unknown NIK: the officials on the bsre
    backend registered since the start are learnt (with the certificate kept in the development
    folder, as ttd_demo registered it); one known already keeps its own (e.g. /uji/daftar's)."""
    from apps.ttd.ca_uji import CAUji
    from apps.ttd.management.commands.ttd_layanan_uji import muat_pejabat_bsre
    from apps.ttd.models import Pejabat

    class Rekam:
        def __init__(self):
            self.pengguna = {"3273010000000009": "dikenal"}

        def daftar(self, nik, identitas, passphrase, *, jabatan=""):
            self.pengguna[nik] = identitas

    bsre = Rekam()
    with all_tenants():
        for nama, nip, nik in (("Pejabat Lama", "197506202001122001", "3273010000000009"),
                               ("Pejabat Baru", "197506202001122009", "3273016006750009")):  # fmt: skip
            Pejabat.objects.create(instansi=instansi_a, nama=nama, nip=nip, nik=nik, jabatan="Sekretaris",
                                   backend="bsre", aktif=True)  # fmt: skip
    muat_pejabat_bsre(bsre, CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR), settings.SIAKS_TTD_DEV_DIR,
                      hanya_baru=True)  # fmt: skip
    assert bsre.pengguna["3273010000000009"] == "dikenal"
    assert bsre.pengguna["3273016006750009"].cert.subject.rfc4514_string().count("Pejabat Baru") == 1
