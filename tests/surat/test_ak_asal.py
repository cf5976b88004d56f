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
    """Before any letter, a correction recomputes the usulan; once a rekomendasi lists it, the usulan
    keeps that letter's AK until the rekomendasi is corrected (issue 13 fresh-eye walk: the SK and
    PAK follow the rekomendasi they cite); an issued SK's usulan is never touched."""
    lulus, _t, _s = diputuskan(3, 0)
    _tabel, dasar = _rows()
    with as_user(staf["admin"]):  # no letter yet: every usulan follows the row
        referensi_services.ak_row_update(row=dasar, nilai=Decimal("2.5"), terverifikasi=True, actor=staf["admin"])
    assert {_fresh(u).ak_awal for u in lulus} == {Decimal("102.5")}
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)
    terbitkan_sk(ppk_pk, lulus[:1])  # the first pegawai's SK is issued: its AK stays as issued
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=dasar, nilai=Decimal("12.5"), terverifikasi=True, actor=staf["admin"])
    assert [_fresh(u).ak_awal for u in lulus] == [Decimal("102.5")] * 3  # the rekomendasi's AK, kept
    assert _fresh(lulus[1]).ak_dasar == Decimal("2.5")
    with all_tenants():
        entry = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[1].pk)).latest("id")
        # The issued one: the fixture's two confirmations and the correction before the letters only.
        assert AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[0].pk)).count() == 3
    assert entry.data["perubahan"] == {"nilai": ["2.500", "12.5"]}
    assert f"AK awal tetap 102,5 sesuai rekomendasi {rekomendasi.nomor}; menurut tabel kini 112,5" in entry.message
    assert entry.actor == staf["admin"]
    # The rekomendasi corrected: the usulan without an SK take the table's value, the issued one does not.
    with as_user(staf["admin"]):
        services.surat_koreksi(actor=staf["admin"], surat=rekomendasi, alasan="AK Dasar III/c dikoreksi.")
    assert [_fresh(u).ak_awal for u in lulus] == [Decimal("102.5"), Decimal("112.5"), Decimal("112.5")]
    assert _fresh(lulus[1]).ak_dasar == Decimal("12.5")
    with all_tenants():
        entry = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[1].pk)).latest("id")
        assert AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[0].pk)).count() == 3
    assert "AK awal 102,5 → 112,5" in entry.message and rekomendasi.nomor in entry.message


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


def test_the_rekomendasi_page_names_the_unverified_rows_and_who_confirms_them_before_issuing(
    client, diputuskan, staf, pk
):
    """Fresh-eye walk: the banner only counted the pegawai; the rows and the admin pembina who can
    confirm them appeared only in the refusal. Now the page says both before the admin tries."""
    lulus, _t, _s = diputuskan(2, 0, konfirmasi_ak=False)
    tabel, dasar = _rows()
    client.force_login(staf["admin"])
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    banner = body.split('data-testid="ak-belum-terverifikasi"', 1)[1].split("</div>", 1)[0]
    assert "AK awal 2 pegawai" in banner
    assert banner.count('data-testid="ak-baris-belum"') == 2  # each row once, for both pegawai
    assert "tabel penyesuaian III/c, masa kerja 4 tahun, pendidikan Sarjana (S1) / Diploma IV" in banner
    assert "AK Dasar III/c" in banner
    assert reverse("referensi:ak_edit", args=["tabel", tabel.pk]) in banner
    assert reverse("referensi:ak_edit", args=["dasar", dasar.pk]) in banner
    assert all(u.pegawai_nama in banner for u in lulus)
    assert "admin pembina Kementerian Ketenagakerjaan" in banner and str(staf["admin"]) in banner

    # The AK Dasar confirmed: only the table row is left on the page.
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=dasar, nilai=dasar.nilai, terverifikasi=True, actor=staf["admin"])
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    banner = body.split('data-testid="ak-belum-terverifikasi"', 1)[1].split("</div>", 1)[0]
    assert banner.count('data-testid="ak-baris-belum"') == 1 and "AK Dasar III/c" not in banner
    konfirmasi_baris_ak(staf["admin"], lulus)
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    assert 'data-testid="ak-belum-terverifikasi"' not in body


def _dasar_iii_d(jf: str = "pengantar-kerja") -> AKDasar:
    return AKDasar.objects.select_related("golongan").get(jf__kode=jf, golongan__kode="III/d")


