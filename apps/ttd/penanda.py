"""Signer backends behind one interface, chosen per signing official (:class:`Pejabat.backend`).

``pkcs12``  the key and certificate are held by the portal in a PKCS#12 archive encrypted with
            ``SIAKS_TTD_PKCS12_PASSPHRASE`` (from the environment, never in the database); pyHanko
            signs locally and takes the RFC 3161 timestamp from ``SIAKS_TTD_TSA_URL``. The
            production path for portal-held keys is an HSM over PKCS#11 (pyHanko's
            ``pyhanko.sign.pkcs11.PKCS11Signer``): the same interface, the key never leaves the HSM.
``bsre``    BSrE's esign API v2 (``POST /api/v2/sign/pdf``): the official's NIK and the passphrase
            typed at signing time; BSrE signs (PAdES, with its own TSA) and returns the PDF.

Every backend returns the signed PDF: the input bytes followed by one incremental update."""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import logging
import os
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from apps.core.format import tgl
from apps.ttd import pades

logger = logging.getLogger(__name__)


class TtdError(Exception):
    """A signing failure with a message for the official. ``sementara``: worth retrying."""

    def __init__(self, pesan: str, *, sementara: bool = False, seluruh_batch: bool = False, akhir: str = ""):
        super().__init__(pesan)
        self.pesan = pesan
        self.sementara = sementara
        #: The message of a transient failure once its retries have run out ("dicoba lagi" no more).
        self.akhir = akhir or pesan
        #: The failure concerns the official (a wrong passphrase, a certificate BSrE does not
        #: accept), not this letter: every letter of the batch would fail the same way. The rest
        #: of the batch is failed at once with this message rather than sent to BSrE one by one —
        #: which would take minutes and repeat a wrong passphrase dozens of times (BSrE may lock
        #: the certificate after repeated wrong passphrases).
        self.seluruh_batch = seluruh_batch


def _sementara(keadaan: str) -> TtdError:
    """A transient service failure (``keadaan``: what is wrong, without a full stop): the worker
    retries it ("dicoba lagi"); once the retries have run out the official reads that nothing was
    signed and what to do, not a promise of another attempt that will not come."""
    return TtdError(
        _("%(k)s; dicoba lagi.") % {"k": keadaan}, sementara=True,
        akhir=_("%(k)s, juga setelah beberapa kali dicoba. Surat belum ditandatangani: tandatangani lagi dari "
                "antrean beberapa saat lagi, atau hubungi admin platform bila berlanjut.") % {"k": keadaan},
    )  # fmt: skip


@functools.cache
def _kelas_timestamper():
    """An RFC 3161 client over one HTTP session per worker process (keep-alive, the TLS context
    built once). pyHanko's ``HTTPTimeStamper`` opens a new aiohttp session for every request,
    and building its TLS context (loading the CA bundle) alone costs ~25 ms of CPU per
    signature. A request that fails on a pooled connection is sent once more (a new timestamp
    is harmless); any failure is pyHanko's ``TimestampRequestError``, as before."""
    import requests
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    class TimestamperSesi(TimeStamper):
        def __init__(self, url: str, timeout: int):
            super().__init__()
            self.url, self.timeout = url, timeout
            self.sesi = requests.Session()
            adapter = HTTPAdapter(max_retries=Retry(total=1, allowed_methods=None, status=0, redirect=0))
            self.sesi.mount("http://", adapter)
            self.sesi.mount("https://", adapter)

        async def async_request_tsa_response(self, req):
            try:
                resp = self.sesi.post(self.url, data=req.dump(), headers=set_tsp_headers({}), timeout=self.timeout)
                resp.raise_for_status()
            except (requests.RequestException, OSError) as exc:
                raise TimestampRequestError("Error while contacting timestamp service") from exc
            if resp.headers.get("Content-Type") != "application/timestamp-reply":
                raise TimestampRequestError("Timestamp server response is malformed.")
            return tsp.TimeStampResp.load(resp.content)

    return TimestamperSesi


#: The timestamper of this process: (pid, url, timeout) → client. Keyed by the pid so a pool
#: child forked from a parent that already signed never shares the parent's connections.
_TIMESTAMPER: dict[tuple, object] = {}


