"""``make run``: migrate, load demo data, then run the portal with its background processes.

Starts ``runserver`` on 127.0.0.1:8000, a Celery worker, Celery beat and the outbox relay; a child
that dies is restarted with backoff (:class:`Pengawas`) and the others go on. Ctrl-C stops them
all and then the embedded PostgreSQL and Redis (unless --keep-servers)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from siaks import embedded

logger = logging.getLogger("siaks.run_portal")


class Command(BaseCommand):
    help = "Run the portal with demo data, Celery worker and beat, and the outbox relay."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--keep-servers", action="store_true")
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, addrport, keep_servers, no_demo, **options):
        # QR codes and e-mails point at the address the portal really listens on, unless the
        # operator set the public URL (SIAKS_SITE_URL) themselves. The children inherit it.
        settings.SITE_URL = atur_site_url(addrport, os.environ)
        embedded.catat_site_url(settings.SITE_URL)  # for ttd_demo --sk run beside the portal
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrasi basis data selesai.")
        if _has_command("load_referensi"):
            call_command("load_referensi", verbosity=0)
        if not no_demo:
            call_command("demo_data", print_logins=settings.DEBUG)
        python = sys.executable
        data = embedded.data_dir()
        data.mkdir(parents=True, exist_ok=True)
        celery = [python, "-m", "celery", "-A", "siaks"]
        commands = {
            "web": [python, "manage.py", "runserver", addrport, "--noreload"],
            "worker": [*celery, "worker", "-l", "INFO", "-c", "2", "-Q", "default,pdf,mail,ttd"],
            "beat": [*celery, "beat", "-l", "INFO", "-s", str(data / "celerybeat-schedule")],
            "relay": [python, "manage.py", "outbox_relay"],
        }
        fds: dict[str, tuple[int, ...]] = {}
        layanan_ttd: list[str] = []
        if settings.DEBUG and _has_command("ttd_layanan_uji"):
            # Development CA, RFC 3161 TSA and fake BSrE on loopback, on ports of this instance:
            # ttd_demo below, the web server and the worker (children, which inherit the
            # environment) sign against them, not against another portal's on the machine.
            tsa_port, bsre_port, soket = port_ttd_uji(os.environ)
            settings.SIAKS_TTD_TSA_URL = os.environ["SIAKS_TTD_TSA_URL"]
            settings.SIAKS_TTD_BSRE_URL = os.environ["SIAKS_TTD_BSRE_URL"]
            self.stdout.write(f"TSA uji di port {tsa_port}, BSrE tiruan di port {bsre_port}.")
            tulis_alamat_ttd(data, os.environ)  # for manage.py commands of this checkout (settings/dev.py)
            commands["ttd"] = [
                python, "manage.py", "ttd_layanan_uji", "--tsa-port", str(tsa_port), "--bsre-port", str(bsre_port),
            ]  # fmt: skip
            if soket:  # this process holds the ports; the child (and each restart) serves on them
                commands["ttd"] += ["--tsa-fd", str(soket[0].fileno()), "--bsre-fd", str(soket[1].fileno())]
                fds["ttd"] = tuple(sock.fileno() for sock in soket)
            layanan_ttd = [settings.SIAKS_TTD_TSA_URL, settings.SIAKS_TTD_BSRE_URL + BSRE_CEK]
        pengawas = Pengawas(commands, log=logger.warning, pass_fds=fds)
        try:
            if layanan_ttd:
                # The TSA and fake BSrE first, answering, then ttd_demo, which signs with them: it
                # ran before the ports were chosen, with the TSA the settings named then (8781 — on
                # a machine running a second portal, the other instance's, whose CA does not
                # validate here).
                pengawas.mulai("ttd")
                if not tunggu_layanan(layanan_ttd, hidup=lambda: pengawas.hidup("ttd")):
                    self.stderr.write(
                        "TSA uji atau BSrE tiruan belum menjawab; tanda tangan elektronik demo baru dapat dibuat "
                        "setelah keduanya berjalan (lihat pesan proses ttd di atas)."
                    )
            if not no_demo and settings.DEBUG and _has_command("ttd_demo"):
                call_command("ttd_demo")  # the demo officials sign with the development CA
            pengawas.mulai()
            self.stdout.write(self.style.SUCCESS(f"\nSIAKS berjalan di http://{addrport}/  (Ctrl-C untuk berhenti)"))

            def _stop(*_):
                pengawas.berhenti = True

            signal.signal(signal.SIGINT, _stop)
            signal.signal(signal.SIGTERM, _stop)
            pengawas.awasi()
        finally:
            pengawas.hentikan()
            (data / ALAMAT_TTD).unlink(missing_ok=True)
            if not keep_servers:
                if settings.EMBEDDED_POSTGRES:
                    embedded.stop_postgres()
                if settings.EMBEDDED_REDIS:
                    embedded.stop_redis()
                self.stdout.write("PostgreSQL dan Redis bawaan dihentikan.")


def site_url_dari(addrport: str) -> str:
    """``0.0.0.0:9000`` → ``http://127.0.0.1:9000``; ``8001`` → ``http://127.0.0.1:8001``."""
    host, _sep, port = addrport.rpartition(":")
    if not host:
        host, port = "127.0.0.1", addrport
    if host in ("0.0.0.0", "[::]", "::"):  # noqa: S104 — a comparison, not a bind
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def atur_site_url(addrport: str, environ) -> str:
    """The site URL to use: SIAKS_SITE_URL when set, else the one of ``--addrport`` (written into
    ``environ`` so the web server, the worker and the relay use it too)."""
    if environ.get("SIAKS_SITE_URL"):
        return environ["SIAKS_SITE_URL"]
    environ["SIAKS_SITE_URL"] = site_url_dari(addrport)
    return environ["SIAKS_SITE_URL"]


