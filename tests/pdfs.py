"""PDFs (good and hostile) built in memory for the upload tests."""

from __future__ import annotations

import io

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def _write(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def valid_pdf(pages: int = 1, padding: int = 0) -> bytes:
    """A clean PDF; ``padding`` adds that many bytes of an uncompressed page content stream."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if padding:
        from pypdf.generic import DecodedStreamObject

        stream = DecodedStreamObject()
        stream.set_data(b"% " + b"x" * padding + b"\n")
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    return _write(writer)


def javascript_open_action_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x')")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _write(writer)


def javascript_in_annotation_pdf() -> bytes:
    """JavaScript hidden in a link annotation of the page, not in the catalog."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")})
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]),
            NameObject("/A"): action,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    return _write(writer)


def launch_pdf() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    return _write(writer)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("rahasia")
    return _write(writer)


def exe_bytes() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode"
    )


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"\x00garbage" * 100


def pindaian(pdf: bytes, *, catatan: str = "Dipindai setelah ditandatangani basah", dpi: int = 150) -> bytes:
    """A stand-in for the scan of a printed and wet-signed ``pdf``: each page rendered at ``dpi``
    to a greyscale JPEG and written as an image-only PDF with the scanner's metadata, as a
    scanner makes it (no text layer, no electronic signature, never byte-identical to ``pdf``).
    The letter's QR code stays readable (apps.surat.qr reads it back)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    out = io.BytesIO()
    pages[0].save(
        out, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi), quality=80,
        producer="Pemindai dokumen", subject=catatan,
    )  # fmt: skip
    return out.getvalue()


def pdf_dokumen(kunci: str) -> bytes:
    """A clean PDF of its own for the document ``kunci`` (e.g. a slot of an usulan): the same
    ``kunci`` gives the same bytes, another one other bytes — a portal that refuses one file in
    two slots (apps.penetapan.services.dokumen_unggah) gets distinct files."""
    import zlib

    return valid_pdf(padding=1 + zlib.crc32(kunci.encode()) % 4096)
