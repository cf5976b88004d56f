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
        if not settings.DEBUG and not getattr(settings, "TESTING", False):
            raise CommandError("Hanya untuk pengembangan (DEBUG).")
        from apps.ttd.bsre_uji import BSrEUji
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.tsa_uji import TSAUji

        folder = Path(o["dir"] or (Path(settings.MEDIA_ROOT).parent / "ttd-uji"))
        folder.mkdir(parents=True, exist_ok=True)
        ca = CAUji.buat()
        (folder / "root.pem").write_bytes(ca.root.cert_pem)
        (folder / "intermediate.pem").write_bytes(ca.intermediate.cert_pem)
        tsa = TSAUji(ca, port=o["tsa_port"]).start()
        bsre = BSrEUji(ca, tsa.url, port=o["bsre_port"]).start()
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
