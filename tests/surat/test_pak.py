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
from apps.surat.models import JenisSurat
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


@pytest.mark.django_db
def test_the_pak_states_the_day_its_masa_kerja_is_counted_to(diputuskan, staf, pk, instansi_a, ppk_pk):
    """Issue 13 (fresh-eye walk): the PAK printed a masa kerja without the day it was counted to.
    It is counted on the submission that computed the AK awal; the usulan keeps that day and the
    PAK states it ("dihitung sampai dengan …")."""
    from apps.core.format import tgl
    from apps.referensi.domain import full_months_between
    from tests.pengusulan.conftest import ON

    lulus, _t, _s = diputuskan(1, 0)
    with all_tenants():
        usulan = type(lulus[0]).objects.get(pk=lulus[0].pk)
    tmt_golongan = date.fromisoformat(usulan.data_pegawai["tmt_golongan"])
    assert usulan.masa_kerja_per == ON
    assert usulan.masa_kerja_bulan == full_months_between(tmt_golongan, ON)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    render_antrean()
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    text = _flat(pdf_text(versi_berlaku(pak)))
    assert f"Masa kerja dihitung sampai dengan {tgl(ON)}" in text, text
    assert versi_berlaku(pak).isi["pegawai"]["masa_kerja_per"] == tgl(ON)
