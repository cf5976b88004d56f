"""Fresh-eye L1 (issue 13 §6, issue 17): the visible TTE block sits in the room the letter's signer
block leaves between the office line and the printed name, and reads as a stamp, not a second
signer block: "Ditandatangani secara elektronik" first, then the signer once in small type (name,
NIP, office) and the signing time beside the QR code. A long office wraps between its phrases,
never inside one ("… Kementerian Dalam / Negeri" was printed). Signed for real (the worker, the
test CA), read back with ``pdftotext -bbox`` and validated."""

from __future__ import annotations

import shutil

import pytest

from apps.ttd import pades, services, validasi
from apps.ttd.models import TandaTangan
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import BSRE_PASSPHRASE, NIK_PPK, baca, daftar_pejabat, ttd_antrean
from tests.ttd.letak import bertumpuk, cari, kata, widgets
from tests.ttd.test_blok_tampilan import WAKTU, _baris_blok
from tests.verifikasi.conftest import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

NAMA_PANJANG = "Dr. Raden Ayu Sekar Kusumawardhani Prameswari, S.H., M.Kn."
NIP = "196805121993031002"

KASUS = [
    # (instansi, office as the letter prints it, the phrases no line may split)
    ("Kementerian Dalam Negeri", "Plt. Sekretaris Jenderal Kementerian Dalam Negeri", ["Kementerian Dalam Negeri"]),
    ("Kementerian Dalam Negeri", "Sekretaris Jenderal Kementerian Dalam Negeri", ["Kementerian Dalam Negeri"]),
    (
        "Pemerintah Kabupaten Kepulauan Siau Tagulandang Biaro",
        "Bupati Kepulauan Siau Tagulandang Biaro",
        ["Kepulauan Siau Tagulandang Biaro"],
    ),
    (
        "Pemerintah Kabupaten Kepulauan Siau Tagulandang Biaro",
        "Kepala Badan Kepegawaian Daerah Kabupaten Kepulauan Siau Tagulandang Biaro",
        ["Badan Kepegawaian Daerah", "Kabupaten Kepulauan Siau Tagulandang Biaro"],
    ),
]


@pytest.mark.parametrize("nama", ["Ir. Budi Santoso, M.T.", NAMA_PANJANG])
@pytest.mark.parametrize(("instansi", "kantor", "frasa"), KASUS)
def test_the_stamp_fills_the_signer_blocks_gap_with_whole_lines(
    sk_siap, ppk_pk, instansi_a, ca, nama, instansi, kantor, frasa
):
    instansi_a.nama = instansi
    instansi_a.save(update_fields=["nama"])
    sertifikat = ca.pejabat(nama, nik=NIK_PPK, nip=NIP)
    daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=sertifikat, nama=nama, nip=NIP, jabatan=kantor, nik=NIK_PPK
    )
    (versi,) = sk_siap(1, penandatangan=(nama, kantor, NIP))
    with all_tenants():
        assert versi.isi["penandatangan"]["jabatan"] == kantor
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        assert tt.status == "selesai", tt.galat
        data, terbit = baca(tt.berkas), baca(versi.berkas)
        laporan = validasi.validasi(data, versi, terbit=terbit)
    assert laporan.sah, laporan.alasan

    # The stamp: "Ditandatangani secara elektronik", the signer once, the time; every line whole.
    baris = _baris_blok(data)
    assert baris[0] == pades.TEKS_TTE, baris
    # The name on one line; a long one with its academic titles on the next (never split inside).
    i_nip = baris.index(f"NIP {NIP}")
    assert " ".join(baris[1:i_nip]) == nama and baris[1].startswith(nama.split(",")[0]), baris
    assert " ".join(baris[i_nip + 1 : -1]) == kantor and WAKTU.match(baris[-1]), baris
    for f in frasa:
        assert any(f in b for b in baris[i_nip + 1 : -1]), (f, baris)
    assert not any(pades.TEKS_TTE in b for b in baris[1:])

    # Where: inside the gap between the letter's office line and its printed name, over no text.
    ((_f, page, rect),) = widgets(data)
    words = kata(terbit)[page]
    assert not [w for box, w in words if bertumpuk(box, rect)]
    nama_teks = cari(words, " ".join(nama.split()[:3]))[-1]
    kantor_akhir = [box for box, w in words if w == kantor.split()[-1] + ","][-1]  # "…, Negeri," / "Biaro,"
    assert kantor_akhir[1] >= rect[3], (kantor_akhir, rect)  # the office line ends above the stamp
    assert nama_teks[3] <= rect[1], (nama_teks, rect)  # the printed name starts below it
    assert rect[0] <= nama_teks[0] + 1 and kantor_akhir[1] - nama_teks[3] < 80  # one signer block


def test_the_office_wraps_between_its_phrases():
    assert pades.frasa_jabatan("Sekretaris Jenderal Kementerian Dalam Negeri") == [
        "Sekretaris Jenderal",
        "Kementerian Dalam Negeri",
    ]
    assert pades.frasa_jabatan("Bupati Kepulauan Siau Tagulandang Biaro") == [
        "Bupati",
        "Kepulauan Siau Tagulandang Biaro",
    ]
    assert pades.frasa_jabatan("Kepala Dinas Tenaga Kerja Pemerintah Kabupaten Sleman") == [
        "Kepala",
        "Dinas Tenaga Kerja",
        "Pemerintah Kabupaten Sleman",
    ]
    assert pades.frasa_jabatan("Wali Kota Yogyakarta") == ["Wali Kota Yogyakarta"]
    assert pades.bungkus_nama(NAMA_PANJANG, 150, 6) == ["Dr. Raden Ayu Sekar Kusumawardhani Prameswari,", "S.H., M.Kn."]
    assert pades.bungkus_nama("Ir. Budi Santoso, M.T.", 150, 6) == ["Ir. Budi Santoso, M.T."]
    # Narrow: one phrase per line, none split; never more lines than phrases.
    assert pades.bungkus_jabatan("Plt. Sekretaris Jenderal Kementerian Dalam Negeri", 80, 7) == [
        "Plt. Sekretaris Jenderal",
        "Kementerian Dalam Negeri",
    ]
