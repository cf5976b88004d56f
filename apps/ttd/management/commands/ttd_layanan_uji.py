"""Development only: a test CA, a local TSA and a fake BSrE server on loopback, with the trust
roots written to ``--dir``; prints the environment to point the portal at them. Never in
production (the real TSA, BSrE and the Root CA Indonesia are configuration)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Jalankan CA uji, TSA lokal dan BSrE tiruan di loopback (hanya pengembangan)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="", help="tempat menulis akar tepercaya dan PKCS#12 uji")
        parser.add_argument("--tsa-port", type=int, default=8781)
        parser.add_argument("--bsre-port", type=int, default=8782)

    def handle(self, *args, **o):
        if not settings.DEBUG:
            raise CommandError("Hanya untuk pengembangan (DEBUG).")
        from apps.ttd.bsre_uji import BSrEUji
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.tsa_uji import TSAUji

        folder = Path(o["dir"] or settings.SIAKS_TTD_DEV_DIR)
        ca = CAUji.muat_atau_buat(folder)
        tsa = TSAUji(ca, port=o["tsa_port"]).start()
        bsre = BSrEUji(ca, tsa.url, port=o["bsre_port"]).start()
        # Demo officials on the bsre backend: the fake BSrE knows them, passphrase "siaks-bsre".
        from django.db import DatabaseError

        from apps.core import tenancy
        from apps.ttd.models import Pejabat

        try:
            with tenancy.all_tenants(reason="development: the fake BSrE learns the demo officials"):
                for p in Pejabat.objects.filter(backend="bsre").exclude(nik=""):
                    bsre.daftar(p.nik, ca.pejabat(p.nama, nik=p.nik, nip=p.nip), "siaks-bsre")
        except DatabaseError as exc:  # no migrated database yet: the TSA still serves
            self.stderr.write(f"Pejabat BSrE demo tidak dimuat: {exc}")
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
