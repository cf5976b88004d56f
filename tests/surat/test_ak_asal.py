"""Issue 13 §1: an AK value carries its table row and AK Dasar row; no rekomendasi or SK rests on
an unverified row; confirming or correcting a row recomputes the usulan not yet issued."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pengusulan.models import Usulan
from apps.referensi import services as referensi_services
from apps.referensi.models import AKDasar, NilaiPenyesuaianAK
from apps.surat import services
from apps.surat.services import SuratError
from tests.surat.conftest import all_tenants, konfirmasi_baris_ak, terbitkan_rekomendasi, terbitkan_sk
from tests.verifikasi.conftest import as_user


def _fresh(u) -> Usulan:
    with all_tenants():
        return Usulan.objects.select_related("ak_tabel_ref__golongan", "ak_dasar_ref__golongan").get(pk=u.pk)


def _rows():
    """The rows of the JF Pengantar Kerja (the usulan's JF: each JF owns its AK tables)."""
    return NilaiPenyesuaianAK.objects.get(
        jf__kode="pengantar-kerja", golongan__kode="III/c", masa_kerja=4, pendidikan="s1"
    ), AKDasar.objects.get(jf__kode="pengantar-kerja", golongan__kode="III/c")


def test_the_usulan_records_where_its_ak_comes_from(diputuskan):
    lulus, _t, _s = diputuskan(1, 0, konfirmasi_ak=False)
    u = _fresh(lulus[0])
    tabel, dasar = _rows()
    # III/c since 1 April 2021, submitted 15 June 2026: masa kerja capped at 4 years.
    assert (u.ak_tabel_ref, u.ak_dasar_ref) == (tabel, dasar)
    assert (u.ak_nilai_tabel, u.ak_dasar, u.ak_awal) == (tabel.nilai, dasar.nilai, tabel.nilai + dasar.nilai)
    assert u.ak_baris_belum_terverifikasi() == [tabel, dasar]


def test_rekomendasi_is_refused_while_an_ak_rests_on_an_unverified_row(diputuskan, staf, pk, instansi_a):
    lulus, _t, _s = diputuskan(1, 0, konfirmasi_ak=False)
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(refused.value.messages)
    assert "tabel penyesuaian III/c, masa kerja 4 tahun, pendidikan Sarjana (S1) / Diploma IV" in text
    assert "AK Dasar III/c" in text
    assert "admin pembina Kementerian Ketenagakerjaan" in text and str(staf["admin"]) in text
    with all_tenants():
        assert not services.Surat.objects.filter(jenis="rekomendasi").exists()
    # The AK Dasar confirmed, the table row still not: refused, naming only the table row.
    _tabel, dasar = _rows()
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=dasar, nilai=dasar.nilai, terverifikasi=True, actor=staf["admin"])
    with pytest.raises(SuratError) as again:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(again.value.messages)
    assert "tabel penyesuaian III/c" in text and "AK Dasar III/c" not in text
    konfirmasi_baris_ak(staf["admin"], lulus)
    assert terbitkan_rekomendasi(staf, pk, instansi_a).nomor


def test_sk_is_refused_when_a_row_is_withdrawn_after_the_rekomendasi(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    _tabel, dasar = _rows()
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=dasar, nilai=dasar.nilai, terverifikasi=False, actor=staf["admin"])
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus)
    assert "AK Dasar III/c" in " ".join(refused.value.messages)
    konfirmasi_baris_ak(staf["admin"], lulus)
    assert terbitkan_sk(ppk_pk, lulus)


def test_correcting_a_row_recomputes_the_usulan_not_yet_issued_and_shows_in_its_timeline(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(2, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    terbitkan_sk(ppk_pk, lulus[:1])  # the first pegawai's SK is issued: its AK stays as issued
    issued, open_ = _fresh(lulus[0]), _fresh(lulus[1])
    _tabel, dasar = _rows()
    before = open_.ak_awal
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=dasar, nilai=Decimal("12.5"), terverifikasi=True, actor=staf["admin"])
    assert _fresh(lulus[1]).ak_awal == before + Decimal("12.5")
    assert _fresh(lulus[1]).ak_dasar == Decimal("12.5")
    assert _fresh(lulus[0]).ak_awal == issued.ak_awal
    with all_tenants():
        entries = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[1].pk))
        assert entries.count() == 3  # two rows confirmed by the fixture, then the correction
        entry = entries.latest("id")
        # The issued one: only the fixture's confirmations, not the later correction.
        assert AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[0].pk)).count() == 2
    assert entry.data["perubahan"] == {"nilai": ["0.000", "12.5"]}
    assert "AK awal 100 → 112,5" in entry.message
    assert entry.actor == staf["admin"]


def test_the_breakdown_is_on_the_pic_verifier_rekomendasi_and_ppk_pages(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    lulus, _t, _s = diputuskan(1, 0, konfirmasi_ak=False)
    u = lulus[0]
    expected = '100 <span class="small text-muted">(tabel penyesuaian)</span>'

    def rincian(user, url):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert 'data-testid="ak-rincian"' in body, url
        part = body.split('data-testid="ak-rincian"', 1)[1].split("</span>\n", 1)[0]
        return part

    for user, url in (
        (pic_pk, reverse("pengusulan:usulan_detail", args=[u.pk])),
        (staf["verifikator"], reverse("verifikasi:periksa", args=[u.pk])),
        (staf["admin"], reverse("surat:rekomendasi")),
    ):
        part = rincian(user, url)
        assert expected in part and "(AK Dasar)" in part and "= <strong>100</strong>" in part, url
        assert part.count("belum terverifikasi") == 2, url
    client.force_login(staf["admin"])
    assert 'data-testid="ak-belum-terverifikasi"' in client.get(reverse("surat:rekomendasi")).content.decode()
    konfirmasi_baris_ak(staf["admin"], lulus)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    part = rincian(ppk_pk, reverse("surat:ppk"))
    assert expected in part and "= <strong>100</strong>" in part and "belum terverifikasi" not in part
