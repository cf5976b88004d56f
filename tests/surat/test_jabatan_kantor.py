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


def test_the_office_keeps_its_instansi_before_selaku():
    """A title with its role ("… selaku Pejabat yang Berwenang"): the instansi goes with the office."""
    assert jabatan_kantor("Sekretaris Daerah selaku Pejabat yang Berwenang", "Pemerintah Provinsi Jawa Barat") == (
        "Sekretaris Daerah Provinsi Jawa Barat selaku Pejabat yang Berwenang"
    )
    full = "Sekretaris Daerah Provinsi Jawa Barat selaku Pejabat yang Berwenang"
    assert jabatan_kantor(full, "Pemerintah Provinsi Jawa Barat") == full


def _kop_sk(text: str) -> list[str]:
    """The SK's heading, its opening line and the signer's title, as printed (spacing aside)."""
    flat = " ".join(text.split())
    return [
        flat[flat.index("KEPUTUSAN ") : flat.index(" Nomor ")],
        flat[flat.index("PENYESUAIAN ") + len("PENYESUAIAN ") : flat.index(", Menimbang")],
    ]


def test_a_correction_with_the_same_signer_title_prints_the_same_office(
    diputuskan, staf, pk, instansi_a, ppk_pk, monkeypatch
):
    """Fresh-eye walk: an SK issued with the registered title "Sekretaris Daerah" printed the office
    with its instansi; correcting an SK to the same title ("Perbaiki surat") printed "KEPUTUSAN
    SEKRETARIS DAERAH" and "Sekretaris Daerah," without it. Issue and correction name it alike, on
    the SK and on its PAK."""
    from apps.surat import services
    from apps.surat.models import Surat
    from tests.surat import conftest
    from tests.surat.conftest import all_tenants

    ttd = ("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", "196805121993031002")
    monkeypatch.setattr(conftest, "PENANDATANGAN_PPK", ttd)
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with as_user(ppk_pk):
        issued = terbitkan_sk(ppk_pk, lulus[:1])
    monkeypatch.setattr(conftest, "PENANDATANGAN_PPK", ("Ir. Budi Santoso, M.T.", "Kepala Biro", ttd[2]))
    with as_user(ppk_pk):
        lain = terbitkan_sk(ppk_pk, lulus[1:])
    render_antrean()
    sk1 = next(s for s in issued if s.jenis == "sk")
    sk2, pak2 = next(s for s in lain if s.jenis == "sk"), next(s for s in lain if s.jenis == "pak")
    kantor = "Sekretaris Jenderal Kementerian Perhubungan"
    assert sk1.penandatangan_jabatan == kantor
    with as_user(ppk_pk):
        for surat in (sk2, pak2):  # "Perbaiki surat" to the same signer and title as the first SK
            services.surat_koreksi(
                actor=ppk_pk, surat=surat, alasan="Penanda tangan diganti.", perubahan={"penandatangan": ttd}
            )
    render_antrean()
    with all_tenants():
        assert Surat.objects.get(pk=sk2.pk).penandatangan_jabatan == kantor
        assert Surat.objects.get(pk=pak2.pk).penandatangan_jabatan == kantor
    terbit, koreksi = layout_text(versi_berlaku(sk1)), layout_text(versi_berlaku(sk2))
    assert versi_berlaku(sk2).versi == 2
    assert _kop_sk(terbit) == _kop_sk(koreksi) == [f"KEPUTUSAN {kantor.upper()}", f"{kantor.upper()}"], _kop_sk(koreksi)
    for text in (terbit, koreksi, layout_text(versi_berlaku(pak2))):
        assert f"{kantor}," in " ".join(text.split())