def timestamper():
    url = settings.SIAKS_TTD_TSA_URL
    if not url:
        raise TtdError(_("Layanan cap waktu (TSA) belum dikonfigurasi. Hubungi admin platform."))
    key = (os.getpid(), url, settings.SIAKS_TTD_TSA_TIMEOUT)
    ts = _TIMESTAMPER.get(key)
    if ts is None:
        _TIMESTAMPER.clear()
        ts = _TIMESTAMPER[key] = _kelas_timestamper()(url, settings.SIAKS_TTD_TSA_TIMEOUT)
    return ts


@functools.lru_cache(maxsize=64)
def _simple_signer(digest: str, blob: bytes, passphrase: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12_data(blob, [], passphrase=passphrase.encode() or None)
    return pades.signer_kunci_tetap(signer)


def _pkcs12_signer(pejabat):
    blob = bytes(pejabat.pkcs12 or b"")
    if not blob:
        raise TtdError(_("Sertifikat elektronik pejabat ini belum dipasang di portal."))
    try:
        return _simple_signer(hashlib.sha256(blob).hexdigest(), blob, settings.SIAKS_TTD_PKCS12_PASSPHRASE)
    except (ValueError, TypeError) as exc:
        logger.warning("pkcs12 of pejabat %s cannot be opened: %s", pejabat.pk, type(exc).__name__)
        raise TtdError(_("Sertifikat elektronik di portal tidak dapat dibuka. Hubungi admin platform.")) from exc


def _periksa_masa_berlaku(cert) -> None:
    from datetime import UTC, datetime

    validity = cert["tbs_certificate"]["validity"]
    now = datetime.now(UTC)
    if validity["not_after"].native < now:
        raise TtdError(
            _("Sertifikat elektronik pejabat sudah kedaluwarsa sejak %(t)s; perbarui sertifikat.")
            % {"t": tgl(timezone.localtime(validity["not_after"].native))}
        )
    if validity["not_before"].native > now:
        raise TtdError(_("Sertifikat elektronik pejabat belum berlaku."))


class Pkcs12Backend:
    nama = "pkcs12"
    butuh_passphrase = False

    @staticmethod
    def nama_tsa() -> str:
        """The TSA as a message names it."""
        return settings.SIAKS_TTD_TSA_URL or "-"

    def tandatangani(self, data: bytes, *, pejabat, tampilan: pades.Tampilan, field_name: str, passphrase=None,
                     alasan: str = "", lokasi: str = "") -> bytes:  # fmt: skip
        signer = _pkcs12_signer(pejabat)
        _periksa_masa_berlaku(signer.signing_cert)
        try:
            return pades.tandatangani(
                data, signer, tampilan=tampilan, field_name=field_name, timestamper=timestamper(), alasan=alasan,
                lokasi=lokasi,
            )  # fmt: skip
        except TtdError:
            raise
        except Exception as exc:
            if _is_tsa_error(exc):
                raise _sementara(_("Layanan cap waktu (TSA) tidak menjawab")) from exc
            raise


def _is_tsa_error(exc: Exception) -> bool:
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    seen = exc
    while seen is not None:
        if isinstance(seen, TimestampRequestError | ConnectionError | TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# --------------------------------------------------------------------------- BSrE esign API v2

#: BSrE error codes → the official's message. (Codes from the esign API v2 documentation;
#: anything else is reported with BSrE's own text.)
BSRE_GALAT = {
    2031: _l("Passphrase salah. Periksa kembali passphrase sertifikat elektronik BSrE Anda."),
    2011: _l("Sertifikat elektronik Anda tidak aktif atau belum terdaftar di BSrE. Hubungi RA/BSrE instansi Anda."),
    2021: _l("Sertifikat elektronik Anda tidak aktif atau belum terdaftar di BSrE. Hubungi RA/BSrE instansi Anda."),
    2051: _l("Sertifikat elektronik Anda sudah kedaluwarsa. Perbarui sertifikat melalui RA/BSrE."),
}


#: Fonts for the block's picture (BSrE draws the image it is sent), first found wins: Liberation Sans
#: has Helvetica's metrics (the pkcs12 block's font); DejaVu Sans is in the container image.
HURUF_GAMBAR = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _huruf_gambar(ukuran: int):
    from PIL import ImageFont

    for path in HURUF_GAMBAR:
        if os.path.exists(path):
            return ImageFont.truetype(path, ukuran)
    return ImageFont.load_default(size=ukuran)


def gambar_tampilan(
    tampilan: pades.Tampilan, lebar: float = pades.LEBAR_BLOK, tinggi: float = pades.TINGGI_BLOK,
    waktu: str | None = None,
) -> bytes:  # fmt: skip
    """The visible block as a PNG of the box's proportions (BSrE draws the image it is given,
    stretched to the box), in the pkcs12 block's layout (:func:`pades.gaya_blok`): a border, the QR
    code in a square on the left as high as the box, and beside it the same lines —
    "Ditandatangani secara elektronik", name, NIP, office, the time in WIB. The lines are also the PNG's
    standard ``Description`` text, so a reader of the image (and the fake BSrE) has them as text."""
    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    baris = tampilan.baris(waktu or pades.waktu_blok(), lebar=lebar, tinggi=tinggi)
    skala = 4
    w, h = max(int(lebar * skala), 40 * skala), max(int(tinggi * skala), 20 * skala)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, w - 1, h - 1], outline="black", width=skala)
    qr = Image.open(io.BytesIO(pades.gambar_qr(tampilan.url))).convert("RGB")
    img.paste(qr.resize((h - 2 * skala, h - 2 * skala)), (skala, skala))
    # The pkcs12 block's type size (pades.ukuran_blok), shrunk as pyHanko shrinks a text that does not fit.
    titik, spasi = pades.ukuran_blok(baris, lebar, tinggi)
    kiri, kanan = h + 4 * skala, w - 3 * skala
    perlu_lebar = max(pades.lebar_teks(b) for b in baris) * titik
    perlu_tinggi = spasi * len(baris) + 6
    faktor = min(1.0, (kanan - kiri) / skala / perlu_lebar, h / skala / perlu_tinggi)
    ukuran, langkah = max(int(titik * faktor * skala), 8), spasi * faktor * skala
    font = _huruf_gambar(ukuran)
    y = (h - langkah * len(baris)) / 2 + (langkah - ukuran) / 2
    for line in baris:
        draw.text((kiri, y), line, fill="black", font=font)
        y += langkah
    info = PngInfo()
    info.add_itxt("Description", "\n".join(baris))
    out = io.BytesIO()
    img.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