#: The development TSA and fake BSrE ports of a portal on the default port (8000).
PORT_TTD_BAWAAN = (8781, 8782)
#: A child's exit code meaning "cannot run as configured (e.g. its port is taken)": logged and
#: not restarted (restarting would only repeat the failure every few seconds).
KELUAR_JANGAN_ULANG = 78  # EX_CONFIG


def _ikat(port: int):
    """A socket bound to 127.0.0.1:``port`` (0: one the system picks) and listening, to be
    inherited by the child that serves on it; None when the port is taken."""
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        return None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


#: Under the data folder: the TSA and fake BSrE URLs of the running portal, which
#: siaks/settings/dev.py reads when SIAKS_TTD_TSA_URL / SIAKS_TTD_BSRE_URL are not set.
ALAMAT_TTD = "ttd-uji-alamat.json"


def tulis_alamat_ttd(data, environ) -> None:
    import json

    berkas = data / ALAMAT_TTD
    berkas.write_text(json.dumps({"tsa": environ["SIAKS_TTD_TSA_URL"], "bsre": environ["SIAKS_TTD_BSRE_URL"]}))


def port_ttd_uji(environ, *, bawaan: tuple[int, int] | None = None) -> tuple[int, int, list]:
    """The ports of the development TSA and fake BSrE of this portal instance, with
    ``SIAKS_TTD_TSA_URL`` / ``SIAKS_TTD_BSRE_URL`` in ``environ`` pointing at them, and the
    listening sockets (empty for the operator's URLs) that ``ttd_layanan_uji`` serves on:

    * the operator's, when they set both URLs (their ports are used);
    * else 8781/8782 when this process can bind both;
    * else two ports the system picks (a second portal on the machine).

    The ports are bound here, not merely found free: two portals starting in the same second
    cannot both take 8781/8782 (the second one's bind fails and it takes others), and no other
    process can take them between this choice and the child serving on them."""
    from urllib.parse import urlsplit

    bawaan = bawaan or PORT_TTD_BAWAAN
    tsa_url, bsre_url = environ.get("SIAKS_TTD_TSA_URL", ""), environ.get("SIAKS_TTD_BSRE_URL", "")
    if tsa_url and bsre_url:
        return urlsplit(tsa_url).port or bawaan[0], urlsplit(bsre_url).port or bawaan[1], []
    soket = [_ikat(bawaan[0]), _ikat(bawaan[1])]
    if None in soket:
        for sock in soket:
            if sock is not None:
                sock.close()
        soket = [_ikat(0), _ikat(0)]
    tsa, bsre = (sock.getsockname()[1] for sock in soket)
    environ["SIAKS_TTD_TSA_URL"] = f"http://127.0.0.1:{tsa}/tsa"
    environ["SIAKS_TTD_BSRE_URL"] = f"http://127.0.0.1:{bsre}"
    return tsa, bsre, soket


