"""Issue 13, third walk, item 6: an SK of a ministry names the PPK's office with its instansi in the
heading, the opening line and the signer block ("KEPUTUSAN SEKRETARIS JENDERAL KEMENTERIAN
PERHUBUNGAN"), where the configured title does not already name it."""

from __future__ import annotations

from apps.surat.isi import jabatan_kantor
from tests.surat.conftest import layout_text, render_antrean, terbitkan_rekomendasi, terbitkan_sk, versi_berlaku
from tests.verifikasi.conftest import as_user


def test_the_office_title_names_the_instansi_once():
    assert jabatan_kantor("Sekretaris Jenderal", "Kementerian Perhubungan") == (
        "Sekretaris Jenderal Kementerian Perhubungan"
    )
    assert jabatan_kantor("Sekretaris Jenderal Kementerian Perhubungan", "Kementerian Perhubungan") == (
        "Sekretaris Jenderal Kementerian Perhubungan"
    )
    assert (
        jabatan_kantor(
            "Bupati Kepulauan Siau Tagulandang Biaro", "Pemerintah Kabupaten Kepulauan Siau Tagulandang Biaro"
        )
        == "Bupati Kepulauan Siau Tagulandang Biaro"
    )
    assert jabatan_kantor("Sekretaris Daerah", "Pemerintah Kabupaten Sleman") == "Sekretaris Daerah Kabupaten Sleman"
    # The minister heads the ministry: "Menteri Perhubungan Kementerian Perhubungan" would say it twice.
    assert jabatan_kantor("Menteri Perhubungan", "Kementerian Perhubungan") == "Menteri Perhubungan"
    assert jabatan_kantor("Menteri Ketenagakerjaan", "Kementerian Ketenagakerjaan") == "Menteri Ketenagakerjaan"


def test_the_sk_heading_opening_and_signer_name_the_ministry(diputuskan, staf, pk, instansi_a, ppk_pk, monkeypatch):
    from tests.surat import conftest

    monkeypatch.setattr(conftest, "PENANDATANGAN_PPK", ("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal",
                                                       "196805121993031002"))  # fmt: skip
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with as_user(ppk_pk):
        (sk, *_rest) = [s for s in terbitkan_sk(ppk_pk, lulus) if s.jenis == "sk"]
    render_antrean()
    text = " ".join(layout_text(versi_berlaku(sk)).split())
    assert "KEPUTUSAN SEKRETARIS JENDERAL KEMENTERIAN PERHUBUNGAN" in text.upper()
    assert "SEKRETARIS JENDERAL KEMENTERIAN PERHUBUNGAN," in text
    assert (
        text.count("Sekretaris Jenderal Kementerian Perhubungan")
        + text.count("SEKRETARIS JENDERAL KEMENTERIAN PERHUBUNGAN")
        >= 3
    )
