"""A local RFC 3161 time-stamping authority on loopback, for tests, the benchmark and the
development demo: an HTTP server that answers ``application/timestamp-query`` with a token
signed by the test CA's TSA certificate (:class:`PencapWaktu`: the tokens of pyHanko's
:class:`DummyTimeStamper`, byte for byte, with its constant parts encoded once). Production uses a
real TSA (``SIAKS_TTD_TSA_URL``).

The TSA's key is parsed once (pyHanko's dummy re-parses and checks it on every request, ~35 ms
of CPU), as a real TSA keeps its key loaded in an HSM. :meth:`TSAUji.proses` runs the server in
a process of its own (``python -m apps.ttd.tsa_uji``), so the benchmark does not measure the
TSA's work as part of its own process."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC
from http.server import BaseHTTPRequestHandler

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from apps.ttd.server_uji import ServerUji


def asn1_cert(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_key(key):
    return keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _tlv(tag: int, isi: bytes) -> bytes:
    """One DER element: tag, definite length, contents."""
    n = len(isi)
    if n < 0x80:
        return bytes((tag, n)) + isi
    panjang = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(panjang))) + panjang + isi


class PencapWaktu:
    """An RFC 3161 TSA that answers with the same DER as pyHanko's :class:`DummyTimeStamper`
    (tests/ttd/test_tsa_uji.py compares the two byte for byte), at a fraction of its CPU.

    The dummy builds every token from Python values with asn1crypto (~7 ms of CPU, nearly all
    re-encoding constant parts: the TSA's name, the signing-certificate attribute, the embedded
    certificates). A real TSA's answer is equally mostly constant, so this one encodes the
    constant parts once and per request only the TSTInfo, the four signed attributes and the
    RSA signature. In the benchmark the TSA stands for a remote service: its CPU must not take
    the cores the worker pool is being measured on."""

    POLICY = "1.3.6.1.4.1.4146.2.2"  # the dummy's policy

    def __init__(self, tsa_cert, tsa_key, certs_to_embed=()):
        from asn1crypto import algos, cms, core
        from asn1crypto import x509 as ax509
        from pyhanko.sign import general

        self._kunci = serialization.load_der_private_key(tsa_key.dump(), password=None)
        self._policy = core.ObjectIdentifier(self.POLICY).dump()
        self._tsa = _tlv(0xA0, ax509.GeneralName(name="directory_name", value=tsa_cert.subject).dump())
        self._oid = {n: cms.CMSAttributeType(n).dump() for n in ("content_type", "signing_time", "message_digest")}
        self._attr_tetap = [
            general.simple_cms_attribute("content_type", "tst_info").dump(),
            general.simple_cms_attribute("signing_certificate", general.as_signing_certificate(tsa_cert)).dump(),
        ]
        self._sid = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": tsa_cert.issuer, "serial_number": tsa_cert.serial_number})}).dump()  # fmt: skip
        self._alg_ttd = algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}).dump()
        sertifikat = {c.dump() for c in (*certs_to_embed, tsa_cert)}
        self._sertifikat = _tlv(0xA0, b"".join(sorted(sertifikat)))
        self._ct_tst = cms.ContentType("tst_info").dump()
        self._ct_signed = cms.ContentType("signed_data").dump()
        self._status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")}).dump()
        self._alg_md: dict[str, bytes] = {}

    def _alg(self, md: str) -> bytes:
        if md not in self._alg_md:
            from asn1crypto import algos

            self._alg_md[md] = algos.DigestAlgorithm({"algorithm": md}).dump()
        return self._alg_md[md]

    def jawab(self, req: tsp.TimeStampReq, *, waktu=None, serial: int | None = None) -> bytes:
        """The DER of the ``TimeStampResp`` granting ``req``."""
        from datetime import datetime

        from asn1crypto import core
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from pyhanko.sign.timestamps.common_utils import get_nonce
        from pyhanko_certvalidator.util import get_pyca_cryptography_hash

        imprint = req["message_imprint"]
        md = imprint["hash_algorithm"]["algorithm"].native
        waktu = waktu or datetime.now(tz=UTC)
        nonce = req["nonce"].dump() if req["nonce"].native is not None else b""
        tst_info = _tlv(0x30, b"".join((
            b"\x02\x01\x01", self._policy, imprint.dump(), core.Integer(serial or get_nonce()).dump(),
            core.GeneralizedTime(waktu).dump(), nonce, self._tsa,
        )))  # fmt: skip
        hash_md = get_pyca_cryptography_hash(md)
        h = hashes.Hash(hash_md)
        h.update(tst_info)
        attr = sorted((
            *self._attr_tetap,
            _tlv(0x30, self._oid["signing_time"] + _tlv(0x31, core.UTCTime(waktu).dump())),
            _tlv(0x30, self._oid["message_digest"] + _tlv(0x31, _tlv(0x04, h.finalize()))),
        ))  # fmt: skip
        attr_isi = b"".join(attr)
        ttd = self._kunci.sign(_tlv(0x31, attr_isi), PKCS1v15(), get_pyca_cryptography_hash(md.upper()))
        alg = self._alg(md)
        signer_info = _tlv(0x30, b"".join((
            b"\x02\x01\x01", self._sid, alg, _tlv(0xA0, attr_isi), self._alg_ttd, _tlv(0x04, ttd),
        )))  # fmt: skip
        signed_data = _tlv(0x30, b"".join((
            b"\x02\x01\x03", _tlv(0x31, alg), _tlv(0x30, self._ct_tst + _tlv(0xA0, _tlv(0x04, tst_info))),
            self._sertifikat, _tlv(0x31, signer_info),
        )))  # fmt: skip
        token = _tlv(0x30, self._ct_signed + _tlv(0xA0, signed_data))
        return _tlv(0x30, self._status + token)


class TSAUji(ServerUji):
    """``with TSAUji(ca) as tsa: tsa.url`` (a thread of this process), or
    ``with TSAUji.proses(ca) as tsa: tsa.url`` (a process of its own)."""

    def __init__(self, ca, host: str = "127.0.0.1", port: int = 0, soket=None):
        self.stamper = PencapWaktu(asn1_cert(ca.tsa.cert), asn1_key(ca.tsa.key), [asn1_cert(ca.intermediate.cert)])
        self.jumlah = 0  # tokens issued
        self.koneksi = 0  # TCP connections accepted
        stamper = self.stamper
        outer = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as a real TSA; the answer leaves in one write (headers and body apart
            # meet the client's delayed ACK: ~40 ms per request on loopback).
            protocol_version = "HTTP/1.1"
            wbufsize = -1

            def setup(self):
                super().setup()
                outer.koneksi += 1

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    req = tsp.TimeStampReq.load(body)
                    resp = stamper.jawab(req)
                except Exception:
                    self.send_response(400)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer.jumlah += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(resp)))
                self.end_headers()
                self.wfile.write(resp)

            def log_message(self, *args):
                pass

        self._siapkan(Handler, host, port, soket)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    @classmethod
    @contextmanager
    def proses(cls, ca):
        """The TSA in a child process; yields its ``url`` and ``pid``. The child gets the TSA key
        and certificates on stdin (a throw-away test CA) and ends when the block does."""
        from types import SimpleNamespace

        pem = {
            "tsa_key": ca.tsa.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode(),
            "tsa_cert": ca.tsa.cert_pem.decode(),
            "intermediate_cert": ca.intermediate.cert_pem.decode(),
        }
        from pathlib import Path

        child = subprocess.Popen(
            [sys.executable, "-m", "apps.ttd.tsa_uji"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        try:
            child.stdin.write(json.dumps(pem))
            child.stdin.close()
            url = child.stdout.readline().strip()
            if not url.startswith("http://"):
                raise RuntimeError("the TSA process did not start")
            yield SimpleNamespace(url=url, pid=child.pid)
        finally:
            child.terminate()
            child.wait(timeout=30)


def _main() -> None:
    from types import SimpleNamespace

    from cryptography import x509

    pem = json.loads(sys.stdin.read())
    ca = SimpleNamespace(
        tsa=SimpleNamespace(
            key=serialization.load_pem_private_key(pem["tsa_key"].encode(), password=None),
            cert=x509.load_pem_x509_certificate(pem["tsa_cert"].encode()),
        ),
        intermediate=SimpleNamespace(cert=x509.load_pem_x509_certificate(pem["intermediate_cert"].encode())),
    )
    tsa = TSAUji(ca)
    print(tsa.url, flush=True)
    tsa.server.serve_forever()


if __name__ == "__main__":
    _main()
