"""A test certificate authority made with ``cryptography``: root → intermediate → signer and TSA
certificates, plus an expired signer and one from an untrusted root.

Used by the test suite, ``bench/ttd_1000.py``, the fake BSrE server and the development demo
(``manage.py ttd_demo``). Never in production: there the trust roots are the Indonesian root and
the BSrE chain (``SIAKS_TTD_TRUST_ROOTS``) and keys come from BSrE or an HSM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _key(kind: str = "rsa"):
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Identitas:
    """A key and its certificate (with the chain above it, issuer first)."""

    key: object
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def sidik_jari(self) -> str:
        return self.cert.fingerprint(hashes.SHA256()).hex()

    def pkcs12(self, passphrase: bytes, name: bytes = b"siaks") -> bytes:
        return pkcs12.serialize_key_and_certificates(
            name, self.key, self.cert, self.chain, serialization.BestAvailableEncryption(passphrase)
        )


def _name(cn: str, *, serial: str = "", org: str = "", ou: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def _issue(subject, key, issuer: Identitas | None, *, ca: bool, days=(-30, 3650), eku=None, path_len=None):
    now = dt.datetime.now(dt.UTC)
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if ca:
        usage = {"digital_signature": False, "key_cert_sign": True, "crl_sign": True, "content_commitment": False}
    else:
        usage = {
            "digital_signature": True,
            "key_cert_sign": False,
            "crl_sign": False,
            "content_commitment": eku is None,
        }
    builder = builder.add_extension(
        x509.KeyUsage(key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
                      decipher_only=False, **usage),
        critical=True,
    )  # fmt: skip
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    cert = builder.sign(signing_key, hashes.SHA256())
    chain = [issuer.cert, *issuer.chain] if issuer else []
    return Identitas(key=key, cert=cert, chain=chain)


#: The identities of :class:`CAUji` kept on disk (``<name>.key`` and ``<name>.crt``).
_BERKAS_CA = ("root", "intermediate", "tsa", "root_asing")


@dataclass
class CAUji:
    root: Identitas
    intermediate: Identitas
    tsa: Identitas
    root_asing: Identitas  # an untrusted root (not in the trust store)

    @classmethod
    def buat(cls, kind: str = "rsa") -> CAUji:
        root = _issue(_name("Root CA Uji SIAKS", org="SIAKS Uji"), _key(kind), None, ca=True)
        inter = _issue(_name("CA Penanda Tangan Uji", org="SIAKS Uji"), _key(kind), root, ca=True, path_len=0)
        tsa = _issue(
            _name("TSA Uji SIAKS", org="SIAKS Uji"),
            _key(kind),
            inter,
            ca=False,
            eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        )
        asing = _issue(_name("Root CA Tidak Dikenal", org="Lain"), _key(kind), None, ca=True)
        return cls(root=root, intermediate=inter, tsa=tsa, root_asing=asing)

    def pejabat(self, nama: str, *, nik: str = "", nip: str = "", instansi: str = "", kedaluwarsa=False,
                asing=False, kind: str = "rsa") -> Identitas:  # fmt: skip
        """A signer certificate; the subject carries the NIK (serialNumber) and NIP (OU ``NIP …``),
        as BSrE certificates of civil servants do."""
        serial = nik or (f"NIP{nip}" if nip else "")
        subject = _name(nama, serial=serial, org=instansi or "Instansi Uji", ou=f"NIP {nip}" if nip else "")
        issuer = self.root_asing if asing else self.intermediate
        days = (-400, -10) if kedaluwarsa else (-30, 730)
        return _issue(subject, _key(kind), issuer, ca=False, days=days)

    # ------------------------------------------------------------------ kept on disk (development)

    def simpan(self, folder) -> None:
        """Write keys and certificates (unencrypted: a development CA only) and the trust files."""
        from pathlib import Path

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in _BERKAS_CA:
            ident = getattr(self, name)
            key = ident.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            (folder / f"{name}.key").write_bytes(key)
            (folder / f"{name}.crt").write_bytes(ident.cert_pem)
        (folder / "root.pem").write_bytes(self.root.cert_pem)
        (folder / "intermediate.pem").write_bytes(self.intermediate.cert_pem)

    @classmethod
    def muat_atau_buat(cls, folder) -> CAUji:
        """The development CA kept in ``folder`` (made on first use), so certificates issued
        to the demo officials keep chaining to the trust roots across restarts.

        Under an exclusive lock on ``folder/.kunci``: two processes starting on a fresh .data/
        at once (``ttd_demo`` and ``ttd_layanan_uji`` of two ``make run``) both made a CA and
        wrote their files over each other's, so one issued certificates under an intermediate
        that the root on disk (the TSA's and the validator's) did not sign. Now the second
        waits and loads the first's."""
        import fcntl
        from pathlib import Path

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".kunci", "a+b") as kunci:
            fcntl.flock(kunci, fcntl.LOCK_EX)
            try:
                if not (folder / "tsa.crt").exists():
                    ca = cls.buat()
                    ca.simpan(folder)
                    return ca
                return cls._muat(folder)
            finally:
                fcntl.flock(kunci, fcntl.LOCK_UN)

    def pejabat_tersimpan(self, folder, nama: str, *, nik: str, nip: str = "", instansi: str = "") -> Identitas:
        """The development certificate of a BSrE official (``nik``), kept in ``folder/bsre/``: the
        one ``ttd_demo`` registers (its fingerprint) is the one the fake BSrE signs with, across
        restarts. Re-issued only when the name changed or the CA in ``folder`` is another."""
        import fcntl
        from pathlib import Path

        folder = Path(folder) / "bsre"
        folder.mkdir(parents=True, exist_ok=True)
        key_path, cert_path = folder / f"{nik}.key", folder / f"{nik}.crt"
        with open(folder / ".kunci", "a+b") as kunci:
            fcntl.flock(kunci, fcntl.LOCK_EX)
            try:
                if key_path.exists() and cert_path.exists():
                    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
                    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
                    if cert.issuer == self.intermediate.cert.subject and cn and cn[0].value == nama:
                        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
                        return Identitas(key=key, cert=cert, chain=[self.intermediate.cert, self.root.cert])
                ident = self.pejabat(nama, nik=nik, nip=nip, instansi=instansi)
                key_path.write_bytes(
                    ident.key.private_bytes(
                        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                    )
                )
                key_path.chmod(0o600)
                cert_path.write_bytes(ident.cert_pem)
                return ident
            finally:
                fcntl.flock(kunci, fcntl.LOCK_UN)

    @classmethod
    def _muat(cls, folder) -> CAUji:
        def load(name, chain=()):
            key = serialization.load_pem_private_key((folder / f"{name}.key").read_bytes(), password=None)
            cert = x509.load_pem_x509_certificate((folder / f"{name}.crt").read_bytes())
            return Identitas(key=key, cert=cert, chain=list(chain))

        root = load("root")
        inter = load("intermediate", [root.cert])
        return cls(
            root=root, intermediate=inter, tsa=load("tsa", [inter.cert, root.cert]), root_asing=load("root_asing")
        )

    @property
    def trust_roots_pem(self) -> bytes:
        return self.root.cert_pem

    @property
    def intermediates_pem(self) -> bytes:
        return self.intermediate.cert_pem
