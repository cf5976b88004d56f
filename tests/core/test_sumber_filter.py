"""The ``sumber`` filter (``apps.core.sumber.kutipan``) shows a citation as the user reads it: the
document it comes from, its article or section, and "belum terverifikasi" where the data marks it
unverified or secondary, without the working notes of the reference data (issue 13 §8)."""

from __future__ import annotations

import pytest

from apps.core.sumber import kutipan
from apps.core.templatetags.pesan import sumber


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Seed 003 (Permenaker 4/2017 pasal 5): prestasi kerja", "Permenaker 4/2017 pasal 5: prestasi kerja"),
        ("PerBKN 3/2023 (seed 004): pengalaman", "PerBKN 3/2023: pengalaman"),
        ("Seed 000: batas usia maksimal 56 tahun",
         "Webinar Pusbin AKS Kemensetneg tentang inpassing JF Analis Kerja Sama, 11 Desember 2025: batas usia "
         "maksimal 56 tahun"),
        ("Slide pelatihan BKN tentang PerBKN 3/2023 [V2; tidak ada dalam seed], domain.md §4",
         "Slide pelatihan BKN tentang PerBKN 3/2023 (sumber sekunder, belum terverifikasi)"),
        ("PerBKN 3/2023, contoh \"AK Dasar III/d sejumlah 100\" [V2, domain.md §4]",
         "PerBKN 3/2023, contoh \"AK Dasar III/d sejumlah 100\" (sumber sekunder, belum terverifikasi)"),
        ("PermenPANRB 1/2023 (domain.md §4): koefisien Ahli Pertama [V], lainnya [U]",
         "PermenPANRB 1/2023: koefisien Ahli Pertama, lainnya (belum terverifikasi)"),
        ("Nilai umum (domain.md §3): minimal Baik", "Nilai umum: minimal Baik"),
        ("Belum ada di sumber (seed 001); nilai sementara mengikuti JF AKS — periksa",
         "Belum ada di sumber (Rancangan Perkalan LAN tentang Tata Kerja Tim Penilai JFAK); nilai sementara "
         "mengikuti JF AKS (belum terverifikasi)"),
        ("Seed 004 (prinsip: jenjang berdasarkan pangkat/golongan ruang terakhir); tabel menurut materi BKN [V2]",
         "Panduan Teknis BKN atas Peraturan BKN Nomor 3 Tahun 2023 (prinsip: jenjang berdasarkan pangkat/golongan "
         "ruang terakhir); tabel menurut materi BKN (sumber sekunder, belum terverifikasi)"),
        ("X juga mengatur JF Pengantar Kerja [V2]; belum terverifikasi apakah menggantikan Y",
         "X juga mengatur JF Pengantar Kerja (sumber sekunder); belum terverifikasi apakah menggantikan Y"),
        ("BKN: struktur NIP PNS (PP 11/2017; Peraturan BKN tentang NIP)",
         "BKN: struktur NIP PNS (PP 11/2017; Peraturan BKN tentang NIP)"),
    ],
)  # fmt: skip
def test_working_notes_become_documents_and_verification(raw, shown):
    assert sumber(raw) == shown == kutipan(raw)
    for mark in ("[V", "[U]", "seed", "Seed", "domain.md", "periksa"):
        assert mark not in sumber(raw)


def test_two_sources_in_one_note_are_both_named():
    shown = kutipan("Belum ada di sumber (seed 002/003); nilai sementara — periksa")
    assert "KepmenPANRB Nomor SKJ.1 Tahun 2022" in shown and "Kemnaker, Alur Inpassing" in shown
    assert shown.endswith("(belum terverifikasi)")
