"""Words and formats on the pages (issue 14, item 9): durations one way, dates one way, legal
sources without the reference data's working notes."""

from __future__ import annotations

from datetime import date

from apps.core.templatetags.pesan import durasi, sumber, tanggal


def test_durations_dates_and_sources_read_one_way():
    assert durasi(75) == "6 tahun 3 bulan" and durasi(8) == "8 bulan" and durasi(24) == "2 tahun"
    assert durasi(0) == "0 bulan" and durasi("x") == "—"
    assert tanggal("2020-04-01") == "1 April 2020" and tanggal(date(2026, 11, 30)) == "30 November 2026"
    assert tanggal("") == "—"
    assert sumber("Seed 000: batas usia maksimal 56 tahun").startswith("Webinar Pusbin AKS Kemensetneg")
    assert sumber("PerBKN 3/2023 (seed 004): pengalaman 2 tahun") == "PerBKN 3/2023: pengalaman 2 tahun"
    assert sumber("kelas jabatan nilai umum 8/9/11/13 [V2], periksa") == (
        "Kelas jabatan nilai umum 8/9/11/13 (sumber sekunder, belum terverifikasi)"
    )
    assert "seed" not in sumber("Belum ada di sumber (seed 002/003); nilai sementara — periksa").lower()
