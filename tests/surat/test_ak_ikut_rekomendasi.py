"""Issue 13, fresh-eye walk (high): a row of the AK table changed after the rekomendasi was issued
never changes the SK and PAK silently. The usulan keeps the rekomendasi's AK; the discrepancy is
shown on the PPK page, the rekomendasi page, the letter's page and the timeline; the SK (and its
PAK) is refused naming both values and who corrects the rekomendasi, until the admin pembina
corrects the rekomendasi (a new version with the table's value) and signs it again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pengusulan.models import Usulan
from apps.referensi import services as referensi_services
from apps.referensi.models import NilaiPenyesuaianAK
from apps.surat import services
from apps.surat.models import JenisSurat, Surat
from apps.surat.services import SuratError
from tests.surat.conftest import (
    TTD_FORM,
    all_tenants,
    render_antrean,
    tandatangani_rekomendasi,
    terbitkan_rekomendasi,
    terbitkan_sk,
    versi_berlaku,
)
from tests.verifikasi.conftest import as_user


def _fresh(u) -> Usulan:
    with all_tenants():
        return Usulan.objects.select_related("ak_tabel_ref", "ak_dasar_ref").get(pk=u.pk)


def _ubah_baris_tabel(admin, usulan, tambah: str = "2.5") -> NilaiPenyesuaianAK:
    """The JF's admin pembina corrects the table row the usulan rests on (75 → 77,5 in the walk)."""
    row = _fresh(usulan).ak_tabel_ref
    with as_user(admin):
        referensi_services.ak_row_update(row=row, nilai=row.nilai + Decimal(tambah), terverifikasi=True, actor=admin)
    return row


def _sk_dan_pak():
    with all_tenants():
        return list(Surat.objects.filter(jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF, JenisSurat.PAK]))


def test_a_row_changed_after_the_rekomendasi_keeps_its_ak_and_refuses_the_sk_until_it_is_corrected(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(1, 0)
    (u,) = lulus
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)
    ak_rekomendasi = _fresh(u).ak_awal
    assert versi_berlaku(rekomendasi).isi["pegawai"][0]["ak"] == "100"
    _ubah_baris_tabel(staf["admin"], u)

    # The usulan keeps the rekomendasi's AK (the SK and PAK would print it), the table gives 102,5.
    after = _fresh(u)
    assert after.ak_awal == ak_rekomendasi == Decimal(100)
    assert after.ak_menurut_tabel == Decimal("102.5") and after.ak_beda_rekomendasi == Decimal("102.5")
    with all_tenants():
        entry = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(u.pk)).latest("id")
    assert f"AK awal tetap 100 sesuai rekomendasi {rekomendasi.nomor}; menurut tabel kini 102,5" in entry.message
    assert entry.data["ak_awal"] == ["100.000", "100.000"] and entry.data["rekomendasi"] == rekomendasi.nomor

    # The SK (with its PAK) is refused, naming both values, the letter and who corrects it.
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus)
    text = " ".join(refused.value.messages)
    assert f"rekomendasi {rekomendasi.nomor} mencantumkan AK awal 100" in text
    assert "tabel angka kredit kini memberi 102,5" in text
    assert "Admin pembina Kementerian Ketenagakerjaan" in text and str(staf["admin"]) in text
    assert "SK dan PAK belum dapat diterbitkan" in text
    assert _sk_dan_pak() == []

    # The admin pembina corrects the rekomendasi: the new version states 102,5, and so does the usulan.
    with as_user(staf["admin"]):
        v2 = services.surat_koreksi(actor=staf["admin"], surat=rekomendasi, alasan="Baris tabel AK dikoreksi.")
    assert v2.versi == 2 and v2.isi["pegawai"][0]["ak"] == "102,5"
    assert _fresh(u).ak_awal == Decimal("102.5") and _fresh(u).ak_beda_rekomendasi is None
    with all_tenants():
        entry = AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(u.pk)).latest("id")
    assert entry.message == (
        f"Rekomendasi {rekomendasi.nomor} diperbaiki: AK awal 100 → 102,5 mengikuti tabel angka kredit."
    )
    # The corrected version is signed again; the SK and its PAK then print the rekomendasi's 102,5.
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])
    issued = terbitkan_sk(ppk_pk, lulus)
    render_antrean()
    sk = next(s for s in issued if s.jenis == JenisSurat.SK)
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    assert versi_berlaku(sk).isi["pegawai"][0]["ak"] == "102,5"
    assert versi_berlaku(pak).isi["ak_penyesuaian"] == "102,5"


def test_a_row_set_back_before_the_sk_lifts_the_refusal_and_a_row_changed_before_the_rekomendasi_recomputes(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(2, 0)
    # Before any rekomendasi, a change recomputes the usulan (it is not in a letter yet).
    _ubah_baris_tabel(staf["admin"], lulus[0], "5")
    assert _fresh(lulus[0]).ak_awal == Decimal(105) == _fresh(lulus[1]).ak_awal
    terbitkan_rekomendasi(staf, pk, instansi_a)
    _ubah_baris_tabel(staf["admin"], lulus[0], "2.5")
    with pytest.raises(SuratError):
        terbitkan_sk(ppk_pk, lulus)
    _ubah_baris_tabel(staf["admin"], lulus[0], "-2.5")  # the change was a mistake: set back
    assert _fresh(lulus[0]).ak_beda_rekomendasi is None
    assert terbitkan_sk(ppk_pk, lulus)


def test_the_discrepancy_shows_on_the_ppk_rekomendasi_and_letter_pages_and_the_ppk_form_refuses(
    client, diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(1, 0)
    (u,) = lulus
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    assert 'data-testid="ak-beda-rekomendasi' not in client.get(reverse("surat:ppk")).content.decode()
    _ubah_baris_tabel(staf["admin"], u)

    body = client.get(reverse("surat:ppk")).content.decode()
    assert 'data-testid="ak-beda-rekomendasi-ppk"' in body and 'data-testid="ak-beda-rekomendasi"' in body
    assert "rekomendasi memuat AK 100, tabel kini memberi 102,5" in body
    assert f"rekomendasi {rekomendasi.nomor} mencantumkan AK awal 100" in body
    # The PPK's form refuses before the confirmation page, with the reason, and issues nothing.
    isian = {"usulan": [u.pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    response = client.post(reverse("surat:ppk"), isian)
    body = response.content.decode()
    assert response.status_code == 200 and "Periksa sebelum menerbitkan SK" not in body
    assert "tabel angka kredit kini memberi 102,5" in body
    response = client.post(reverse("surat:ppk"), {**isian, "konfirmasi": "ya"})
    assert response.status_code == 200 and _sk_dan_pak() == []

    client.force_login(staf["admin"])
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    assert 'data-testid="ak-beda-rekomendasi"' in body
    assert f"rekomendasi {rekomendasi.nomor} memuat AK awal 100, tabel kini memberi 102,5" in body
    assert reverse("surat:detail", args=[rekomendasi.pk]) in body
    body = client.get(reverse("surat:detail", args=[rekomendasi.pk])).content.decode()
    assert 'data-testid="ak-beda-rekomendasi-surat"' in body and "tabel kini memberi 102,5" in body
    # Corrected through the letter's page: the warnings go.
    client.post(reverse("surat:koreksi", args=[rekomendasi.pk]), {"alasan": "AK mengikuti tabel yang dikoreksi."})
    assert 'data-testid="ak-beda-rekomendasi' not in client.get(reverse("surat:rekomendasi")).content.decode()
    client.force_login(ppk_pk)
    assert 'data-testid="ak-beda-rekomendasi' not in client.get(reverse("surat:ppk")).content.decode()
