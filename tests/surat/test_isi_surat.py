"""Issue 13 §5: what the letters say — PAK masa kerja and AK lines, the SK's office, place and
legal basis, the rekomendasi's counts, pengantar, system name and tembusan, and the berita acara
signed by the members present."""

from __future__ import annotations

from datetime import date

from apps.accounts.models import User
from apps.pengusulan.models import Usulan
from apps.surat import isi as isi_mod
from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import (
    all_tenants,
    pdf_text,
    render_antrean,
    terbitkan_rekomendasi,
    terbitkan_sk,
    versi_berlaku,
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pak_prints_masa_kerja_in_years_and_months_and_the_two_ak_parts(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    text = _flat(pdf_text(versi_berlaku(pak)))
    # III/c since 1 April 2021, TMT 1 September 2026: 5 years 5 months, the table counts 4 (counted
    # to the TMT, fresh-eye L3: tests/surat/test_pak.py). The counted value first (the one the table
    # row was read with), then the actual masa kerja.
    assert (
        "Masa kerja dalam pangkat terakhir 4 tahun (masa kerja sebenarnya 5 tahun 5 bulan) "
        "Masa kerja dihitung sampai dengan 1 September 2026" in text
    ), text
    assert "(bulan)" not in text
    assert "Angka kredit dari tabel penyesuaian 100" in text
    assert "Angka Kredit Dasar 0" in text
    assert "Jumlah angka kredit penyesuaian 100" in text
    assert "Ditetapkan di Jakarta" in text


def test_a_pak_under_a_year_in_pangkat_prints_kurang_dari_1_tahun_and_each_ak_part_on_its_own_line(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    """Issue 13 §5 on the letter itself (the walk did not reach it): a pegawai III/c since 1 November
    2025, submitted 15 June 2026, has 7 months in pangkat, 10 on the TMT (1 September 2026) — the
    PAK prints "kurang dari 1 tahun" with the actual 10 months to the TMT; the table value and AK
    Dasar stand on lines of their own (as ``pdftotext -layout`` reads the letter); the signer is the
    one the JF configures (the SK's)."""
    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK, PakPenandatangan
    from tests.surat.conftest import PENANDATANGAN_PPK, layout_text

    assert pk.pak_penandatangan == PakPenandatangan.PEJABAT_SK
    AKDasar.objects.filter(jf=pk, golongan__kode="III/c").update(nilai=12)  # a non-zero AK Dasar, to tell the lines
    lulus, _t, _s = diputuskan(1, 0, pegawai={"tmt_golongan": date(2025, 11, 1)})
    with all_tenants():
        usulan = Usulan.objects.get(pk=lulus[0].pk)
    row = NilaiPenyesuaianAK.objects.get(jf=pk, golongan__kode="III/c", masa_kerja=0, pendidikan="s1")
    assert (usulan.masa_kerja_pangkat, usulan.masa_kerja_bulan, usulan.ak_tabel_ref_id) == (0, 7, row.pk)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    text = _flat(pdf_text(versi_berlaku(pak)))
    assert "Masa kerja dalam pangkat terakhir kurang dari 1 tahun (masa kerja sebenarnya 10 bulan)" in text, text
    lines = [" ".join(line.split()) for line in layout_text(versi_berlaku(pak)).splitlines()]
    tabel = [line for line in lines if line.startswith("Angka kredit dari tabel penyesuaian")]
    dasar = [line for line in lines if line.startswith("Angka Kredit Dasar")]
    assert tabel == [f"Angka kredit dari tabel penyesuaian {isi_mod.format_ak(row.nilai)}"], lines
    assert dasar == ["Angka Kredit Dasar 12"], lines
    assert any(line == f"Jumlah angka kredit penyesuaian {isi_mod.format_ak(row.nilai + 12)}" for line in lines)
    nama, jabatan, _nip = PENANDATANGAN_PPK
    assert nama in text and jabatan in text


def test_masa_kerja_prints_the_counted_value_then_the_actual_one():
    """The counted value the table is read with and the actual masa kerja, the same way under and
    over a year (a fresh-eye walk read "kurang dari 1 tahun (7 bulan)" but "1 tahun 9 bulan" next
    to a table value read with 1 year)."""
    assert isi_mod.masa_kerja_teks(7, 0) == "kurang dari 1 tahun (masa kerja sebenarnya 7 bulan)"
    assert isi_mod.masa_kerja_teks(21, 1) == "1 tahun (masa kerja sebenarnya 1 tahun 9 bulan)"
    assert isi_mod.masa_kerja_teks(30, 2) == "2 tahun (masa kerja sebenarnya 2 tahun 6 bulan)"
    assert isi_mod.masa_kerja_teks(24, 2) == "2 tahun (masa kerja sebenarnya 2 tahun)"
    assert isi_mod.masa_kerja_teks(62, 4) == "4 tahun (masa kerja sebenarnya 5 tahun 2 bulan)"
    assert isi_mod.masa_kerja_teks(None, 0) == "kurang dari 1 tahun"
    assert isi_mod.masa_kerja_teks(None, None) == "-"


def test_the_sk_heading_and_signer_are_one_office_with_place_and_the_jfs_regulations(
    diputuskan, staf, pk, instansi_a, ppk_pk, referensi
):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    sk = next(s for s in terbitkan_sk(ppk_pk, lulus) if s.jenis == JenisSurat.SK)
    render_antrean()
    text = _flat(pdf_text(versi_berlaku(sk)))
    assert "KEPUTUSAN SEKRETARIS JENDERAL KEMENTERIAN PERHUBUNGAN" in text
    assert "PEJABAT PEMBINA KEPEGAWAIAN" not in text.upper()
    assert "Ditetapkan di Jakarta" in text
    assert (
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 1 Tahun 2022 tentang "
        "Jabatan Fungsional Pengantar Kerja" in text
    )
    assert (
        "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2017 tentang Tata Cara Penyesuaian Jabatan Fungsional "
        "Bidang Ketenagakerjaan" in text
    )
    # Analis Kebijakan: PermenPAN 45/2013 is no longer dropped; AKS cites its juklak too.
    ak = isi_mod._mengingat(referensi["analis-kebijakan"])
    assert any("Nomor 45 Tahun 2013 tentang Jabatan Fungsional Analis Kebijakan" in m for m in ak)
    aks = isi_mod._mengingat(referensi["aks"])
    assert any(m.startswith("Peraturan Menteri Sekretaris Negara Nomor 3 Tahun 2024") for m in aks)


def test_the_rekomendasi_counts_add_up_and_cite_the_pengantar_system_and_unit(diputuskan, staf, pk, instansi_a):
    diputuskan(1, 1, nip_prefix="19860926 201505 1 ")
    terbitkan_rekomendasi(staf, pk, instansi_a)
    lulus, tidak, _s = diputuskan(2, 1, nip_prefix="19870101 201505 1 ")
    with all_tenants():
        Usulan.objects.filter(pk__in=[u.pk for u in lulus + tidak]).update(
            pengantar_nomor="800.1.2/0456/Kepeg/2026", pengantar_tanggal=date(2026, 6, 10)
        )
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    render_antrean()
    text = _flat(pdf_text(versi_berlaku(surat)))
    # This letter: 3 proposed = 2 recommended + 1 not yet eligible (not every usulan ever made).
    assert "diusulkan sebanyak 3 orang" in text
    assert "sebanyak 2 orang" in text and "belum memenuhi syarat sebanyak 1 orang" in text
    assert "Nomor 800.1.2/0456/Kepeg/2026 tanggal 10 Juni 2026" in text
    assert "SIAKS" not in text and "melalui sistem informasi inpassing" in text
    signer = text.index(staf_ttd := "Dr. Ir. Rahmat Hidayat, M.Si.")
    assert text.index("Tembusan") > signer, staf_ttd
    assert "Pimpinan Biro Kerja Sama, Kementerian Perhubungan" in text


def test_the_berita_acara_is_signed_by_the_members_present_with_nip(diputuskan, staf, kemnaker):
    for i, key in enumerate(("ketua", "penilai1", "penilai2"), start=1):
        User.objects.filter(pk=staf[key].pk).update(nip=f"19750101200001100{i}")
    _l, _t, sidang = diputuskan(1, 0)
    render_antrean()
    with all_tenants():
        ba = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA, sidang=sidang)
    text = _flat(pdf_text(versi_berlaku(ba)))
    assert "ketua dan anggota tim yang hadir" in text
    for i in (1, 2, 3):
        assert f"NIP 19750101200001100{i}" in text
