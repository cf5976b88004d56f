"""Issue 13 §6: every letter, rendered with the realistic worst cases (three-line letterheads, the
longest instansi name, names with academic titles, long letter numbers), read back with
``pdftotext -layout``: page counts, and no golongan, NIP, date or letter number broken across
lines (body and footer), and no table cells run together."""

from __future__ import annotations

import re
import shutil

import pytest

from apps.surat.models import JenisSurat
from tests.surat.conftest import (
    INSTANSI_TERPANJANG,
    NAMA_TERPANJANG,
    PENANDATANGAN_PEMBINA_TERPANJANG,
    PENANDATANGAN_TERPANJANG,
    PYB_TERPANJANG,
    layout_text,
    nama_terburuk,
    terbitkan_penetapan,
    terbitkan_semua,
    versi_berlaku,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def halaman(text: str) -> int:
    return text.count("\f") + (0 if text.endswith("\f") else 1)


def utuh(text: str, token: str) -> bool:
    """The token appears whole on one line (not broken across lines)."""
    return any(token in line for line in text.splitlines())


def test_every_letter_with_the_worst_cases_keeps_its_tokens_whole(diputuskan, staf, pk, instansi_a, ppk_pk):
    letters = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    texts = {name: layout_text(versi_berlaku(s)) for name, s in letters.items()}

    # Page counts: the SK per pegawai and the PAK on one A4 page; the others within bounds.
    assert halaman(texts["sk"]) == 1, texts["sk"]
    assert halaman(texts["pak"]) == 1, texts["pak"]
    assert halaman(texts["sk-kolektif"]) == 2  # the decision, then the landscape lampiran
    assert halaman(texts["rekomendasi"]) == 2  # the letter, then the lampiran
    assert halaman(texts["berita-acara"]) <= 2
    assert halaman(texts["berita-acara-seleksi"]) <= 2

    for name, surat in letters.items():
        text = texts[name]
        versi = versi_berlaku(surat)
        # The letter number: whole in the body (heading) and in the footer of every page.
        assert utuh(text, surat.nomor), (name, surat.nomor)
        pages = text.split("\f")
        for page in (p for p in pages if p.strip()):
            assert utuh(page, versi.kode), (name, "footer code")
            assert surat.nomor in page, (name, "footer number on every page")
        for row in versi.isi.get("pegawai", []) if isinstance(versi.isi.get("pegawai"), list) else []:
            assert utuh(text, row["nip"]), (name, row["nip"])
            assert utuh(text, f"({row['golongan']})"), (name, row["golongan"])
        # No NIP glued to the next column, no golongan glued to the jenjang.
        assert not re.search(r"\d{18}[^\s\d]", text), name
        assert not re.search(r"\(I{1,3}V?/[a-e]\)[A-Za-z0-9]", text), name

    for name in ("sk", "pak"):
        p = versi_berlaku(letters[name]).isi["pegawai"]
        p = p[0] if isinstance(p, list) else p
        nip, gol = p["nip"], p["golongan"]
        assert utuh(texts[name], nip) and utuh(texts[name], gol), name
    # Dates whole: the letters' dates, the TMT and the signer's NIP.
    for name in ("sk", "sk-kolektif", "pak"):
        assert utuh(texts[name], "20 Agustus 2026"), name
        assert utuh(texts[name], "1 September 2026"), name
        assert utuh(texts[name], PENANDATANGAN_TERPANJANG[2]), name
    assert utuh(texts["rekomendasi"], "3 Agustus 2026")
    assert utuh(texts["rekomendasi"], "10 Juni 2026")
    assert utuh(texts["rekomendasi"], PENANDATANGAN_PEMBINA_TERPANJANG[2])
    # The worst-case strings themselves reach the letters.
    assert NAMA_TERPANJANG.split(",")[0] in " ".join(texts["sk"].split())
    assert INSTANSI_TERPANJANG.upper() in texts["sk"]


def test_a_corrected_sk_keeps_to_one_page_and_states_its_correction_once(diputuskan, staf, pk, instansi_a, ppk_pk):
    """A correction (a new version) of the worst-case SK per pegawai: its banner is printed once,
    under the letterhead, and the signer block stays on the first page (it printed twice and
    pushed the signature onto a page of its own)."""
    from apps.surat import services
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import as_user

    sk = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)["sk"]
    alasan = "Tempat lahir dan gelar akademik pegawai keliru ditulis pada versi sebelumnya sehingga diperbaiki"
    with as_user(ppk_pk):
        services.surat_koreksi(actor=ppk_pk, surat=sk, alasan=alasan)
    render_antrean()
    versi = versi_berlaku(sk)
    assert versi.versi == 2
    text = layout_text(versi)
    assert halaman(text) == 1, text
    assert " ".join(text.split()).count("menggantikan versi sebelumnya") == 1


def test_the_penetapan_letters_with_the_worst_cases_keep_their_tokens_whole(referensi):
    """The periodic PAK and the HAPAK (apps.penetapan): one A4 page each, the number whole in the
    heading and in every page's footer, the NIPs, golongan and dates whole, no cells run together;
    the three-line letterhead, the longest instansi name and the titled names reach the letters."""
    from django.utils import timezone

    from apps.core.format import tgl

    letters = terbitkan_penetapan(referensi)
    assert {s.jenis for s in letters.values()} == {JenisSurat.PAK_AK, JenisSurat.HAPAK}
    texts = {name: layout_text(versi_berlaku(s)) for name, s in letters.items()}
    assert halaman(texts["pak-ak"]) == 1, texts["pak-ak"]
    assert halaman(texts["hapak"]) == 1, texts["hapak"]
    for name, surat in letters.items():
        text, versi = texts[name], versi_berlaku(surat)
        assert utuh(text, surat.nomor), (name, surat.nomor)
        for page in (p for p in text.split("\f") if p.strip()):
            assert utuh(page, versi.kode) and surat.nomor in page, (name, "footer")
        p = versi.isi["pejabat"]
        assert utuh(text, p["nip"]), name
        if name == "pak-ak":  # the HAPAK prints no pangkat
            assert utuh(text, f"({p['golongan']})"), name
        assert utuh(text, tgl(timezone.localdate())), name
        assert not re.search(r"\d{18}[^\s\d),;.]", text), name  # "(NIP …)" closes on its bracket
        assert not re.search(r"\(I{1,3}V?/[a-e]\)[A-Za-z0-9]", text), name
        flat = " ".join(text.split())
        assert "KEPULAUAN SIAU TAGULANDANG BIARO" in text and "Jalan Raya Ulu Siau Nomor 1" in flat, name
        assert p["nama"] == (NAMA_TERPANJANG if name == "hapak" else nama_terburuk(1)), name
        assert p["nama"] in flat, name
    assert utuh(texts["pak-ak"], PYB_TERPANJANG[2])
    assert "Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si." in " ".join(texts["pak-ak"].split())
    assert "197203151998031004" in texts["hapak"] or "Wirjosoemarto" in texts["hapak"]
