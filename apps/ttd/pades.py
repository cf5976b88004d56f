"""PAdES signing and validation with pyHanko — the part that knows nothing about Django models.

Signing: an incremental update over the exact bytes given (the issued PDF, or the PDF already
carrying earlier signatures), PAdES baseline B-T (CMS with an RFC 3161 signature timestamp from
the TSA), and a visible block: "Ditandatangani secara elektronik", signer name, NIP, office, the
signing time in WIB and the letter's verification QR code — one layout (:func:`gaya_blok`) for
every backend.

Validation: every signature of a PDF against the configured trust roots (no network fetching),
reporting integrity, coverage, modifications after signing, the signing certificate's subject
(NIK/NIP) and fingerprint, and the signature timestamp."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509 as asn1_x509

#: The visible block's natural size (points) where the letter reserves no room for it. The content
#: (QR code and text) shrinks to fit the box the letter reserves.
LEBAR_BLOK, TINGGI_BLOK = 215, 57
#: Margin kept around the block when it has to find a free place on the page.
SELA = 4

#: The first line of the visible block: it reads as a stamp, not as a second signer block (the
#: letter prints the office above the room and the name and NIP below it, as Indonesian letters do).
TEKS_TTE = "Ditandatangani secara elektronik"
#: The block's type sizes in points, largest first, each with its line spacing (whole points:
#: pyHanko writes ``%d Tf`` and takes no fractional height). The first at which every line fits
#: the box is used: the identity in small type, a long office wrapped between its phrases, never
#: inside one. Below 6 points it would not read well: more lines than fit are shrunk a little by
#: pyHanko (about 5.7 points for the longest name with titles and a two-line office).
UKURAN_HURUF = ((7, 9), (6, 7))
#: The words that open an organisation's name inside an office ("Sekretaris Jenderal" |
#: "Kementerian Dalam Negeri"; "Kepala Dinas Tenaga Kerja" | "Pemerintah Kabupaten …"): the block
#: wraps the office only before one of them, so "Kementerian Dalam Negeri" or "Kabupaten Kepulauan
#: Siau Tagulandang Biaro" is never split across lines.
INDUK = frozenset({
    "Kementerian", "Pemerintah", "Kabupaten", "Kota", "Provinsi", "Badan", "Lembaga", "Sekretariat", "Direktorat",
    "Kedeputian", "Deputi", "Pusat", "Dinas", "Kantor", "Biro", "Inspektorat", "Balai", "Bagian", "Bidang",
    "Kepulauan", "Komisi", "Mahkamah", "Kejaksaan", "Kepolisian", "Universitas",
})  # fmt: skip
#: A title whose second word is one of INDUK ("Wali Kota"): no break between them.
_GELAR_JABATAN = frozenset({"Wali"})


def frasa_jabatan(jabatan: str) -> list[str]:
    """The office in the phrases a line may break between: a break before each word of
    :data:`INDUK` that does not continue one ("Pemerintah Kabupaten", "Wali Kota" stay together)."""
    frasa: list[list[str]] = []
    for kata in (jabatan or "").split():
        inti = kata.strip("(),.;:")
        if frasa and inti in INDUK and frasa[-1][-1].strip("(),.;:") not in INDUK | _GELAR_JABATAN:
            frasa.append([kata])
        elif frasa:
            frasa[-1].append(kata)
        else:
            frasa.append([kata])
    return [" ".join(f) for f in frasa]


def bungkus_jabatan(jabatan: str, lebar: float, ukuran: float) -> list[str]:
    """The office on as few lines of ``lebar`` points (Helvetica at ``ukuran``) as its phrases
    allow (:func:`frasa_jabatan`); a phrase longer than a line stays whole on its own line."""
    baris: list[str] = []
    for f in frasa_jabatan(jabatan):
        if baris and lebar_teks(f"{baris[-1]} {f}") * ukuran <= lebar:
            baris[-1] = f"{baris[-1]} {f}"
        else:
            baris.append(f)
    return baris


def bungkus_nama(nama: str, lebar: float, ukuran: float) -> list[str]:
    """The name on one line when it fits ``lebar`` points at ``ukuran``; else the name itself on one
    line and the academic titles after its first comma on the next ("Dr. Raden Ayu Sekar
    Kusumawardhani Prameswari," | "S.H., M.Kn."): never a break inside the name."""
    if lebar_teks(nama) * ukuran <= lebar or ", " not in nama:
        return [nama]
    inti, gelar = nama.split(", ", 1)
    return [f"{inti},", gelar]


def _ruang_teks(lebar: float, tinggi: float) -> tuple[float, float]:
    """The text's room in a block of ``lebar`` × ``tinggi`` points: right of the QR square (as high
    as the box) and its 4-point gap, inside 3-point margins (:func:`gaya_blok`)."""
    return lebar - tinggi - 4 - 3 - 2, tinggi - 6


def muat(baris: list[str], huruf: tuple[int, int], lebar: float, tinggi: float) -> bool:
    """Whether ``baris`` in Helvetica at ``huruf`` (size, spacing) fit the text room of the block."""
    w, h = _ruang_teks(lebar, tinggi)
    ukuran, spasi = huruf
    return all(lebar_teks(b) * ukuran <= w for b in baris) and len(baris) * spasi <= h


def ukuran_blok(baris: list[str], lebar: float, tinggi: float) -> tuple[int, int]:
    """The largest (size, spacing) of :data:`UKURAN_HURUF` at which ``baris`` fit the block (else
    the smallest: pyHanko shrinks the text box to fit, and the PNG of the BSrE path does the same)."""
    return next((u for u in UKURAN_HURUF if muat(baris, u, lebar, tinggi)), UKURAN_HURUF[-1])


def waktu_blok(saat: datetime | None = None) -> str:
    """The signing time as the block prints it, in Asia/Jakarta and the Indonesian form:
    "30 November 2026 16.05 WIB" (now when ``saat`` is None)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from apps.core.format import BULAN

    t = (saat or datetime.now(UTC)).astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{t.day} {BULAN[t.month - 1]} {t.year} {t:%H.%M} WIB"


#: The letters reserve an empty box per signer (apps/surat/templates/surat/pdf: ``_ttd.html`` above
#: the printed name, the berita acara's signature column) marked by two anchors, which WeasyPrint
#: writes as named destinations: ``ttd-ruang-<kunci>`` at its top left corner and
#: ``ttd-ruang-<kunci>-akhir`` at its bottom right corner. ``<kunci>`` is ``nip-<NIP>`` for a named
#: signer (``nama-<slug>`` for one without NIP), or ``utama`` for the one signer of a letter.
JANGKAR = "ttd-ruang-"


def kunci_ruang(nip: str = "", *, nama=(), utama: bool = False) -> tuple[str, ...]:
    """The anchors to look for, first found wins: the signer's NIP, their names (a berita acara
    member without NIP), then the one signer of the letter."""
    from django.utils.text import slugify

    nip = "".join((nip or "").split())  # as printed: "19750101 200003 1 001"
    out = [f"nip-{nip}"] if nip else []
    out += [f"nama-{slugify(n)}" for n in nama if n and slugify(n)]
    return tuple(dict.fromkeys(out + (["utama"] if utama else [])))


@dataclass(frozen=True)
class Tampilan:
    """What the visible signature block shows, and which room of the letter it takes (``ruang``:
    anchor keys, see :data:`JANGKAR`). ``slot`` orders the signatures of one letter."""

    nama: str
    nip: str
    jabatan: str
    url: str
    slot: int = 0
    ruang: tuple[str, ...] = ()

    def baris(self, waktu: str, *, lebar: float = LEBAR_BLOK, tinggi: float = TINGGI_BLOK) -> list[str]:
        """The block's lines, the same for every backend: "Ditandatangani secara elektronik", then the
        signer once in small type — name (titles on a line of their own if it is too long:
        :func:`bungkus_nama`), NIP, office (the registered one, wrapped between its
        phrases to the block's width: :func:`bungkus_jabatan`) — and the signing time
        (:func:`waktu_blok`). Laid out for the largest type at which they fit a block of ``lebar`` ×
        ``tinggi`` points (:func:`ukuran_blok` picks the same size)."""
        teks_w, _h = _ruang_teks(lebar, tinggi)
        out: list[str] = []
        for huruf in UKURAN_HURUF:
            nama = bungkus_nama(self.nama, teks_w, huruf[0])
            jabatan = bungkus_jabatan(self.jabatan, teks_w, huruf[0])
            out = [TEKS_TTE, *nama, f"NIP {self.nip}" if self.nip else "", *jabatan, waktu]
            out = [b for b in out if b]
            if muat(out, huruf, lebar, tinggi):
                break
        return out


@dataclass(frozen=True)
class Letak:
    """Where a block goes: page index (0-based) and box (x1, y1, x2, y2) in PDF points."""

    halaman: int
    kotak: tuple[float, float, float, float]
    dipesan: bool  # the letter reserved this room (False: a free place found on the page)


def _halaman_refs(root) -> list[int]:
    out: list[int] = []

    def walk(ref, depth=0):
        node = ref.get_object()
        if "/Kids" in node and depth < 32:
            kids = node["/Kids"]
            for i in range(len(kids)):
                walk(kids.raw_get(i), depth + 1)
        else:
            out.append(ref.idnum)

    walk(root.raw_get("/Pages"))
    return out


def _tujuan_bernama(root) -> dict[str, tuple[int, float, float]]:
    """The document's named destinations: name → (page object number, left, top)."""
    out: dict[str, tuple[int, float, float]] = {}
    try:
        tree = root["/Names"]["/Dests"]
    except KeyError:
        return out

    def walk(node, depth=0):
        if "/Names" in node:
            arr = node["/Names"]
            for i in range(0, len(arr) - 1, 2):
                nama = str(arr[i])
                if not nama.startswith(JANGKAR):
                    continue
                dest = arr[i + 1]
                if hasattr(dest, "keys") and "/D" in dest:
                    dest = dest["/D"]
                try:
                    out[nama] = (dest.raw_get(0).idnum, float(dest[2]), float(dest[3]))
                except (AttributeError, IndexError, TypeError, ValueError):
                    continue
        if "/Kids" in node and depth < 16:
            for kid in node["/Kids"]:
                walk(kid.get_object(), depth + 1)

    walk(tree)
    return out


def ruang_dipesan(root, kunci: tuple[str, ...]) -> Letak | None:
    """The box the letter reserved for one of ``kunci``, or None."""
    if not kunci:
        return None
    tujuan = _tujuan_bernama(root)
    if not tujuan:
        return None
    halaman = _halaman_refs(root)
    for k in kunci:
        awal, akhir = tujuan.get(JANGKAR + k), tujuan.get(JANGKAR + k + "-akhir")
        if not awal or not akhir or awal[0] != akhir[0] or awal[0] not in halaman:
            continue
        (_p, x1, y2), (_p2, x2, y1) = awal, akhir
        if x2 - x1 < 40 or y2 - y1 < 20:
            continue
        # Inset: the room's edges touch the lines above and below (their font boxes).
        return Letak(halaman.index(awal[0]), (x1 + 1, y1 + SELA / 2, x2 - 1, y2 - SELA / 2), True)
    return None


def _bertumpuk(a, b, sela: float = 0) -> bool:
    return a[0] < b[2] + sela and b[0] < a[2] + sela and a[1] < b[3] + sela and b[1] < a[3] + sela


def _rintangan(data: bytes, halaman: int) -> tuple[tuple[float, float], list[tuple[float, float, float, float]]]:
    """Page size and the boxes of everything printed on a page: text, images, lines."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[halaman]
        size = page.get_size()
        boxes = []
        textpage = page.get_textpage()
        for i in range(textpage.count_rects()):
            boxes.append(tuple(textpage.get_rect(i)))
        for obj in page.get_objects():
            if obj.type != pdfium.raw.FPDF_PAGEOBJ_TEXT:
                boxes.append(tuple(obj.get_bounds()))
        return size, boxes
    finally:
        pdf.close()


def _widget_rects(writer, halaman_ref: int) -> list[tuple[float, float, float, float]]:
    from pyhanko.pdf_utils.generic import IndirectObject

    page = IndirectObject(halaman_ref, 0, writer).get_object()
    out = []
    for annot in page["/Annots"] if "/Annots" in page else ():  # noqa: SIM401 (pyHanko: get() keeps references)
        try:
            r = [float(v) for v in annot.get_object()["/Rect"]]
        except (KeyError, TypeError, ValueError):
            continue
        out.append((min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])))
    return out


def tempat_kosong(data: bytes, writer, *, lebar=LEBAR_BLOK, tinggi=TINGGI_BLOK) -> Letak | None:
    """A free place for the block, from the last page back: nothing printed under it (text,
    images, lines, earlier signature blocks), inside the page margins; the lowest, rightmost one
    (where a signature usually sits)."""
    halaman = _halaman_refs(writer.root)
    for i in range(len(halaman) - 1, -1, -1):
        (w, h), boxes = _rintangan(data, i)
        boxes += _widget_rects(writer, halaman[i])
        tepi = 36
        y = tepi
        while y + tinggi <= h - tepi:
            x = w - tepi - lebar
            while x >= tepi:
                kotak = (x, y, x + lebar, y + tinggi)
                if not any(_bertumpuk(kotak, b, SELA) for b in boxes):
                    return Letak(i, kotak, False)
                x -= 12
            y += 6
    return None


def letak(data: bytes, tampilan: Tampilan, writer=None) -> Letak | None:
    """Where ``tampilan`` goes on ``data``: the room the letter reserved for this signer, else a
    free place; None when the pages have no free place (the signature is then invisible)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    if writer is None:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    dipesan = ruang_dipesan(writer.root, tampilan.ruang)
    if dipesan is not None:
        return dipesan
    return tempat_kosong(data, writer)


#: Room for the CMS signature container (signer certificate and chain, timestamp token with the
#: TSA's chain: about 7 kB DER for RSA-2048). Fixed, so pyHanko does not sign twice (a dry run
#: to measure the container, then the real one).
RUANG_TTD = 16384


def signer_kunci_tetap(signer):
    """The same pyHanko ``SimpleSigner`` whose private key is parsed once, not on every signature.

    pyHanko's ``sign_raw`` re-loads the key from DER for each call, and loading an RSA key
    checks it (about 100 ms of CPU, more than the signature itself); the parsed key is kept on
    the signer object, which the backend caches per process."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers.pdf_cms import SimpleSigner

    class KunciTetap(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mechanism.signature_algo
            except ValueError:
                algo = mechanism["algorithm"].native
            key = getattr(self, "_kunci", None)
            if key is None:
                key = self._kunci = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            if algo == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if algo == "ecdsa":
                return key.sign(data, signature_algorithm=ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)

    signer.__class__ = KunciTetap
    return signer


#: Helvetica's advance widths (per 1000 em) for the characters 32–126 (the standard AFM; Liberation
#: Sans has the same metrics): the block's text box is measured with them, so a proportional font
#: lays out as well as Courier did. Other characters count as a digit's width.
_LEBAR_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip


def lebar_teks(teks: str) -> float:
    """The width of ``teks`` in Helvetica, in em (times the font size: points)."""
    return sum(_LEBAR_HELVETICA[o - 32] if 32 <= (o := ord(c)) <= 126 else 556 for c in teks) / 1000


def _huruf_blok():
    """Helvetica (a PDF standard font: nothing embedded, no cost per signature), measured with
    its real widths. pyHanko's default is Courier, a monospace typewriter face."""
    from pyhanko.pdf_utils.font.api import ShapeResult
    from pyhanko.pdf_utils.font.basic import SimpleFontEngine, SimpleFontEngineFactory

    class Helvetica(SimpleFontEngine):
        def shape(self, txt) -> ShapeResult:
            hasil = super().shape(txt)
            return ShapeResult(graphics_ops=hasil.graphics_ops, x_advance=lebar_teks(txt), y_advance=0)

    class Pabrik(SimpleFontEngineFactory):
        def create_font_engine(self, writer, obj_stream=None):
            return Helvetica(writer, "Helvetica", 0.5)

    return Pabrik("Helvetica", 0.5)


def gambar_qr(url: str) -> bytes:
    """The letter's verification QR code as a PNG (the left square of the block)."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=1)
    return buf.getvalue()


def gambar_qr_pil(url: str):
    """:func:`gambar_qr` as a grey PIL image, pixel for pixel, drawn from the code's modules: the
    signing path does not encode a PNG only to decode it again (~1 ms of CPU per signature)."""
    import segno
    from PIL import Image

    modul = segno.make(url, error="m").matrix
    n = len(modul)
    gambar = Image.new("L", (n + 2, n + 2), 255)  # border=1
    gambar.paste(Image.frombytes("L", (n, n), bytes(0 if v else 255 for baris in modul for v in baris)), (1, 1))
    return gambar.resize(((n + 2) * 8, (n + 2) * 8), Image.NEAREST)  # scale=8


def gaya_blok(baris: list[str], qr_png, tinggi: float, lebar: float = LEBAR_BLOK):
    """The visible block, one layout for every backend (the ``pkcs12`` path here, and the fake
    BSrE, which draws the lines and the QR code the portal sends it): the QR code in a square on
    the left, as high as the box, and beside it ``baris`` in Helvetica at the largest size of
    :data:`UKURAN_HURUF` that fits the ``lebar`` × ``tinggi`` box (:func:`ukuran_blok`)."""
    from PIL import Image
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    kiri = SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID)
    ukuran, spasi = ukuran_blok(baris, lebar, tinggi)
    qr = qr_png if isinstance(qr_png, Image.Image) else Image.open(io.BytesIO(qr_png))  # PNG bytes or a PIL image
    return TextStampStyle(
        stamp_text="\n".join(b.replace("%", "%%") for b in baris),
        # No padding inside the text box (pyHanko's default adds 10 points on each side, which
        # shrank the text to about 4 points in a letter's signature room).
        text_box_style=TextBoxStyle(
            font=_huruf_blok(), font_size=ukuran, leading=spasi,
            box_layout_rule=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID),
        ),
        # Grey, not RGB: a black-and-white code, a third of the pixels to compress per signature.
        border_width=1, background=PdfImage(qr.convert("L")),
        background_layout=kiri, background_opacity=1,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID,
            margins=Margins(left=tinggi + 4, right=3, top=3, bottom=3),
        ),
    )  # fmt: skip


def nama_field(pejabat_id: int | str) -> str:
    return f"TTE-{pejabat_id}"


def tandatangani(data: bytes, signer, *, tampilan: Tampilan, field_name: str, timestamper, alasan: str = "",
                 lokasi: str = "") -> bytes:  # fmt: skip
    """The signed PDF: ``data`` followed by one incremental update with the signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    tempat = letak(data, tampilan, writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=alasan or None,
        location=lokasi or None,
        name=tampilan.nama,
    )
    if tempat is None:  # no free place on any page: an invisible signature (still PAdES, still verifiable)
        spec = fields.SigFieldSpec(sig_field_name=field_name)
    else:
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=tempat.halaman, box=tempat.kotak)
    gaya = None
    if tempat is not None:
        x1, y1, x2, y2 = tempat.kotak
        baris = tampilan.baris(waktu_blok(), lebar=x2 - x1, tinggi=y2 - y1)
        gaya = gaya_blok(baris, gambar_qr_pil(tampilan.url), y2 - y1, lebar=x2 - x1)
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=gaya, new_field_spec=spec)
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=RUANG_TTD)
    return out.getvalue()


