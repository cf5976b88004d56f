"""Development only: a test CA, a local TSA and a fake BSrE server on loopback, with the trust
roots written to ``--dir``; prints the environment to point the portal at them. Never in
production (the real TSA, BSrE and the Root CA Indonesia are configuration)."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

#: run_portal does not restart a child that exits with this (apps/portal run_portal.KELUAR_JANGAN_ULANG).
KELUAR_JANGAN_ULANG = 78


class Command(BaseCommand):
    help = "Jalankan CA uji, TSA lokal dan BSrE tiruan di loopback (hanya pengembangan)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="", help="tempat menulis akar tepercaya dan PKCS#12 uji")
        parser.add_argument("--tsa-port", type=int, default=None, help="bawaan: port SIAKS_TTD_TSA_URL, atau 8781")
        parser.add_argument("--bsre-port", type=int, default=None, help="bawaan: port SIAKS_TTD_BSRE_URL, atau 8782")
        # run_portal binds the two ports itself and hands the listening sockets over (inherited
        # file descriptors): choosing a port and serving on it is then one step no other portal
        # can come between.
        parser.add_argument("--tsa-fd", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--bsre-fd", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, **o):
        if not settings.DEBUG:
            raise CommandError("Hanya untuk pengembangan (DEBUG).")
        from apps.ttd.bsre_uji import BSrEUji
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.tsa_uji import TSAUji

        # By default where the settings point (the portal signs against these very servers).
        tsa_port = o["tsa_port"] or urlsplit(settings.SIAKS_TTD_TSA_URL or "").port or 8781
        bsre_port = o["bsre_port"] or urlsplit(settings.SIAKS_TTD_BSRE_URL or "").port or 8782
        folder = Path(o["dir"] or settings.SIAKS_TTD_DEV_DIR)
        ca = CAUji.muat_atau_buat(folder)
        soket_tsa = socket.socket(fileno=o["tsa_fd"]) if o["tsa_fd"] is not None else None
        soket_bsre = socket.socket(fileno=o["bsre_fd"]) if o["bsre_fd"] is not None else None
        try:
            tsa = TSAUji(ca, port=tsa_port, soket=soket_tsa).start()
            try:
                # Bound (connections wait in the backlog) but not answering until it knows the
                # officials below: a restarted fake answered "not registered" meanwhile (F3).
                bsre = BSrEUji(ca, tsa.url, port=bsre_port, soket=soket_bsre)
            except OSError:
                tsa.stop()
                raise
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            # Another process (often another portal on this machine) holds the port: say so once
            # and exit with the code run_portal does not restart (no crash loop).
            self.stderr.write(
                f"Layanan TTE uji tidak dijalankan: port {tsa_port} (TSA) atau {bsre_port} (BSrE tiruan) sudah dipakai "
                "proses lain, mungkin portal SIAKS lain di mesin ini. Jalankan dengan --tsa-port/--bsre-port lain dan "
                "set SIAKS_TTD_TSA_URL/SIAKS_TTD_BSRE_URL ke port itu (run_portal memilihnya sendiri; lihat README)."
            )
            sys.exit(KELUAR_JANGAN_ULANG)
        # Demo officials on the bsre backend: the fake BSrE knows them, passphrase "siaks-bsre".
        from django.db import DatabaseError

        try:
            muat_pejabat_bsre(bsre, ca, folder)
        except DatabaseError as exc:  # no migrated database yet: the TSA still serves
            self.stderr.write(f"Pejabat BSrE demo tidak dimuat: {exc}")
        # run_portal starts these servers before ttd_demo registers the demo officials (so that
        # ttd_demo signs with this instance's TSA): an official registered since is learnt when
        # first asked for, as a restart would.
        bsre.pemuat = lambda: muat_ulang_pejabat_bsre(bsre, ca, folder)
        bsre.start()
        self.stdout.write(f"SIAKS_TTD_TSA_URL={tsa.url}")
        self.stdout.write(f"SIAKS_TTD_BSRE_URL={bsre.url}")
        self.stdout.write(f"SIAKS_TTD_TRUST_ROOTS={folder / 'root.pem'}")
        self.stdout.write(f"SIAKS_TTD_INTERMEDIATES={folder / 'intermediate.pem'}")
        self.stdout.write("Ctrl-C untuk berhenti.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            tsa.stop()
            bsre.stop()


def muat_pejabat_bsre(bsre, ca, folder, *, hanya_baru: bool = False) -> None:
    """The fake BSrE learns the registered officials on the bsre backend, each with the very
    certificate ``ttd_demo`` registered for them (``CAUji.pejabat_tersimpan``): before, it issued a
    new one at each start, so the fingerprint the officials page showed was never the one that
    signed."""
    from apps.core import tenancy
    from apps.ttd.models import Pejabat

    with tenancy.all_tenants(reason="development: the fake BSrE learns the demo officials"):
        for p in Pejabat.objects.filter(backend="bsre").exclude(nik="").select_related("instansi"):
            if hanya_baru and p.nik in bsre.pengguna:
                continue  # known already (perhaps enrolled through /uji/daftar): keeps its certificate
            ident = ca.pejabat_tersimpan(folder, p.nama, nik=p.nik, nip=p.nip, instansi=p.instansi.nama)
            bsre.daftar(p.nik, ident, "siaks-bsre", jabatan=p.jabatan)


def muat_ulang_pejabat_bsre(bsre, ca, folder) -> None:
    """:func:`muat_pejabat_bsre` of the officials it does not know yet, from a request thread of
    the fake BSrE (its own connection, closed after)."""
    from django.db import DatabaseError, connection

    try:
        muat_pejabat_bsre(bsre, ca, folder, hanya_baru=True)
    except DatabaseError:
        pass  # still unknown: the client gets "not registered"
    finally:
        connection.close()
