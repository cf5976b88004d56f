"""Issue 13 (fresh-eye walk, finding 4): in the berita acara seleksi administrasi's table the
jenjang wrapped ("Ahli / Madya") and the Catatan column was left about 2 cm, so a verifier's note ran
down the page a word a line. Columns are sized by the stylesheet's colgroup classes; read back with
``pdftotext -layout``."""

from __future__ import annotations

import shutil

import pytest

from apps.pengusulan.models import Usulan
from apps.referensi.models import Jenjang
from apps.verifikasi import services as pembina_services
from tests.surat.conftest import all_tenants, layout_text, putuskan_seleksi, render_antrean, versi_berlaku
from tests.verifikasi.conftest import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

CATATAN = "Ijazah belum dilegalisasi oleh pejabat yang berwenang; SKP 2025 belum ditandatangani atasan langsung."


def test_the_jenjang_is_whole_and_the_note_has_room(diajukan, staf, pk):
    staf["verifikator"].nip = "197501012000031001"
    staf["verifikator"].save(update_fields=["nip"])
    a, b, c = diajukan(3, nama=lambda i: "Dr. Raden Ayu Sekar Kusumawardhani Prameswari, S.H., M.Kn.")
    with all_tenants():
        for usulan, kode in ((a, "ahli_madya"), (b, "ahli_pertama"), (c, "ahli_muda")):
            Usulan.objects.filter(pk=usulan.pk).update(jenjang=Jenjang.objects.get(jf=pk, kode=kode))
    putuskan_seleksi(staf["verifikator"], a, "memenuhi")
    putuskan_seleksi(staf["verifikator"], b, "perbaikan", CATATAN)
    putuskan_seleksi(staf["verifikator"], c, "tidak_memenuhi", CATATAN)
    with as_user(staf["verifikator"]):
        surat = pembina_services.berita_acara_seleksi_terbitkan(actor=staf["verifikator"], jf=pk)
    render_antrean()
    text = layout_text(versi_berlaku(surat))
    lines = text.splitlines()
    for jenjang in ("Ahli Madya", "Ahli Pertama", "Ahli Muda"):
        assert any(jenjang in line for line in lines), (jenjang, text)
    # The note: at least three words a line (it ran one or two words a line), and whole once joined.
    baris_catatan = [line for line in lines if "Ijazah belum" in line]
    assert len(baris_catatan) == 2, text
    kolom = lines[lines.index(baris_catatan[0])].index("Ijazah")
    potongan = []
    for line in lines[lines.index(baris_catatan[0]) :]:
        bagian = line[kolom:].strip() if len(line) > kolom else ""
        if not bagian or (bagian.startswith("Ijazah") and potongan):
            break
        potongan.append(bagian)
    assert all(len(p.split()) >= 3 for p in potongan[:-1]), potongan
    assert " ".join(" ".join(potongan).split()) == CATATAN, potongan
    assert "Dr. Raden Ayu Sekar Kusumawardhani" in text
