"""Register (or update) a signing official of an issuer.

    manage.py ttd_pejabat --instansi KEMENHUB --user ppk.kemenhub --nama "Ir. Budi Santoso, M.T." \\
        --nip 196805121993031002 --jabatan "Sekretaris Jenderal" --backend pkcs12 --p12 /aman/ppk.p12
    manage.py ttd_pejabat --instansi KEMENHUB --user ppk.kemenhub ... --backend bsre --nik 3273011205680002

``pkcs12``: the archive must open with SIAKS_TTD_PKCS12_PASSPHRASE (checked here); it is stored
as it is (encrypted), with the certificate's fingerprint registered. ``bsre``: the NIK BSrE
knows the official by; optionally ``--sertifikat`` (PEM) to register its fingerprint too."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core import tenancy


class Command(BaseCommand):
    help = "Daftarkan pejabat penanda tangan elektronik sebuah instansi."

    def add_arguments(self, parser):
        parser.add_argument("--instansi", required=True, help="kode instansi penerbit")
        parser.add_argument("--user", required=True, help="username akun pejabat")
        parser.add_argument("--nama", required=True)
        parser.add_argument("--nip", default="")
        parser.add_argument("--nik", default="")
        parser.add_argument("--jabatan", required=True)
        parser.add_argument("--backend", choices=["pkcs12", "bsre"], required=True)
        parser.add_argument("--p12", help="berkas PKCS#12 (backend pkcs12)")
        parser.add_argument("--sertifikat", help="sertifikat PEM untuk didaftarkan sidik jarinya")

    def handle(self, *args, **o):
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509

        from apps.accounts.models import User
        from apps.core.models import Instansi
        from apps.ttd.models import Pejabat

        instansi = Instansi.objects.filter(kode=o["instansi"]).first()
        user = User.objects.filter(username=o["user"]).first()
        if instansi is None or user is None:
            raise CommandError("Instansi atau akun tidak ditemukan.")
        blob, cert, rantai = b"", None, []
        if o["backend"] == "pkcs12":
            if not o["p12"]:
                raise CommandError("--p12 wajib untuk backend pkcs12.")
            from pyhanko.sign import signers

            blob = Path(o["p12"]).read_bytes()
            try:
                signer = signers.SimpleSigner.load_pkcs12_data(
                    blob, [], passphrase=settings.SIAKS_TTD_PKCS12_PASSPHRASE.encode() or None
                )
            except (ValueError, TypeError) as exc:
                raise CommandError("PKCS#12 tidak dapat dibuka dengan SIAKS_TTD_PKCS12_PASSPHRASE.") from exc
            cert = signer.signing_cert
            rantai = [c for c in signer.cert_registry if c.sha256 != cert.sha256]
        elif not o["nik"]:
            raise CommandError("--nik wajib untuk backend bsre.")
        if o["sertifikat"]:
            data = Path(o["sertifikat"]).read_bytes()
            cert = asn1_x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)
        if cert is not None:  # as on the page: expired or outside the trust roots is refused
            from apps.ttd.pejabat import _periksa_berlaku, periksa_rantai
            from apps.ttd.services import TtdError

            try:
                _periksa_berlaku(cert, "sertifikat")
                peringatan = periksa_rantai(cert, "sertifikat", rantai=rantai)
            except TtdError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            if peringatan:
                self.stderr.write(peringatan)
        with tenancy.all_tenants(reason="operator registers a signing official"):
            pejabat, created = Pejabat.objects.update_or_create(
                instansi=instansi, nip=o["nip"], user=user,
                defaults={
                    "nama": o["nama"], "nik": o["nik"], "jabatan": o["jabatan"], "backend": o["backend"],
                    "pkcs12": blob,
                    "sertifikat_pem": pem.armor("CERTIFICATE", cert.dump()).decode() if cert else "",
                    "sidik_jari": cert.sha256.hex() if cert else "", "aktif": True,
                },
            )  # fmt: skip
        # Letters rendered before the official was registered wait for them already: tell them.
        from apps.ttd.pejabat import beritahu_surat_menunggu

        menunggu = beritahu_surat_menunggu(pejabat.pk)
        self.stdout.write(
            (f"{menunggu} surat menunggu tanda tangannya; pejabat diberi tahu. " if menunggu else "")
            + f"Pejabat {pejabat.nama} ({pejabat.get_backend_display()}) {'didaftarkan' if created else 'diperbarui'}"
            + (f"; sidik jari {pejabat.sidik_jari}" if pejabat.sidik_jari else "")
        )
