"""A fake BSrE esign API v2 server on loopback, for the tests and the development demo.

It signs for real — PAdES with pyHanko, the certificate the test CA issued to the NIK and a
timestamp from the local TSA — so the ``bsre`` backend's output validates like BSrE's. The
visible block is the pkcs12 path's (apps.ttd.pades.gaya_blok), drawn from what the portal sends
in the image (apps.ttd.penanda.gambar_tampilan): the lines — name, NIP, office as registered in
the portal, "Ditandatangani secara elektronik", the time in WIB — from the image's ``Description``
text, as text a reader (and ``pdftotext``) finds, beside the QR code, the left square of the
image. The real BSrE draws the image it is sent, which shows the same block.

Its error answers follow the API: wrong passphrase (``status_code`` 2031), certificate not
active (2011), and, on demand, a 5xx or no answer within the client's timeout. It never logs
request bodies (they hold the passphrase)."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from apps.ttd.server_uji import ServerUji


class BSrEUji(ServerUji):
    def __init__(self, ca, tsa_url: str, host: str = "127.0.0.1", port: int = 0, soket=None):
        self.ca = ca
        self.tsa_url = tsa_url
        self.pengguna: dict[str, dict] = {}  # nik → {"identitas", "passphrase", "aktif", "jabatan"}
        self.gangguan = 0  # answer the next n signing requests with HTTP 503
        self.lambat = 0  # answer the next n signing requests only after ``jeda`` seconds
        self.jeda = 3.0
        self.jumlah_ttd = 0  # PDFs signed (and returned or not)
        self.permintaan = 0
        self.boleh_daftar = True  # the demo-only enrolment call (POST /uji/daftar)
        # Development (ttd_layanan_uji): called once when an unknown NIK is asked for, to learn the
        # officials registered since the start (run_portal starts this server before ttd_demo).
        self.pemuat = None
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(body)
                except ValueError:
                    return self._json(400, {"status_code": 1000, "error": "Permintaan tidak valid"})
                if self.path == "/api/v2/sign/pdf":
                    status, answer = outer._sign(payload)
                elif self.path == "/api/v2/verify/pdf":
                    status, answer = outer._verify(payload)
                elif self.path == "/api/v2/user/check/status":
                    status, answer = outer._status(payload)
                elif self.path == "/uji/daftar" and outer.boleh_daftar:
                    status, answer = outer._daftar_uji(payload)
                else:
                    status, answer = 404, {"status_code": 404, "error": "Not found"}
                if status is None:
                    return None
                return self._json(status, answer)

            def _json(self, status, answer):
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self._siapkan(Handler, host, port, soket)

    # ------------------------------------------------------------------ registry

    def daftar(self, nik: str, identitas, passphrase: str, *, aktif: bool = True, jabatan: str = "") -> None:
        self.pengguna[nik] = {"identitas": identitas, "passphrase": passphrase, "aktif": aktif, "jabatan": jabatan}

    def _pengguna(self, nik: str) -> dict | None:
        user = self.pengguna.get(nik)
        if user is None and self.pemuat is not None:
            with self._lock:
                if nik not in self.pengguna:
                    self.pemuat()
            user = self.pengguna.get(nik)
        return user

    def _status(self, payload: dict):
        user = self._pengguna(str(payload.get("nik", "")))
        if user is None:
            return 404, {"status_code": 2021, "status": "NOT_REGISTERED", "message": "NIK tidak terdaftar"}
        if not user["aktif"]:
            return 200, {"status_code": 2011, "status": "EXPIRED", "message": "Sertifikat tidak aktif"}
        return 200, {"status_code": 1111, "status": "ISSUE", "message": "Sertifikat aktif"}

    def _daftar_uji(self, payload: dict):
        """Demo enrolment: a certificate under the test CA with the official's name, NIP and NIK,
        passphrase ``siaks-bsre`` (an official already known keeps their certificate)."""
        nik = str(payload.get("nik", ""))
        if len(nik) != 16 or not nik.isdigit():
            return 400, {"status_code": 1000, "error": "NIK tidak valid"}
        with self._lock:
            if nik not in self.pengguna:
                identitas = self.ca.pejabat(str(payload.get("nama") or nik), nik=nik, nip=str(payload.get("nip") or ""))
                self.daftar(nik, identitas, "siaks-bsre", jabatan=str(payload.get("jabatan") or ""))
        return 200, {"status_code": 1111, "status": "ISSUE"}

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # ------------------------------------------------------------------ API

    def _sign(self, payload: dict):
        with self._lock:
            self.permintaan += 1
            if self.gangguan > 0:
                self.gangguan -= 1
                return 503, {"status_code": 5000, "error": "Service Unavailable"}
            lambat = self.lambat > 0
            if lambat:
                self.lambat -= 1
        user = self._pengguna(str(payload.get("nik", "")))
        if user is None or not user["aktif"]:
            return 400, {"status_code": 2011, "error": "Sertifikat tidak aktif atau tidak ditemukan"}
        if payload.get("passphrase") != user["passphrase"]:
            return 400, {"status_code": 2031, "error": "Passphrase anda salah"}
        try:
            data = base64.b64decode(payload["file"][0])
            prop = (payload.get("signatureProperties") or [{}])[0]
            signed = self._pdf(data, user["identitas"], prop, jabatan=user.get("jabatan", ""))
        except Exception as exc:  # a malformed request is the client's error
            return 400, {"status_code": 1000, "error": f"Dokumen tidak dapat diproses: {type(exc).__name__}"}
        with self._lock:
            self.jumlah_ttd += 1
        if lambat:
            time.sleep(self.jeda)  # signed, but the answer comes after the client gave up
        return 200, {"file": [base64.b64encode(signed).decode()]}

    def _pdf(self, data: bytes, identitas, prop: dict, *, jabatan: str = "") -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.sign.timestamps import HTTPTimeStamper

        signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(b"bsre"), [], passphrase=b"bsre")
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        page = int(prop.get("page") or 1) - 1
        x, y = float(prop.get("originX", 0)), float(prop.get("originY", 0))
        w, h = float(prop.get("width", 200)), float(prop.get("height", 80))
        style, teks = None, None
        if prop.get("imageBase64"):
            style, teks = self._blok(base64.b64decode(prop["imageBase64"]), signer.signing_cert, jabatan, tinggi=h)
        name = f"BSrE-{int(time.time() * 1000)}"
        meta = signers.PdfSignatureMetadata(
            field_name=name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=prop.get("reason") or None, location=prop.get("location") or None,
        )  # fmt: skip
        if prop.get("tampilan") == "INVISIBLE":
            spec = fields.SigFieldSpec(sig_field_name=name)
        else:
            spec = fields.SigFieldSpec(sig_field_name=name, on_page=page, box=(x, y, x + w, y + h))
        out = io.BytesIO()
        signers.PdfSigner(
            meta, signer, timestamper=HTTPTimeStamper(self.tsa_url), stamp_style=style, new_field_spec=spec
        ).sign_pdf(writer, output=out, appearance_text_params=teks)
        return out.getvalue()

    @staticmethod
    def _blok(png: bytes, cert, jabatan: str, *, tinggi: float):
        """The visible block in the portal's layout (``pades.gaya_blok``), from what the portal sends:
        the lines are the image's ``Description`` text (``penanda.gambar_tampilan`` writes the
        block's lines there and draws them in the image, which the real BSrE draws), the QR code is
        the left square of the image. A client whose image carries no text gets the certificate's
        name and NIP and the office registered with the NIK — never the certificate's organisation."""
        from PIL import Image

        from apps.ttd import pades

        img = Image.open(io.BytesIO(png))
        baris = [b for b in str(img.info.get("Description") or "").splitlines() if b.strip()]
        if not baris:
            who = pades.identitas_sertifikat(cert)
            nip = f"NIP {who['nip']}" if who["nip"] else ""
            baris = [b for b in (pades.TEKS_TTE, who["nama"], nip, jabatan, pades.waktu_blok()) if b]
        img = img.convert("RGB")
        sisi = min(img.width, img.height)
        tepi = round(img.height / tinggi) if tinggi else 0  # the image's border, one point wide
        qr = io.BytesIO()
        img.crop((tepi, tepi, sisi - tepi, sisi - tepi)).save(qr, format="PNG")
        lebar = tinggi * img.width / img.height if img.height else pades.LEBAR_BLOK  # the box's proportions
        return pades.gaya_blok(baris, qr.getvalue(), tinggi, lebar=lebar), None

    def _verify(self, payload: dict):
        from apps.ttd import pades
        from apps.ttd.tsa_uji import asn1_cert

        try:
            data = base64.b64decode(payload["file"])
            statuses = pades.periksa(
                data, trust_roots=[asn1_cert(self.ca.root.cert)], other_certs=[asn1_cert(self.ca.intermediate.cert)]
            )
        except Exception:
            return 400, {"status_code": 1000, "error": "Dokumen tidak dapat diproses"}
        valid = bool(statuses) and all(s.utuh and s.terpercaya and not s.diubah_setelah_ttd for s in statuses)
        return 200, {
            "conclusion": "VALID" if valid else ("NO_SIGNATURE" if not statuses else "INVALID"),
            "signatureCount": len(statuses),
            "signatureInformations": [
                {"signerName": s.penandatangan["nama"], "integrityValid": s.utuh, "certificateTrusted": s.terpercaya}
                for s in statuses
            ],
        }