# --------------------------------------------------------------------------- certificates

_DIGITS = re.compile(r"\d{16,18}")


def identitas_sertifikat(cert: asn1_x509.Certificate) -> dict:
    """Name, NIK and NIP from a signer certificate's subject, and its SHA-256 fingerprint."""
    subject = cert.subject.native
    teks = " ".join(
        str(subject.get(k, "")) for k in ("serial_number", "organizational_unit_name", "common_name", "title")
    )
    nik = nip = ""
    for nomor in _DIGITS.findall(teks):
        if len(nomor) == 18 and not nip:
            nip = nomor
        elif len(nomor) == 16 and not nik:
            nik = nomor
    ou = subject.get("organizational_unit_name")
    return {
        "nama": str(subject.get("common_name", "")),
        "organisasi": str(subject.get("organization_name", "")),
        "unit": ", ".join(ou) if isinstance(ou, list) else str(ou or ""),
        "nik": nik,
        "nip": nip,
        "sidik_jari": cert.sha256.hex(),
        "penerbit": str(cert.issuer.native.get("common_name", "")),
        "berlaku_sampai": cert["tbs_certificate"]["validity"]["not_after"].native,
    }


def muat_sertifikat_pem(data: bytes) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem

    certs = []
    if not data:
        return certs
    if pem.detect(data):
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            certs.append(asn1_x509.Certificate.load(der))
    else:
        certs.append(asn1_x509.Certificate.load(data))
    return certs


