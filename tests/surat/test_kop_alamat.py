"""The letterhead prints what the instansi wrote as its kop, and nothing more (fresh-eye report of
issue 13, L1): the "Alamat" field was printed as one more line under a three-line kop whose last
line already was the address, and a 101-character kop line wrapped mid-name. Now a kop's lines are
the whole letterhead (the alamat is printed only under the name when there is no kop), each line
sized down to stay on one line; the forms say so. Read back with ``pdftotext -layout``."""

from __future__ import annotations

import shutil

import pytest

from apps.accounts.platform_forms import InstansiForm
from apps.core.models import Instansi
from apps.surat import isi
from apps.surat.forms import PengaturanForm
from tests.surat.conftest import all_tenants, layout_text, render_antrean, terbitkan_rekomendasi, versi_berlaku

pytestmark = pytest.mark.django_db

PANJANG = "SEKRETARIAT DAERAH, BADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO"
KOP = f"KEMENTERIAN KETENAGAKERJAAN REPUBLIK INDONESIA\n{PANJANG}\nJalan Jenderal Gatot Subroto Kav. 51, Jakarta 12950"
ALAMAT = "Jalan Alamat Tersendiri Nomor 99, Jakarta Pusat"


def test_kop_lines_are_the_whole_letterhead_otherwise_name_and_alamat():
    assert len(PANJANG) == 101
    dengan = isi.kop(Instansi(nama="Kementerian Ketenagakerjaan", kop_surat=KOP, alamat=ALAMAT))
    assert dengan["baris"] == KOP.splitlines() and not dengan["alamat"]
    tanpa = isi.kop(Instansi(nama="Kementerian Ketenagakerjaan", kop_surat=" \n", alamat=ALAMAT))
    assert tanpa["baris"] == ["KEMENTERIAN KETENAGAKERJAAN"] and tanpa["alamat"] == ALAMAT


def test_the_forms_say_how_the_kop_is_printed():
    for form in (PengaturanForm(seri=[]), InstansiForm()):
        kop, alamat = str(form.fields["kop_surat"].help_text), str(form.fields["alamat"].help_text)
        assert "Alamat tidak dicetak" in kop and "satu baris" in kop, kop
        assert "hanya bila kop surat kosong" in alamat, alamat


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_a_letter_prints_the_three_kop_lines_each_on_one_line_and_no_alamat(diputuskan, staf, pk, instansi_a):
    diputuskan(1, 0)
    with all_tenants():
        Instansi.objects.filter(pk=pk.instansi_pembina_id).update(kop_surat=KOP, alamat=ALAMAT)
        pk.instansi_pembina.refresh_from_db()  # the issuer the letter is built from
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    render_antrean()
    text = layout_text(versi_berlaku(surat))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    judul = next(i for i, line in enumerate(lines) if line.startswith("Nomor"))
    kop = [line for line in lines[:judul] if "Verifikasi keaslian" not in line]
    for baris in KOP.splitlines():
        assert any(baris in line for line in kop), (baris, kop)
    assert "Alamat Tersendiri" not in text
    assert not any(line in ("TAGULANDANG BIARO", "SIAU TAGULANDANG BIARO") for line in lines[:judul]), kop
