"""Issue 17, fresh-eye walk items 2 and 3 (helper i17d): the visible signature block prints the
official as registered in the portal — name, NIP and office, never the certificate's organisation
("Instansi Uji" in the demo) — and has one layout for both backends: the lines "Ditandatangani
secara elektronik", name, NIP, office, the signing time in WIB ("30 November 2026 16.05 WIB"), beside
the QR code. Read back from real signed PDFs with ``pdftotext``."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.ttd import services
from apps.ttd.models import Pejabat, TandaTangan
from tests.surat.conftest import PENANDATANGAN_PPK, all_tenants
from tests.ttd.conftest import BSRE_PASSPHRASE, NIK_PPK, baca, daftar_pejabat, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

WAKTU = re.compile(
    r"^\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) "
    r"\d{4} \d{2}\.\d{2} WIB$"
)


def _baris_blok(data: bytes) -> list[str]:
    """The lines of the last signature's visible block: the words ``pdftotext -bbox`` finds inside
    its widget, grouped by line."""
    import html
    import io

    (sig, *_rest) = reversed(PdfFileReader(io.BytesIO(data)).embedded_regular_signatures)
    x1, y1, x2, y2 = (float(v) for v in sig.sig_field["/Rect"])
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    page_h = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    pages = out.split("<page ")[1:]
    pola = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    words = re.findall(pola, pages[-1])
    lines: dict[float, list[tuple[float, str]]] = {}
    for wx1, wy1, wx2, wy2, teks in words:
        top, bottom = page_h - float(wy2), page_h - float(wy1)  # PDF coordinates
        if float(wx1) >= x1 - 1 and float(wx2) <= x2 + 1 and top >= y1 - 1 and bottom <= y2 + 1:
            # Readable: about 6 points in the letter's room (pyHanko's padding made it 4).
            assert float(wy2) - float(wy1) >= 5, (teks, float(wy2) - float(wy1), (x1, y1, x2, y2))
            key = round(float(wy1), 0)
            lines.setdefault(key, []).append((float(wx1), html.unescape(teks)))
    return [" ".join(t for _x, t in sorted(ws)) for _y, ws in sorted(lines.items())]


def test_both_backends_print_the_registered_official_in_one_layout(sk_siap, ppk_pk, instansi_a, ca, bsre, settings):
    nama, _jabatan, nip = PENANDATANGAN_PPK  # "Sekretaris Jenderal Kementerian Perhubungan"
    # A certificate whose organisation is not the office: the CA's default, as in the demo.
    sertifikat = ca.pejabat(nama, nik=NIK_PPK, nip=nip)
    assert sertifikat.pkcs12(b"x") and "Instansi Uji" in str(sertifikat.cert.subject)
    pejabat = daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=sertifikat, nama=nama, nip=nip, jabatan="Sekretaris Jenderal",
        nik=NIK_PPK,
    )  # fmt: skip
    settings.SIAKS_TTD_BSRE_URL = bsre.url
    bsre.gangguan = bsre.lambat = 0
    bsre.daftar(NIK_PPK, sertifikat, BSRE_PASSPHRASE)  # no office registered with the NIK
    satu, dua = sk_siap(2)

    def tandatangani(versi, backend) -> bytes:
        with all_tenants():
            Pejabat.objects.filter(pk=pejabat.pk).update(backend=backend)
        with as_user(ppk_pk):
            batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
        ttd_antrean()
        with all_tenants():
            tt = TandaTangan.objects.get(batch=batch)
            assert tt.status == "selesai", tt.galat
            return baca(tt.berkas)

    blok = {backend: _baris_blok(tandatangani(v, backend)) for v, backend in ((satu, "pkcs12"), (dua, "bsre"))}
    for backend, baris in blok.items():
        # The office registered in the portal ("Sekretaris Jenderal") with the issuing instansi.
        kantor = f"Sekretaris Jenderal {instansi_a.nama}"
        assert baris[:4] == ["Ditandatangani secara elektronik", nama, f"NIP {nip}", kantor], (backend, baris)
        assert len(baris) == 5 and WAKTU.match(baris[4]), (backend, baris)
        assert not any("Instansi Uji" in b for b in baris), (backend, baris)
    assert blok["pkcs12"][:4] == blok["bsre"][:4]


def test_block_prints_the_office_the_corrected_version_states(sk_siap, ppk_pk, instansi_a, ca):
    """Issue 17 (helper i17j): an SK corrected with another signer office ("… (Plh.)", same
    official) is signed with the version's office in the visible block — the one the letter text
    prints above the name — not the office registered for the official."""
    from apps.surat import services as surat_services
    from apps.surat.models import VersiSurat
    from tests.surat.conftest import render_antrean

    nama, jabatan, nip = PENANDATANGAN_PPK
    daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=ca.pejabat(nama, nik=NIK_PPK, nip=nip), nama=nama, nip=nip,
        jabatan="Sekretaris Jenderal", nik=NIK_PPK,
    )  # fmt: skip
    (v1,) = sk_siap(1)
    plh = f"{jabatan} (Plh.)"
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(
            actor=ppk_pk, surat=v1.surat, alasan="Penanda tangan pelaksana harian",
            perubahan={"penandatangan": (nama, plh, nip)},
        )  # fmt: skip
    render_antrean()
    with all_tenants():
        v2 = VersiSurat.objects.get(pk=v2.pk)
        assert v2.versi == 2 and v2.isi["penandatangan"]["jabatan"] == plh
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[v2.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        assert tt.status == "selesai", tt.galat
        data = baca(tt.berkas)
    baris = _baris_blok(data)
    teks = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    assert f"{plh},".encode() in teks  # the letter's signer block
    assert baris[0] == "Ditandatangani secara elektronik", baris
    assert baris[1] == nama and baris[2] == f"NIP {nip}", baris
    # The office may wrap over two lines in the block: joined, it is the version's.
    kantor = " ".join(baris[3:-1])
    assert kantor == plh, baris
