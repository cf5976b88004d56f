"""Issue 13 §6, fresh-eye walk: the SK per pegawai kept running onto a second page that held only the
signature block, with a three-line letterhead whose third line is long, a long address, the longest
titled names, a long unit kerja, a long signer title ("… selaku Pejabat yang Berwenang"), the AKS
mengingat (its regulations and juklak) and the PAK issued with the SK; and still after "Perbaiki
surat" (a version 2 with its correction note). The letters are rendered one layout level tighter
while they run over (apps/surat/pdf.py), never with body text below 10 pt; read back with
``pdftotext -layout`` (pages, whole tokens) and pypdf (font sizes)."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter
from datetime import date
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from apps.surat import pdf
from apps.surat.models import JenisSurat
from tests.surat.conftest import (
    INSTANSI_TERPANJANG,
    all_tenants,
    layout_text,
    render_antrean,
    versi_berlaku,
)
from tests.verifikasi.conftest import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

KOP = (
    "PEMERINTAH KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO\n"
    "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA DAERAH\n"
    "BIDANG PENGADAAN, PEMBERHENTIAN DAN INFORMASI KEPEGAWAIAN APARATUR SIPIL NEGARA"
)
ALAMAT = "Jalan Sentot Alibasyah Nomor 1, Kelurahan Lebakgede, Kecamatan Coblong, Kota Bandung, Kode Pos 40132"
NAMA = "Prof. Dr. Ir. Hj. Sekar Ayu Kusumaningrum Wicaksono Adiningrat, S.H., M.Kn., M.Sc., Ph.D."
PEGAWAI = {
    "nama": NAMA,
    "tempat_lahir": "Kabupaten Kepulauan Siau Tagulandang Biaro",
    "jabatan_saat_ini": "Pengelola Kerja Sama Daerah dan Hubungan Antar Lembaga Pemerintahan",
    "unit_kerja": "Bidang Kerja Sama Luar Negeri, Biro Pemerintahan dan Kerja Sama Sekretariat Daerah Kabupaten "
    "Kepulauan Siau Tagulandang Biaro",
}
JABATAN = "Sekretaris Daerah Kabupaten Kepulauan Siau Tagulandang Biaro selaku Pejabat yang Berwenang"
PENANDATANGAN = ("Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si.", JABATAN, "196805121993031002")


def halaman(text: str) -> int:
    return text.count("\f") + (0 if text.endswith("\f") else 1)


def utuh(text: str, token: str) -> bool:
    return any(token in line for line in text.splitlines())


def kolom(text: str, anchor: str) -> str:
    """The text of the column that starts with ``anchor`` (read down from its line, right of the
    anchor's column), as one string."""
    lines = text.splitlines()
    i, col = next((i, line.index(anchor)) for i, line in enumerate(lines) if anchor in line)
    return " ".join(" ".join(line[col:].split()) for line in lines[i:] if line[col:].strip())


def ukuran_huruf(data: bytes) -> list[tuple[float, str]]:
    """(font size in pt as printed, text) of every text run of the PDF's pages."""
    runs = []
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, _font, size):
            if text.strip():
                skala = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
                runs.append((round(size * skala, 2), text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def berkas(versi) -> bytes:
    with versi.berkas.open("rb") as fh:
        return fh.read()


def _terbitkan_terburuk(diputuskan, staf, jf, aks, instansi, ppk):
    """The fresh-eye combination, issued through the services: SK per pegawai + PAK."""
    from apps.core.models import Instansi
    from apps.pengusulan.models import Usulan
    from apps.referensi.models import JabatanFungsional
    from apps.surat import services
    from tests.surat.conftest import terbitkan_rekomendasi

    # The mengingat: the AKS regulations and juklak (Permensesneg 3/2024) and the JF's own.
    JabatanFungsional.objects.filter(pk=jf.pk).update(peraturan=list(aks.peraturan) + list(jf.peraturan))
    lulus, _t, _s = diputuskan(1, 0, terburuk=True)
    Instansi.objects.filter(pk=instansi.pk).update(
        nama=INSTANSI_TERPANJANG, kop_surat=KOP, alamat=ALAMAT, kota="Ondong Siau"
    )
    with all_tenants():
        usulan = Usulan.objects.get(pk=lulus[0].pk)
        usulan.data_pegawai = {**usulan.data_pegawai, **PEGAWAI}
        usulan.pegawai_nama = NAMA
        usulan.save(update_fields=["data_pegawai", "pegawai_nama"])
    terbitkan_rekomendasi(staf, jf, instansi)
    with as_user(ppk):
        letters = services.sk_terbitkan(
            actor=ppk, usulan_ids=[usulan.pk], tanggal=date(2026, 11, 30), tmt=date(2026, 12, 1),
            penandatangan=PENANDATANGAN,
        )  # fmt: skip
    render_antrean()
    return {s.jenis: s for s in letters}


def _periksa(versi, surat):
    """One page; the tokens whole; no body text below the floor (small print only: the letterhead's
    address, the correction note, the tembusan and the footer)."""
    data = berkas(versi)
    text = layout_text(versi)
    assert halaman(text) == 1, text
    assert versi.jumlah_halaman == 1
    isi = versi.isi
    p = isi["pegawai"][0] if isinstance(isi["pegawai"], list) else isi["pegawai"]
    for token in (surat.nomor, p["nip"], f"({p['golongan']})", "30 November 2026", "1 Desember 2026",
                  f"NIP {PENANDATANGAN[2]}", versi.kode):  # fmt: skip
        assert utuh(text, token), (token, text)
    assert not re.search(r"\d{18}[^\s\d),;.]", text)
    # The letterhead: each line whole on one line (the long third line too).
    for baris in KOP.splitlines():
        assert utuh(text, baris), (baris, text)
    kecil = " ".join(
        [
            *KOP.splitlines(), ALAMAT, "Tembusan:", *isi.get("tembusan", []),
            "Verifikasi keaslian: pindai kode QR atau buka", pdf.url_verifikasi(versi.kode),
            f"Kode {versi.kode} · versi {versi.versi}", surat.nomor, "Halaman 1 dari 1",
            f"Versi {versi.versi} — menggantikan versi sebelumnya. Alasan perbaikan: {versi.alasan}",
            f"(selengkapnya: riwayat versi surat, kode {versi.kode})",
        ]
    )  # fmt: skip
    runs = ukuran_huruf(data)
    kecil_flat = " ".join(kecil.split())
    for size, run in runs:
        if size < pdf.HURUF_MIN_PT:
            # (the correction note shortens its reason with "…")
            assert re.fullmatch(r"\d+\.", run) or all(  # a list number of the tembusan
                " ".join(part.split()).strip() in kecil_flat for part in run.split("…")
            ), (size, run)
    sizes = Counter()
    for size, run in runs:
        sizes[size] += len(run)
    assert sizes.most_common(1)[0][0] >= pdf.HURUF_MIN_PT, sizes
    return text


def test_the_worst_sk_per_pegawai_and_its_correction_keep_to_one_page(diputuskan, staf, pk, aks, instansi_a, ppk_pk):
    from apps.surat import services

    letters = _terbitkan_terburuk(diputuskan, staf, pk, aks, instansi_a, ppk_pk)
    sk, pak_surat = letters[JenisSurat.SK], letters[JenisSurat.PAK]
    versi = versi_berlaku(sk)
    text = _periksa(versi, sk)
    flat = " ".join(text.split())
    assert "Peraturan Menteri Sekretaris Negara Nomor 3 Tahun 2024" in flat  # the AKS juklak
    assert NAMA in flat and PEGAWAI["unit_kerja"] in flat
    assert f"Penetapan Angka Kredit Nomor {pak_surat.nomor}" in flat  # KETIGA: the PAK issued with the SK
    ttd = kolom(text, "Ditetapkan di Ondong Siau")  # the signer block, beside the tembusan
    assert f"{JABATAN}," in ttd, ttd
    assert utuh(text, PENANDATANGAN[0]) and utuh(text, f"NIP {PENANDATANGAN[2]}")
    pak_text = _periksa(versi_berlaku(pak_surat), pak_surat)
    # One letterhead for the issuer's letters: the SK and the PAK print the same lines (the PAK printed
    # "DAERAH" on a line of its own), each kop line at the same size.
    kop = KOP.splitlines()  # the kop's lines are the whole letterhead: the alamat is not added (L1)
    assert ALAMAT not in " ".join(text.split()) and ALAMAT not in " ".join(pak_text.split())
    assert [line.strip() for line in text.splitlines()[: len(kop)]] == kop, text
    assert [line.strip() for line in pak_text.splitlines()[: len(kop)]] == kop, pak_text
    ukuran = [
        {run: size for size, run in ukuran_huruf(berkas(versi_berlaku(s))) if run in kop} for s in (sk, pak_surat)
    ]
    assert ukuran[0] == ukuran[1] and len(ukuran[0]) == len(kop), ukuran

    # "Perbaiki surat": version 2 prints its correction note, and keeps to one page too.
    alasan = ("Tempat lahir dan gelar akademik pegawai keliru ditulis pada versi sebelumnya sehingga diperbaiki. " * 7)[
        :600
    ]
    with as_user(ppk_pk):
        services.surat_koreksi(actor=ppk_pk, surat=sk, alasan=alasan)
    render_antrean()
    versi2 = versi_berlaku(sk)
    assert versi2.versi == 2
    text2 = _periksa(versi2, sk)
    assert "menggantikan versi sebelumnya" in " ".join(text2.split())


def _versi_lepas(isi: dict, jenis: str = "sk") -> SimpleNamespace:
    """A version not stored (rendered in memory only) with ``isi``."""
    return SimpleNamespace(isi=isi, kode="UJI1-UJI1-UJ", versi=1, alasan="", surat=SimpleNamespace(jenis=jenis))


def test_an_sk_too_long_for_any_level_keeps_its_signature_with_the_last_diktum(
    diputuskan, staf, pk, aks, instansi_a, ppk_pk, caplog
):
    """Past the tightest level (a mengingat three times as long) the SK runs onto a second page, but
    that page carries the closing diktum with the signer block, never the signature alone; the
    overflow is logged. A letter that fits at its own level is rendered once, at that level."""
    letters = _terbitkan_terburuk(diputuskan, staf, pk, aks, instansi_a, ppk_pk)
    isi = versi_berlaku(letters[JenisSurat.SK]).isi
    panjang = _versi_lepas({**isi, "mengingat": isi["mengingat"] * 3})
    with caplog.at_level("WARNING", logger="apps.surat.pdf"):
        data, pages = pdf.render_pdf(panjang)
    assert pages == 2
    assert "tidak muat satu halaman" in caplog.text
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    satu, dua = text.decode().split("\f")[:2]
    assert "Ditetapkan di" not in satu and "KEEMPAT" not in satu
    assert "KEEMPAT" in dua and "Keputusan ini mulai berlaku" in dua and "Ditetapkan di" in dua
    assert f"NIP {PENANDATANGAN[2]}" in dua

    # A short SK fits at level 0: rendered once.
    p = isi["pegawai"][0]
    pendek = _versi_lepas({
        **isi, "mengingat": isi["mengingat"][:4],
        "penerbit": {**isi["penerbit"], "baris": ["PEMERINTAH KABUPATEN SLEMAN"]},
        "pegawai": [{**p, "nama": "Ani Wulandari, S.E.", "unit_kerja": "Dinas Tenaga Kerja", "tempat_lahir": "Sleman",
                     "jabatan_lama": "Pengadministrasi Umum"}],
    })  # fmt: skip
    calls = []
    asli = pdf._dokumen

    def hitung(versi, level):
        calls.append(level)
        return asli(versi, level)

    pdf._dokumen = hitung
    try:
        _data, pages = pdf.render_pdf(pendek)
    finally:
        pdf._dokumen = asli
    assert pages == 1 and calls == [0], calls
