"""Where a visible signature block lands, read back from real PDFs: the letter's words with their
boxes (``pdftotext -bbox``), the signature widgets (pyHanko), and ``periksa_letak`` — sign a letter
version by every signer it names and check each block sits in its signer's room over no text
(tests/ttd/test_letak.py, tests/penetapan/test_ttd_letak.py)."""

from __future__ import annotations

import io
import re
import subprocess
from types import SimpleNamespace

from pyhanko.pdf_utils.reader import PdfFileReader

from apps.ttd import pades, validasi
from apps.ttd.tasks import _tampilan
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def kata(data: bytes) -> list[list[tuple[tuple[float, float, float, float], str]]]:
    """Per page, each word with its box in PDF points (origin bottom left, as the widgets')."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout
    pages = []
    for chunk in html.decode("utf-8").split("<page ")[1:]:
        height = float(_PAGE.match("<page " + chunk).group(2))
        words = []
        for x1, y1, x2, y2, text in _WORD.findall(chunk):
            words.append(((float(x1), height - float(y2), float(x2), height - float(y1)), text))
        pages.append(words)
    return pages


def widgets(data: bytes) -> list[tuple[str, int, tuple[float, float, float, float]]]:
    """(field name, page index, rectangle) of every signature widget."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    out = []
    for i in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(i)[0].get_object()
        for annot in page["/Annots"] if "/Annots" in page else ():  # noqa: SIM401 (get() keeps references)
            annot = annot.get_object()
            field = annot if "/FT" in annot or "/Parent" not in annot else annot["/Parent"]
            if field.get("/FT") == "/Sig":
                r = [float(v) for v in annot["/Rect"]]
                name = str(field["/T"])
                out.append((name, i, (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))))
    return out


def cari(words, teks: str) -> list[tuple[float, float, float, float]]:
    """The boxes of every occurrence of ``teks`` as consecutive words (one line)."""
    target = teks.split()
    out = []
    for i in range(len(words) - len(target) + 1):
        run = words[i : i + len(target)]
        if [w for _b, w in run] == target and max(b[1] for b, _w in run) - min(b[1] for b, _w in run) < 3:
            boxes = [b for b, _w in run]
            out.append((boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes)))
    return out


def bertumpuk(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def tandatangani_semua(versi, penanda) -> tuple[bytes, list]:
    """The letter signed by every signer it names, in order, as the worker places them."""
    data = baca(versi.berkas)
    with all_tenants():
        harapan = validasi.harapan_untuk(versi.surat)
    for slot, h in enumerate(harapan):
        pejabat = SimpleNamespace(nama=h.nama, nip=h.nip, jabatan="Anggota Tim", user=h.nama)
        data = pades.tandatangani(
            data, penanda, tampilan=_tampilan(versi, pejabat, slot), field_name=f"TTE-{slot}", timestamper=None
        )
    return data, harapan


def periksa_letak(name: str, versi, penanda) -> None:
    """Sign ``versi`` by every signer it names and check where each block landed."""
    issued = baca(versi.berkas)
    signed, harapan = tandatangani_semua(versi, penanda)
    words = kata(issued)  # the letter's own text (signing adds no page content, only widgets)
    boxes = widgets(signed)
    assert len(boxes) == len(harapan) >= 1, name
    # No signature block covers any word of the letter, nor another block.
    for field, page, rect in boxes:
        covered = [w for box, w in words[page] if bertumpuk(box, rect)]
        assert not covered, (name, field, covered)
    for i, (_f, page, rect) in enumerate(boxes):
        for _f2, page2, rect2 in boxes[i + 1 :]:
            assert page != page2 or not bertumpuk(rect, rect2), name
    # Each block sits in its signer's room: just above the printed name and NIP (in the same
    # column), or beside the member's row of the berita acara's signature table.
    for h, (_field, page, rect) in zip(harapan, boxes, strict=True):
        found = cari(words[page], " ".join(h.nama.split()[:3]))  # long names wrap
        assert found, (name, h.nama)
        nama = found[-1]  # the signature table's (the berita acara's attendance table comes first)
        if name.startswith("berita-acara"):
            assert rect[0] >= nama[2] and abs(rect[3] - nama[3]) < 10, (name, rect, nama)
        else:
            assert rect[1] >= nama[3] and rect[1] - nama[3] < 15, (name, rect, nama)  # just above the name
            assert rect[0] <= nama[0] + 1, (name, rect, nama)
            if h.nip:
                nip = cari(words[page], f"NIP {h.nip}")[-1]
                assert nip[3] <= nama[1] + 1 and not bertumpuk(nip, rect), (name, rect, nip)
