"""Where the visible signature block lands: in the room each letter reserves for its signer (above
the printed name; the berita acara's signature column, one per member), never over the letter's
text — read back from real signed PDFs with ``pdftotext -bbox`` (the letter's words) and pyHanko
(the signature widgets)."""

from __future__ import annotations

import shutil

import pytest

from apps.ttd import pades
from tests.surat.conftest import terbitkan_semua, versi_berlaku
from tests.ttd.letak import bertumpuk, kata, periksa_letak, widgets

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def test_every_letter_type_is_signed_in_its_reserved_room_over_no_text(
    diputuskan, staf, pk, instansi_a, ppk_pk, penanda
):
    """The inpassing's letters (the periodic PAK and the HAPAK: tests/penetapan/test_ttd_letak.py)."""
    letters = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    assert set(letters) == {"sk", "sk-kolektif", "rekomendasi", "pak", "berita-acara", "berita-acara-seleksi"}
    for name, surat in letters.items():
        periksa_letak(name, versi_berlaku(surat), penanda)


def test_a_letter_without_a_reserved_room_gets_a_free_place(penanda):
    """A PDF that marks no room (a letter rendered before the rooms existed): the block goes to a
    free place of the page, over no text, line or image."""
    import weasyprint

    from apps.surat.pdf import aset

    fonts, _css, _ua = aset()
    isi = "".join(f"<p>Baris isi surat nomor {i} dengan teks yang cukup panjang.</p>" for i in range(34))
    ttd = "<div style='margin-left:9cm'>Kepala Badan,<br><br><b>Ir. Budi Santoso</b><br>NIP 196805121993031002</div>"
    html = f"<html><body style='font-size:11pt'>{isi}<hr>{ttd}</body></html>"
    issued = weasyprint.HTML(string=html).write_pdf(font_config=fonts)
    tampilan = pades.Tampilan("Ir. Budi Santoso", "196805121993031002", "Kepala Badan", "https://x/v/K/",
                              ruang=pades.kunci_ruang("196805121993031002", utama=True))  # fmt: skip
    signed = pades.tandatangani(issued, penanda, tampilan=tampilan, field_name="TTE-1", timestamper=None)
    tempat = pades.letak(issued, tampilan)
    assert tempat is not None and not tempat.dipesan
    ((_f, page, rect),) = widgets(signed)
    words = kata(issued)
    assert not [w for box, w in words[page] if bertumpuk(box, rect)]
    # A second signer finds another free place, clear of the first block.
    signed2 = pades.tandatangani(signed, penanda, tampilan=tampilan, field_name="TTE-2", timestamper=None)
    (_a, p1, r1), (_b, p2, r2) = widgets(signed2)
    assert p1 != p2 or not bertumpuk(r1, r2)
    assert not [w for box, w in words[p2] if bertumpuk(box, r2)]