# --------------------------------------------------------------------------- validation


@dataclass
class StatusTtd:
    """One embedded signature, checked."""

    field: str
    utuh: bool
    sah_kriptografis: bool
    terpercaya: bool
    mencakup_seluruh_berkas: bool
    diubah_setelah_ttd: bool
    waktu: datetime | None
    waktu_terpercaya: bool
    penandatangan: dict
    batas_revisi: int  # bytes of the file this signature covers (its revision's end)
    masalah: list[str] = field(default_factory=list)
    #: A trusted signature's chain by name: the trust root, then the CAs between it and the signer.
    akar: str = ""
    perantara: list[str] = field(default_factory=list)


def konteks_validasi(trust_roots, other_certs):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(trust_roots), other_certs=list(other_certs), allow_fetching=False,
        revocation_mode="soft-fail",
    )  # fmt: skip


def periksa(data: bytes, *, trust_roots, other_certs=()) -> list[StatusTtd]:
    """Check every signature in ``data``. Raises ``ValueError`` for a file that is not a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    hasil = []
    sigs = list(reader.embedded_regular_signatures)
    for i, sig in enumerate(sigs):
        status = validate_pdf_signature(sig, signer_validation_context=konteks_validasi(trust_roots, other_certs))
        ts = status.timestamp_validity
        coverage = status.coverage
        terakhir = i == len(sigs) - 1
        mod = getattr(status, "modification_level", None)
        diff_ok = status.docmdp_ok is not False and (
            coverage == SignatureCoverageLevel.ENTIRE_FILE
            or (not terakhir and coverage == SignatureCoverageLevel.ENTIRE_REVISION)
        )
        if terakhir and coverage != SignatureCoverageLevel.ENTIRE_FILE:
            diff_ok = False
        if mod is not None and mod.name not in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
            diff_ok = False
        byte_range = sig.byte_range
        st = StatusTtd(
            field=sig.field_name,
            utuh=bool(status.intact),
            sah_kriptografis=bool(status.intact and status.valid),
            terpercaya=bool(status.trusted),
            mencakup_seluruh_berkas=coverage == SignatureCoverageLevel.ENTIRE_FILE,
            diubah_setelah_ttd=not diff_ok,
            waktu=ts.timestamp if ts is not None else None,
            waktu_terpercaya=bool(ts is not None and ts.intact and ts.valid and ts.trusted),
            penandatangan=identitas_sertifikat(status.signing_cert),
            batas_revisi=byte_range[2] + byte_range[3],
        )
        if st.terpercaya and status.validation_path is not None:
            st.akar, st.perantara = rantai_nama(status.validation_path)
        hasil.append(st)
    return hasil


def _nama_cn(name) -> str:
    native = name.native
    return str(native.get("common_name") or native.get("organization_name") or name.human_friendly)


def rantai_nama(path) -> tuple[str, list[str]]:
    """(the trust root's name, the names of the CAs below it, root side first) of a pyHanko
    validation path: what "chained to a trusted root" means for this signature."""
    akar = _nama_cn(path.trust_anchor.authority.name)
    certs = list(path.iter_certs(include_root=False))
    perantara = [_nama_cn(c.subject) for c in certs[:-1]]  # the last is the signer's own certificate
    return akar, [n for n in perantara if n != akar]