#: The fake BSrE's status call (any answer means it serves: it answers only once it knows the
#: demo officials, ``ttd_layanan_uji``).
BSRE_CEK = "/api/v2/user/check/status"


def _menjawab(url: str) -> bool:
    """Does ``url`` give an HTTP answer (any status)? A listening socket alone is not enough:
    run_portal holds the ports itself, so connections are accepted before the child serves."""
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=2).close()  # noqa: S310 — loopback URL of our own child
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def tunggu_layanan(urls: list[str], *, hidup=lambda: True, batas: float = 90.0, jeda: float = 0.2) -> bool:
    """Wait until every URL answers (True), the process serving them died, or ``batas`` seconds
    passed (False)."""
    akhir = time.monotonic() + batas
    sisa = list(urls)
    while sisa:
        sisa = [url for url in sisa if not _menjawab(url)]
        if not sisa:
            break
        if not hidup() or time.monotonic() >= akhir:
            return False
        time.sleep(jeda)
    return True


class Pengawas:
    """Runs the child processes and restarts one that dies, with exponential backoff (1 s, 2 s,
    4 s … at most ``backoff_maks``; back to 1 s once a child has run ``stabil`` seconds), saying
    so in the log. One child's death never stops the others."""

    def __init__(self, commands: dict[str, list[str]], *, log=print, backoff_maks: float = 30.0, stabil: float = 60.0,
                 pass_fds: dict[str, tuple[int, ...]] | None = None):  # fmt: skip
        self.commands = commands
        self.pass_fds = pass_fds or {}
        self.log = log
        self.backoff_maks = backoff_maks
        self.stabil = stabil
        self.procs: dict[str, subprocess.Popen] = {}
        self.started: dict[str, float] = {}
        self.backoff: dict[str, float] = dict.fromkeys(commands, 1.0)
        self.restart_at: dict[str, float] = {}
        self.restarts: dict[str, int] = dict.fromkeys(commands, 0)
        self.berhenti = False

    def _start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen(self.commands[name], pass_fds=self.pass_fds.get(name, ()))
        self.started[name] = time.monotonic()

    def mulai(self, *names: str) -> None:
        """Start the children named (all by default) that are not started yet."""
        for name in names or self.commands:
            if name not in self.procs:
                self._start(name)

    def hidup(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def periksa(self) -> None:
        """One round: notice dead children, restart those whose backoff has passed."""
        now = time.monotonic()
        for name, proc in list(self.procs.items()):
            if name in self.restart_at:
                if now >= self.restart_at[name]:
                    del self.restart_at[name]
                    self.restarts[name] += 1
                    self._start(name)
                    self.log(f"proses {name} dimulai ulang (pid {self.procs[name].pid}, ke-{self.restarts[name]})")
                continue
            if proc.poll() is None:
                if now - self.started[name] >= self.stabil:
                    self.backoff[name] = 1.0
                continue
            if proc.returncode == KELUAR_JANGAN_ULANG:
                self.log(
                    f"proses {name} berhenti (kode {proc.returncode}): tidak dapat berjalan dengan konfigurasi ini "
                    "(lihat pesannya di atas); tidak dimulai ulang, proses lain tetap berjalan"
                )
                del self.procs[name]
                continue
            if now - self.started[name] >= self.stabil:
                self.backoff[name] = 1.0
            delay = self.backoff[name]
            self.backoff[name] = min(self.backoff_maks, delay * 2)
            self.restart_at[name] = now + delay
            self.log(f"proses {name} berhenti (kode {proc.returncode}); dimulai ulang dalam {delay:g} detik")

    def awasi(self, *, interval: float = 0.5) -> None:
        while not self.berhenti:
            self.periksa()
            time.sleep(interval)

    def hentikan(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _has_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()
