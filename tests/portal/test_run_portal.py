"""``run_portal`` (issue 18, item 10): a dead child is restarted with backoff and logged; the
other children go on untouched."""

from __future__ import annotations

import io
import os
import signal
import sys
import time

from apps.portal.management.commands.run_portal import Pengawas


def test_a_dead_child_is_restarted_with_backoff_and_the_others_go_on():
    lines: list[str] = []
    pengawas = Pengawas(
        {
            "web": [sys.executable, "-c", "import time; time.sleep(60)"],
            "relay": [sys.executable, "-c", "import time, sys; time.sleep(0.3); sys.exit(3)"],
        },
        log=lines.append,
    )
    pengawas.mulai()
    try:
        web_pid = pengawas.procs["web"].pid
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pengawas.periksa()
            time.sleep(0.05)
        # died at ~0.3 s, restarted after 1 s; died again, restarted after 2 s; died again: waits 4 s
        assert pengawas.restarts["relay"] == 2
        assert "proses relay berhenti (kode 3); dimulai ulang dalam 1 detik" in lines
        assert "proses relay berhenti (kode 3); dimulai ulang dalam 2 detik" in lines
        assert any(line.startswith("proses relay dimulai ulang (pid ") for line in lines)
        assert pengawas.procs["web"].pid == web_pid and pengawas.procs["web"].poll() is None

        os.kill(web_pid, signal.SIGKILL)  # a child killed from outside
        deadline = time.monotonic() + 5
        while pengawas.restarts["web"] == 0:
            assert time.monotonic() < deadline, "web was not restarted"
            pengawas.periksa()
            time.sleep(0.05)
        assert f"proses web berhenti (kode {-signal.SIGKILL}); dimulai ulang dalam 1 detik" in lines
        assert pengawas.procs["web"].pid != web_pid and pengawas.procs["web"].poll() is None
    finally:
        pengawas.hentikan()
    assert all(proc.poll() is not None for proc in pengawas.procs.values())


def test_the_addrport_sets_the_site_url_unless_the_operator_did():
    """QR codes and e-mails follow ``run_portal --addrport`` (issue 14, item 8)."""
    from apps.portal.management.commands.run_portal import atur_site_url

    env = {}
    assert atur_site_url("127.0.0.1:8123", env) == "http://127.0.0.1:8123"
    assert env["SIAKS_SITE_URL"] == "http://127.0.0.1:8123"  # inherited by runserver, worker, relay
    assert atur_site_url("0.0.0.0:9000", {}) == "http://127.0.0.1:9000"
    assert atur_site_url("8001", {}) == "http://127.0.0.1:8001"
    env = {"SIAKS_SITE_URL": "https://siaks.example.go.id"}
    assert atur_site_url("127.0.0.1:8123", env) == "https://siaks.example.go.id"
    assert env["SIAKS_SITE_URL"] == "https://siaks.example.go.id"


def test_a_second_portal_gets_its_own_tsa_and_bsre_ports_and_a_taken_port_is_not_a_crash_loop(tmp_path, settings):
    """Issue 17: the development TSA and fake BSrE of ``run_portal`` were fixed on 8781/8782; a
    second portal on the machine crash-looped on "Address already in use" while its settings
    pointed at the other instance's servers (and CA)."""
    import socket

    import pytest
    from django.core.management import call_command

    from apps.portal.management.commands.run_portal import KELUAR_JANGAN_ULANG, port_ttd_uji

    with socket.socket() as dipakai:  # the first portal's TSA holds "the default" port
        dipakai.bind(("127.0.0.1", 0))
        dipakai.listen()
        port = dipakai.getsockname()[1]
        env: dict[str, str] = {}
        tsa, bsre, soket = port_ttd_uji(env, bawaan=(port, port + 1))
        for sock in soket:
            sock.close()
        assert port not in (tsa, bsre) and tsa != bsre
        # The children (web server, worker) inherit the URLs of this instance's servers.
        assert env == {
            "SIAKS_TTD_TSA_URL": f"http://127.0.0.1:{tsa}/tsa",
            "SIAKS_TTD_BSRE_URL": f"http://127.0.0.1:{bsre}",
        }
        # The operator's own URLs are kept, and their ports used.
        env = {"SIAKS_TTD_TSA_URL": "http://127.0.0.1:9781/tsa", "SIAKS_TTD_BSRE_URL": "http://127.0.0.1:9782"}
        assert port_ttd_uji(env, bawaan=(port, port + 1)) == (9781, 9782, [])
        assert env["SIAKS_TTD_TSA_URL"] == "http://127.0.0.1:9781/tsa"

        # The services started on a taken port: one clear line and the exit code not restarted.
        settings.DEBUG = True
        err = io.StringIO()
        with pytest.raises(SystemExit) as keluar:
            call_command("ttd_layanan_uji", "--dir", str(tmp_path), "--tsa-port", str(port), stderr=err)
        assert keluar.value.code == KELUAR_JANGAN_ULANG
        assert f"port {port} (TSA)" in err.getvalue() and "sudah dipakai proses lain" in err.getvalue()

    lines: list[str] = []
    pengawas = Pengawas(
        {"ttd": [sys.executable, "-c", f"import sys; sys.exit({KELUAR_JANGAN_ULANG})"]}, log=lines.append
    )
    pengawas.mulai()
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            pengawas.periksa()
            time.sleep(0.05)
    finally:
        pengawas.hentikan()
    assert pengawas.restarts["ttd"] == 0 and "ttd" not in pengawas.procs
    assert lines == [
        f"proses ttd berhenti (kode {KELUAR_JANGAN_ULANG}): tidak dapat berjalan dengan konfigurasi ini "
        "(lihat pesannya di atas); tidak dimulai ulang, proses lain tetap berjalan"
    ]


