"""Issue 13 §5: the PAK's signer is a JF parameter. By default (Peraturan BKN 3/2023 as BKN's technical
guide explains it, seed 004) the atasan langsung signs the PAK and it is attached to the usulan, so it
is signed before the SK: a mandatory document of the JF. A JF may have the SK's signer issue it with
the SK instead; that PAK prints the signer."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.referensi import services as referensi_services
from apps.referensi.models import JabatanFungsional, PakPenandatangan, PersyaratanDokumen
from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import (
    PENANDATANGAN_PPK,
    all_tenants,
    pdf_text,
    render_antrean,
    terbitkan_rekomendasi,
    terbitkan_sk,
    versi_berlaku,
)
from tests.verifikasi.conftest import as_user


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db
def test_by_default_the_atasan_langsung_signs_and_the_pak_is_a_mandatory_usulan_document(referensi):
    for kode in ("aks", "pengantar-kerja", "analis-kebijakan"):
        jf = JabatanFungsional.objects.get(kode=kode)
        assert jf.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
        row = PersyaratanDokumen.objects.get(jf=jf, kode="dokumen_pak")
        assert row.wajib and row.level == PersyaratanDokumen.Level.USULAN
        assert row.nama == "Penetapan angka kredit (PAK) yang ditandatangani atasan langsung"
        assert "Peraturan BKN Nomor 3 Tahun 2023" in row.deskripsi and "Belum terverifikasi" not in row.deskripsi


@pytest.mark.django_db
def test_the_admin_pembina_sets_the_signer_and_the_document_list_follows(client, pk, staf):
    admin = staf["admin"]
    client.force_login(admin)
    url = reverse("referensi:jf_detail", args=[pk.kode])
    assert "Ditandatangani oleh: Pejabat yang menetapkan SK" in client.get(url).content.decode()
    assert not PersyaratanDokumen.objects.get(jf=pk, kode="dokumen_pak").wajib
    with as_user(admin):
        referensi_services.referensi_update(
            obj=pk, jf=pk, changes={"pak_penandatangan": PakPenandatangan.ATASAN_LANGSUNG}, actor=admin
        )
    assert PersyaratanDokumen.objects.get(jf=pk, kode="dokumen_pak").wajib
    assert "ditandatangani atasan langsung" in client.get(url).content.decode()
    with as_user(admin):
        referensi_services.referensi_update(
            obj=pk, jf=pk, changes={"pak_penandatangan": PakPenandatangan.PEJABAT_SK}, actor=admin
        )
    assert not PersyaratanDokumen.objects.get(jf=pk, kode="dokumen_pak").wajib


@pytest.mark.django_db
def test_with_the_atasan_langsung_signing_the_sk_issues_no_second_pak_and_cites_it(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    JabatanFungsional.objects.filter(pk=pk.pk).update(pak_penandatangan=PakPenandatangan.ATASAN_LANGSUNG)
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    assert [s.jenis for s in issued] == [JenisSurat.SK]
    render_antrean()
    text = _flat(pdf_text(versi_berlaku(issued[0])))
    assert "ditetapkan dengan Penetapan Angka Kredit yang telah ditandatangani oleh atasan langsung" in text


@pytest.mark.django_db
def test_with_the_sk_signer_configured_the_pak_comes_with_the_sk_and_prints_that_signer(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    assert pk.pak_penandatangan == PakPenandatangan.PEJABAT_SK
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    assert sorted(s.jenis for s in issued) == [JenisSurat.PAK, JenisSurat.SK]
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    text = _flat(pdf_text(versi_berlaku(pak)))
    nama, jabatan, _nip = PENANDATANGAN_PPK
    assert nama in text and jabatan in text
    with all_tenants():
        sk = next(s for s in issued if s.jenis == JenisSurat.SK)
        assert "atasan langsung" not in _flat(pdf_text(versi_berlaku(sk)))


def _pak_dengan_masa_kerja(diputuskan, staf, pk, instansi_a, ppk_pk, *, tmt_golongan, tmt):
    """Submitted on ON with ``tmt_golongan``, recommended, and issued with an SK of ``tmt``: the PAK's text."""
    lulus, _t, _s = diputuskan(1, 0, pegawai={"tmt_golongan": tmt_golongan})
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus, tmt=tmt)
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    return lulus[0], pak, _flat(pdf_text(versi_berlaku(pak)))


@pytest.mark.django_db
def test_the_pak_counts_the_masa_kerja_to_the_tmt_of_the_appointment(diputuskan, staf, pk, instansi_a, ppk_pk):
    """Fresh-eye L3: the PAK issued with the SK counted the masa kerja in pangkat to the day the
    usulan was submitted (ON); it is counted to the SK's TMT, as the age rule is, and says so."""
    from apps.core.format import tgl
    from tests.pengusulan.conftest import ON

    tmt = date(2026, 9, 1)
    usulan, pak, text = _pak_dengan_masa_kerja(
        diputuskan, staf, pk, instansi_a, ppk_pk, tmt_golongan=date(2024, 3, 1), tmt=tmt
    )
    with all_tenants():
        usulan = type(usulan).objects.get(pk=usulan.pk)
    # At submission: 2 years 3 months (the AK's table row: 2 years); at the TMT: 2 years 6 months.
    assert usulan.masa_kerja_per == ON and usulan.masa_kerja_bulan == 27 and usulan.masa_kerja_pangkat == 2
    assert "Masa kerja dalam pangkat terakhir 2 tahun (masa kerja sebenarnya 2 tahun 6 bulan)" in text, text
    assert f"Masa kerja dihitung sampai dengan {tgl(tmt)}" in text, text
    assert "2 tahun 3 bulan" not in text and tgl(ON) not in text
    assert versi_berlaku(pak).isi["pegawai"]["masa_kerja_per"] == tgl(tmt)


@pytest.mark.django_db
def test_a_tmt_in_another_year_of_the_table_is_refused_and_one_in_the_same_year_is_counted_to_it(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    """Submitted 9 months into the pangkat ("kurang dari 1 tahun": the AK's table row); a TMT a
    year into it would print "1 tahun" beside that AK. Refused, naming the TMTs that keep the row;
    one of them is issued and its PAK counts 11 months to that TMT."""
    from apps.surat.services import SuratError

    lulus, _t, _s = diputuskan(1, 0, pegawai={"tmt_golongan": date(2025, 8, 20)})
    with all_tenants():
        usulan = type(lulus[0]).objects.get(pk=lulus[0].pk)
    assert usulan.masa_kerja_pangkat == 0 and usulan.masa_kerja_bulan == 9
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with pytest.raises(SuratError) as exc:
        terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 9, 1))
    pesan = " ".join(exc.value.messages)
    assert "pada TMT 1 September 2026 masa kerja dalam pangkatnya 1 tahun (masa kerja sebenarnya 1 tahun)" in pesan
    assert "masa kerja kurang dari 1 tahun (masa kerja sebenarnya 9 bulan)" in pesan
    assert "Pilih TMT dari 20 Agustus 2025 sampai dengan 19 Agustus 2026" in pesan, pesan
    with all_tenants():
        assert not Surat.objects.filter(baris__usulan=usulan, jenis__in=[JenisSurat.SK, JenisSurat.PAK]).exists()
    issued = terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 8, 19))
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    text = _flat(pdf_text(versi_berlaku(pak)))
    assert "kurang dari 1 tahun (masa kerja sebenarnya 11 bulan)" in text, text
    assert "Masa kerja dihitung sampai dengan 19 Agustus 2026" in text