#: A BSrE refusal that is its timestamp service's fault, not the document's or the official's.
_TEKS_TSA = re.compile(r"timestamp|time-stamp|\btsa\b|cap waktu", re.I)


class BsreBackend:
    nama = "bsre"
    butuh_passphrase = True

    def __init__(self, base_url: str | None = None):
        self.base_url = (base_url or settings.SIAKS_TTD_BSRE_URL).rstrip("/")

    def nama_tsa(self) -> str:
        """BSrE timestamps with its own TSA."""
        return _("BSrE (%(u)s)") % {"u": self.base_url or "-"}

    def _post(self, path: str, payload: dict):
        import requests

        if not self.base_url:
            raise TtdError(_("Alamat layanan BSrE belum dikonfigurasi. Hubungi admin platform."))
        user = settings.SIAKS_TTD_BSRE_USER
        auth = (user, settings.SIAKS_TTD_BSRE_PASSWORD) if user else None
        try:
            return requests.post(self.base_url + path, json=payload, auth=auth, timeout=settings.SIAKS_TTD_BSRE_TIMEOUT)
        except requests.Timeout:
            raise _sementara(_("Layanan BSrE tidak menjawab (waktu habis)")) from None
        except requests.ConnectionError:
            raise _sementara(_("Layanan BSrE tidak dapat dihubungi")) from None

    @staticmethod
    def _galat(resp) -> TtdError:
        if resp.status_code >= 500:
            return _sementara(_("Layanan BSrE sedang gangguan (HTTP %(s)d)") % {"s": resp.status_code})
        try:
            body = resp.json()
        except ValueError:
            body = {}
        kode = body.get("status_code")
        if kode in BSRE_GALAT:
            return TtdError(str(BSRE_GALAT[kode]), seluruh_batch=True)
        teks = str(body.get("error") or body.get("message") or "")[:200]
        if _TEKS_TSA.search(teks):
            # BSrE could not get its timestamp (its TSA busy or unreachable): a service fault
            # like a timeout, retried (nothing was signed); never its exception's name.
            return TtdError(
                _("Layanan cap waktu (TSA) BSrE sedang gangguan; dicoba lagi."), sementara=True,
                akhir=_("Layanan cap waktu (TSA) BSrE sedang gangguan dan belum pulih setelah beberapa kali "
                        "dicoba. Tandatangani surat ini lagi dari antrean beberapa saat lagi."),
            )  # fmt: skip
        return TtdError(_("BSrE menolak permintaan tanda tangan: %(t)s") % {"t": teks or resp.status_code})

    def tandatangani(self, data: bytes, *, pejabat, tampilan: pades.Tampilan, field_name: str, passphrase=None,
                     alasan: str = "", lokasi: str = "") -> bytes:  # fmt: skip
        if not pejabat.nik:
            raise TtdError(_("NIK pejabat untuk BSrE belum diisi."))
        if not passphrase:
            raise TtdError(
                _("Passphrase tidak tersedia (sudah kedaluwarsa); ulangi penandatanganan."), seluruh_batch=True
            )
        tempat = pades.letak(data, tampilan)
        if tempat is None:  # no free place on the pages: an invisible signature
            prop = {"tampilan": "INVISIBLE"}
        else:
            x1, y1, x2, y2 = tempat.kotak
            prop = {
                "tampilan": "VISIBLE",
                "imageBase64": base64.b64encode(
                    gambar_tampilan(tampilan, x2 - x1, y2 - y1, waktu=pades.waktu_blok())
                ).decode(),
                "page": tempat.halaman + 1,
                "originX": round(x1, 2),
                "originY": round(y1, 2),
                "width": round(x2 - x1, 2),
                "height": round(y2 - y1, 2),
            }
        payload = {
            "nik": pejabat.nik,
            "passphrase": passphrase,
            "signatureProperties": [{**prop, "location": lokasi, "reason": alasan}],
            "file": [base64.b64encode(data).decode()],
        }
        resp = self._post("/api/v2/sign/pdf", payload)
        del payload
        if resp.status_code != 200:
            raise self._galat(resp)
        try:
            signed = base64.b64decode(resp.json()["file"][0])
        except (ValueError, KeyError, IndexError, TypeError):
            raise _sementara(_("Jawaban BSrE tidak dapat dibaca")) from None
        if not signed.startswith(data):
            raise TtdError(_("BSrE mengembalikan berkas yang bukan pembaruan dari surat yang dikirim."))
        return signed

    def status_pengguna(self, nik: str) -> bool | None:
        """Is the NIK's certificate active at BSrE (``POST /api/v2/user/check/status`` with the JSON
        body ``{"nik": …}``; the NIK in the body, never in a URL that access logs keep)?

        Source (checked 2026-11-30; not BSrE's own documentation, which we could not read): public
        clients that agree — the npm package ``@kiiskominfokepri/esign`` README ("V2 user status |
        POST /api/v2/user/check/status", body ``nik`` or ``email``; v1 was
        ``GET /api/user/status/{nik}`` as in ``pemkotbekasi/node-esign-BSrE``), regional PHP/Node
        clients posting ``{"nik": …}``, and a Laravel client's test double answering
        ``{"status": "ISSUE"}`` for an active certificate. The error codes of this call are
        unverified (docs/ttd-elektronik.md). True: status ``ISSUE``; False: any other
        status or BSrE's "not registered" answer; None: BSrE cannot be asked now (not configured,
        no answer, a 5xx) — the caller warns and lets the official be registered."""
        try:
            resp = self._post("/api/v2/user/check/status", {"nik": nik})
        except TtdError:
            return None
        if resp.status_code >= 500:
            return None
        try:
            body = resp.json()
        except ValueError:
            return None
        if resp.status_code == 200:
            return str(body.get("status") or "").upper() == "ISSUE"
        return False if body.get("status_code") in BSRE_GALAT or resp.status_code == 404 else None

    def daftar_uji(self, *, nik: str, nama: str, nip: str, jabatan: str = "") -> None:
        """Demo only (``SIAKS_TTD_BSRE_DAFTAR_UJI``, never in production settings): the fake BSrE
        of ``ttd_layanan_uji`` issues this official a certificate under its test CA, passphrase
        ``siaks-bsre``, so a new instansi's official can sign in ``make run``. Failures are left
        to the status check that follows."""
        with contextlib.suppress(TtdError):
            self._post("/uji/daftar", {"nik": nik, "nama": nama, "nip": nip, "jabatan": jabatan})

    def verifikasi(self, data: bytes) -> dict:
        resp = self._post("/api/v2/verify/pdf", {"file": base64.b64encode(data).decode()})
        if resp.status_code != 200:
            raise self._galat(resp)
        return resp.json()


def _jumlah_halaman(data: bytes) -> int:
    """Pages of a PDF (bench/ttd_1000.py reports it)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])


def backend_for(pejabat):
    if pejabat.backend == "bsre":
        return BsreBackend()
    return Pkcs12Backend()