def _migrasi_0020() -> None:
    """Run the data migration that withdraws the seeded verification of AK Dasar III/d, on this
    database, with the migration's own (historical) models."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    nama = "0020_ak_dasar_iiid_belum_terverifikasi"
    state = MigrationLoader(connection).project_state(("referensi", nama))
    migrasi = importlib.import_module(f"apps.referensi.migrations.{nama}")
    migrasi.belum_terverifikasi(state.apps, SimpleNamespace(connection=connection))


def test_ak_dasar_iii_d_ships_unverified_and_a_iii_d_rekomendasi_is_refused_naming_it(diputuskan, staf, pk, instansi_a):
    """Issue 13: AK Dasar III/d = 100 is read only in secondary material (its sumber says "sumber
    sekunder, belum terverifikasi"): it ships unverified, and a pegawai III/d's rekomendasi is refused
    until the JF's admin pembina confirms it; the refusal names the row and the admin pembina."""
    lulus, _t, _s = diputuskan(1, 0, konfirmasi_ak=False, golongan="III/d")
    u = _fresh(lulus[0])
    dasar = _dasar_iii_d()
    assert u.ak_dasar_ref == dasar and u.ak_dasar == Decimal(100) and not dasar.terverifikasi
    with as_user(staf["admin"]):  # the table row confirmed: only AK Dasar III/d is left
        referensi_services.ak_row_update(
            row=u.ak_tabel_ref, nilai=u.ak_tabel_ref.nilai, terverifikasi=True, actor=staf["admin"]
        )
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(refused.value.messages)
    assert "AK Dasar III/d (nilai 100)" in text and "tabel penyesuaian" not in text
    assert "admin pembina Kementerian Ketenagakerjaan" in text and str(staf["admin"]) in text
    konfirmasi_baris_ak(staf["admin"], lulus)
    assert terbitkan_rekomendasi(staf, pk, instansi_a).nomor


def test_an_existing_database_loses_the_seeded_iii_d_verification_and_its_sk_is_refused(
    diputuskan, staf, pk, instansi_a, ppk_pk, admin_setneg
):
    """A database seeded when AK Dasar III/d shipped "terverifikasi": the data migration makes it
    unverified where it is still as seeded (audited, and noted in the timeline of each usulan not yet
    issued built on it); a row an admin pembina confirmed or corrected keeps its state. The SK of a
    pegawai III/d whose rekomendasi was issued on the seeded state is then refused, naming the row
    and the JF's admin pembina, until the admin pembina confirms it."""
    AKDasar.objects.filter(golongan__kode="III/d").update(terverifikasi=True)  # as the older seed shipped it
    dikonfirmasi = _dasar_iii_d("aks")
    with as_user(admin_setneg):  # confirmed by the AKS admin pembina (through the service): kept
        referensi_services.ak_row_update(
            row=dikonfirmasi, nilai=dikonfirmasi.nilai, terverifikasi=False, actor=admin_setneg
        )
        referensi_services.ak_row_update(
            row=dikonfirmasi, nilai=dikonfirmasi.nilai, terverifikasi=True, actor=admin_setneg
        )
    dikoreksi = _dasar_iii_d("analis-kebijakan")
    AKDasar.objects.filter(pk=dikoreksi.pk).update(nilai=Decimal(110))  # corrected since: kept
    lulus, _t, _s = diputuskan(1, 0, golongan="III/d")  # the fixture confirms only the table row
    terbitkan_rekomendasi(staf, pk, instansi_a)

    _migrasi_0020()

    dasar = _dasar_iii_d()
    assert not dasar.terverifikasi and dasar.nilai == Decimal(100) and dasar.diverifikasi_pada is None
    assert _dasar_iii_d("aks").terverifikasi and _dasar_iii_d("aks").diverifikasi_oleh == admin_setneg
    assert _dasar_iii_d("analis-kebijakan").terverifikasi
    with all_tenants():
        entry = AuditLog.objects.get(
            action="referensi.ak_diubah", object_type="referensi.akdasar", object_id=str(dasar.pk)
        )
        assert entry.message.startswith("AK Dasar III/d: 100 (terverifikasi) → 100 (belum terverifikasi)")
        assert entry.jf_id == pk.pk and entry.instansi_id == pk.instansi_pembina_id
        assert entry.data["perubahan"] == {"terverifikasi": [True, False]}
        # The fixture's confirmation of the table row, then the migration's entry.
        timeline = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[0].pk)).latest("id")
        assert "AK Dasar III/d diubah: 100 (terverifikasi) → 100 (belum terverifikasi)" in timeline.message
        assert timeline.instansi_id == instansi_a.pk
        assert AuditLog.objects.filter(action="referensi.ak_diubah", object_type="referensi.akdasar").count() == 3
    _migrasi_0020()  # run again: nothing left as seeded, nothing written
    with all_tenants():
        assert AuditLog.objects.filter(action="referensi.ak_diubah", object_type="referensi.akdasar").count() == 3

    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus)
    text = " ".join(refused.value.messages)
    assert "AK Dasar III/d (nilai 100)" in text
    assert "admin pembina Kementerian Ketenagakerjaan" in text and str(staf["admin"]) in text
    with all_tenants():
        assert not services.Surat.objects.filter(jenis__in=["sk", "sk_kolektif"]).exists()
    konfirmasi_baris_ak(staf["admin"], lulus)
    assert terbitkan_sk(ppk_pk, lulus)


def test_confirming_a_row_whose_value_does_not_change_says_the_ak_awal_stays(diputuskan):
    """Issue 13 (fresh-eye walk): confirming a row (its value unchanged) logged "AK awal 152,5 →
    152,5"; the guide writes "AK awal tetap 152,5"."""
    lulus, _t, _s = diputuskan(1, 0)  # the fixture confirms the rows the usulan rests on, values unchanged
    with all_tenants():
        pesan = list(
            AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(lulus[0].pk)).values_list(
                "message", flat=True
            )
        )
    ak = format(_fresh(lulus[0]).ak_awal.normalize(), "f").replace(".", ",")
    assert len(pesan) == 2 and all(f"AK awal tetap {ak}." in m and f"AK awal {ak} →" not in m for m in pesan), pesan
