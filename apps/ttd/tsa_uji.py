"""A local RFC 3161 time-stamping authority on loopback, for tests, the benchmark and the
development demo: an HTTP server that answers ``application/timestamp-query`` with a token
signed by the test CA's TSA certificate (pyHanko's :class:`DummyTimeStamper` does the TSA part).
Production uses a real TSA (``SIAKS_TTD_TSA_URL``).

The TSA's key is parsed once (pyHanko's dummy re-parses and checks it on every request, ~35 ms
of CPU), as a real TSA keeps its key loaded in an HSM. :meth:`TSAUji.proses` runs the server in
a process of its own (``python -m apps.ttd.tsa_uji``), so the benchmark does not measure the
TSA's work as part of its own process."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
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


def _stamper_cls():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import general
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KunciTetap(DummyTimeStamper):
        """pyHanko's dummy TSA with its RSA key parsed once."""

        def _sign_tst_info(self, tst_info_data, md_algorithm, dt):
            from asn1crypto import cms, core

            key = getattr(self, "_kunci", None)
            if key is None:
                key = self._kunci = serialization.load_der_private_key(self.tsa_key.dump(), password=None)
            md = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
            md.update(tst_info_data)
            signed_attrs = cms.CMSAttributes([
                general.simple_cms_attribute("content_type", "tst_info"),
                general.simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                general.simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
                general.simple_cms_attribute("message_digest", md.finalize()),
            ])  # fmt: skip
            sig = key.sign(signed_attrs.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper()))
            return sig, signed_attrs

    return KunciTetap


class TSAUji(ServerUji):
    """``with TSAUji(ca) as tsa: tsa.url`` (a thread of this process), or
    ``with TSAUji.proses(ca) as tsa: tsa.url`` (a process of its own)."""

    def __init__(self, ca, host: str = "127.0.0.1", port: int = 0, soket=None):
        self.stamper = _stamper_cls()(
            tsa_cert=asn1_cert(ca.tsa.cert),
            tsa_key=asn1_key(ca.tsa.key),
            certs_to_embed=[asn1_cert(ca.intermediate.cert)],
        )
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
                    resp = stamper.request_tsa_response(req).dump()
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