def _dua_port_bebas() -> tuple[int, int]:
    import socket

    socks = [socket.socket() for _ in range(2)]
    for sock in socks:
        sock.bind(("127.0.0.1", 0))
    ports = tuple(sock.getsockname()[1] for sock in socks)
    for sock in socks:
        sock.close()
    return ports


def test_two_portals_starting_in_the_same_second_each_get_their_own_tsa_and_bsre(ca):
    """Issue 17 fresh-eye walk: the port choice only checked that 8781/8782 were free, so two
    portals started together both chose them and the second signed against the first's servers
    (and CA). The ports are now bound by the portal when chosen and the listening sockets handed
    to its ``ttd_layanan_uji`` child: the second portal, whose bind fails, takes other ports."""
    import socket

    import pytest
    import requests

    from apps.portal.management.commands.run_portal import port_ttd_uji
    from apps.ttd.bsre_uji import BSrEUji
    from apps.ttd.tsa_uji import TSAUji

    bawaan = _dua_port_bebas()
    env1: dict[str, str] = {}
    env2: dict[str, str] = {}
    # Both choose before either child serves (the race): the first holds the default ports.
    tsa1, bsre1, soket1 = port_ttd_uji(env1, bawaan=bawaan)
    tsa2, bsre2, soket2 = port_ttd_uji(env2, bawaan=bawaan)
    try:
        assert (tsa1, bsre1) == bawaan
        assert {tsa2, bsre2}.isdisjoint({tsa1, bsre1}) and tsa2 != bsre2
        assert env2 == {
            "SIAKS_TTD_TSA_URL": f"http://127.0.0.1:{tsa2}/tsa",
            "SIAKS_TTD_BSRE_URL": f"http://127.0.0.1:{bsre2}",
        }
        # Nobody else can take a chosen port meanwhile.
        with socket.socket() as lain, pytest.raises(OSError):
            lain.bind(("127.0.0.1", tsa1))
        # The servers serve on the very sockets handed over, at the URLs the portal's children use.
        tsa = TSAUji(ca, soket=soket2[0]).start()
        bsre = BSrEUji(ca, tsa.url, soket=soket2[1]).start()
        try:
            assert tsa.url == env2["SIAKS_TTD_TSA_URL"] and bsre.url == env2["SIAKS_TTD_BSRE_URL"]
            jawab = requests.post(bsre.url + "/api/v2/user/check/status", json={"nik": "3273011205680002"}, timeout=5)
            assert jawab.status_code == 404 and jawab.json()["status"] == "NOT_REGISTERED"  # the fake BSrE answers
        finally:
            tsa.stop()
            bsre.stop()
    finally:
        for sock in (*soket1, *soket2):
            sock.close()


def test_the_ttd_child_inherits_the_listening_socket_across_restarts():
    """Pengawas hands the bound sockets to the child (``pass_fds``), and to each restart."""
    import socket

    from apps.portal.management.commands.run_portal import port_ttd_uji

    env: dict[str, str] = {}
    _tsa, _bsre, soket = port_ttd_uji(env, bawaan=_dua_port_bebas())
    fd = soket[0].fileno()
    anak = (
        "import socket, sys; s = socket.socket(fileno=int(sys.argv[1])); c, _ = s.accept(); "
        "c.sendall(b'dari anak'); c.close()"
    )
    pengawas = Pengawas({"ttd": [sys.executable, "-c", anak, str(fd)]}, log=lambda _l: None, pass_fds={"ttd": (fd,)})
    pengawas.mulai()
    try:
        for _ in range(2):  # the child answers once and exits; its restart serves on the same socket
            with socket.create_connection(soket[0].getsockname()[:2], timeout=10) as conn:
                assert conn.recv(64) == b"dari anak"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and pengawas.restarts["ttd"] == 0:
                pengawas.periksa()
                time.sleep(0.05)
    finally:
        pengawas.hentikan()
        for sock in soket:
            sock.close()
