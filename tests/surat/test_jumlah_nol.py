"""Issue 13 low: the letters print no "sebanyak 0 orang" / "0 di antaranya" / "0 perlu perbaikan": a
count of zero is said in words ("tidak ada ...") or its part is left out."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from apps.surat.templatetags.surat_pdf import rincian_seleksi


def _teks(template: str, isi: dict) -> str:
    return " ".join(strip_tags(render_to_string(template, {"isi": isi, "surat": None})).split())


def test_the_rekomendasi_says_no_one_is_not_yet_eligible_in_words():
    for kenaikan in (False, True):
        isi = {"kenaikan_jenjang": kenaikan, "jumlah": {"diusulkan": 2, "direkomendasikan": 2, "belum_memenuhi": 0},
               "jf": {"nama": "Pengantar Kerja"}, "belum_memenuhi": []}  # fmt: skip
        teks = _teks("surat/pdf/rekomendasi.html", isi)
        assert "sebanyak 0" not in teks
        assert (
            "Tidak ada Pejabat Fungsional" if kenaikan else "Tidak ada pegawai"
        ) + " yang belum memenuhi syarat." in teks
        isi["jumlah"]["belum_memenuhi"] = 1
        assert "yang belum memenuhi syarat sebanyak 1 orang" in _teks("surat/pdf/rekomendasi.html", isi)


def test_the_berita_acara_says_no_one_passed_in_words():
    isi = {"hasil": [{"no": 1, "nama": "A"}], "jumlah_lulus": 0, "kuorum": {"hadir": 3, "anggota": 3}, "anggota": []}
    teks = _teks("surat/pdf/berita_acara.html", isi)
    assert "0 di antaranya" not in teks and "tidak seorang pun di antaranya dinyatakan lulus" in teks


def test_the_berita_acara_seleksi_names_only_the_results_that_occurred():
    assert rincian_seleksi({"memenuhi": 2, "perbaikan": 0, "tidak_memenuhi": 1}) == (
        "2 memenuhi syarat dan 1 tidak memenuhi syarat"
    )
    assert rincian_seleksi({"memenuhi": 3, "perbaikan": 0, "tidak_memenuhi": 0}) == "3 memenuhi syarat"
    assert rincian_seleksi({"memenuhi": 1, "perbaikan": 1, "tidak_memenuhi": 1}) == (
        "1 memenuhi syarat, 1 perlu perbaikan, dan 1 tidak memenuhi syarat"
    )
    teks = _teks("surat/pdf/berita_acara_seleksi.html", {"hasil": [{}, {}], "jumlah": {"memenuhi": 2}})
    assert (
        "Dari 2 keputusan, 2 memenuhi syarat, sebagai berikut" in teks and "0 " not in teks.split("keputusan")[1][:40]
    )
