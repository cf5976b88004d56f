"""A local RFC 3161 time-stamping authority on loopback, for tests, the benchmark and the
development demo: an HTTP server that answers ``application/timestamp-query`` with a token
signed by the test CA's TSA certificate (pyHanko's :class:`DummyTimeStamper` does the TSA part).
Production uses a real TSA (``SIAKS_TTD_TSA_URL``)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization


def asn1_cert(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_key(key):
    return keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


class TSAUji:
    """``with TSAUji(ca) as tsa: tsa.url``"""

    def __init__(self, ca, host: str = "127.0.0.1", port: int = 0):
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        self.stamper = DummyTimeStamper(
            tsa_cert=asn1_cert(ca.tsa.cert),
            tsa_key=asn1_key(ca.tsa.key),
            certs_to_embed=[asn1_cert(ca.intermediate.cert)],
        )
        self.jumlah = 0
        stamper = self.stamper
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    req = tsp.TimeStampReq.load(body)
                    resp = stamper.request_tsa_response(req).dump()
                except Exception:
                    self.send_response(400)
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

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def start(self) -> TSAUji:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
