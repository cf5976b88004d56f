"""Issue 13, third walk, item 1: when a recompute changes the AK of an usulan submitted with a PAK
signed by the atasan langsung, that PAK no longer matches (the SK's KETIGA cites it): the PIC is told
to upload a new one, the verifier and PPK pages warn, and the SK is refused until it is uploaded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.pengusulan import services as pengusulan_services
from apps.pengusulan.models import Dokumen, Usulan
from apps.referensi import services as referensi_services
from apps.referensi.models import AKDasar, PakPenandatangan, PersyaratanDokumen
from apps.surat import services as surat_services
from apps.surat.services import SuratError
from tests.pdfs import valid_pdf
from tests.pengusulan.conftest import PAK_ATASAN, pdf_upload
from tests.surat.conftest import all_tenants, tandatangani_rekomendasi, terbitkan_rekomendasi, terbitkan_sk
from tests.verifikasi.conftest import as_user


def _fresh(u) -> Usulan:
    with all_tenants():
        return Usulan.objects.get(pk=u.pk)


def test_a_recomputed_ak_asks_for_a_new_pak_and_refuses_the_sk_until_it_is_uploaded(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)
    lulus, _t, _s = diputuskan(1, 0)
    (u,) = lulus
    assert _fresh(u).pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)
    before = _fresh(u).ak_awal
    dasar = AKDasar.objects.get(jf=pk, golongan__kode="III/c")
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(
            row=dasar, nilai=dasar.nilai + Decimal("5"), terverifikasi=True, actor=staf["admin"]
        )
    # The rekomendasi states the AK the SK follows: the usulan keeps it until the letter is corrected.
    assert _fresh(u).ak_awal == before and _fresh(u).pak_unggah_ulang_sejak is None
    with as_user(staf["admin"]):
        surat_services.surat_koreksi(actor=staf["admin"], surat=rekomendasi, alasan="AK Dasar dikoreksi.")
    tandatangani_rekomendasi(staf["admin"])
    after = _fresh(u)
    assert after.ak_awal == before + 5 and after.pak_unggah_ulang_sejak is not None
    with all_tenants():
        assert OutboxMessage.objects.filter(task_name="pengusulan.kabari_pak_unggah_ulang").count() == 1
    # The PIC is told (the worker's task).
    from apps.notifikasi.models import Notifikasi
    from apps.pengusulan.tasks import kabari_pak_unggah_ulang

    kabari_pak_unggah_ulang.run(usulan_id=u.pk)
    with all_tenants():
        note = Notifikasi.objects.get(user=pic_pk, jenis="usulan.pak_unggah_ulang")
    assert "unggah PAK baru" in note.isi and "Rekomendasi dan SK tidak dapat diterbitkan" in note.isi
    ak_baru = "105" if after.ak_awal == 105 else str(after.ak_awal).rstrip("0").rstrip(".").replace(".", ",")
    # Refused, naming the pegawai and the new AK.
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus)
    text = " ".join(refused.value.messages)
    assert after.pegawai_nama in text and f"AK baru {ak_baru}" in text
    # The PPK's and the verifier's pages warn; the PIC's page says the PAK must be uploaded again.
    for user, url in (
        (ppk_pk, reverse("surat:ppk")),
        (staf["verifikator"], reverse("verifikasi:periksa", args=[u.pk])),
        (pic_pk, reverse("pengusulan:usulan_detail", args=[u.pk])),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert 'data-testid="pak-unggah-ulang"' in body, url
    # Other documents stay closed while the usulan is with the pembina.
    persyaratan = PersyaratanDokumen.objects.get(jf=pk, kode="dokumen_pak")
    lain = PersyaratanDokumen.objects.filter(jf=pk, level="usulan", wajib=True).exclude(pk=persyaratan.pk).first()
    with tenancy.scope(pic_pk.instansi), as_user(pic_pk), pytest.raises(ValidationError):
        pengusulan_services.dokumen_upload(
            actor=pic_pk, jf=pk, persyaratan=lain, upload=pdf_upload("lain.pdf"), usulan=_fresh(u)
        )
    # The PIC's page marks the PAK and offers its upload; a new PAK uploaded there clears the warning.
    client.force_login(pic_pk)
    body = client.get(reverse("pengusulan:usulan_detail", args=[u.pk])).content.decode()
    assert 'data-testid="pak-unggah-ulang-dokumen"' in body
    aksi = reverse("pengusulan:dokumen_unggah", args=[u.pk, persyaratan.pk])
    assert aksi in body
    assert reverse("pengusulan:dokumen_unggah", args=[u.pk, lain.pk]) not in body
    client.post(aksi, {"berkas": pdf_upload("pak-baru.pdf", valid_pdf(padding=64)), **PAK_ATASAN})
    assert _fresh(u).pak_unggah_ulang_sejak is None
    with all_tenants():
        baru = Dokumen.objects.filter(usulan=u, persyaratan=persyaratan).latest("versi")
    assert baru.nama_asli == "pak-baru.pdf" and baru.diserahkan_at is not None
    client.force_login(ppk_pk)
    assert 'data-testid="pak-unggah-ulang"' not in client.get(reverse("surat:ppk")).content.decode()
    assert terbitkan_sk(ppk_pk, lulus)


def test_a_recompute_that_keeps_the_ak_or_a_pak_issued_with_the_sk_asks_for_nothing(diputuskan, staf, pk, instansi_a):
    assert pk.pak_penandatangan == PakPenandatangan.PEJABAT_SK
    lulus, _t, _s = diputuskan(1, 0)
    dasar = AKDasar.objects.get(jf=pk, golongan__kode="III/c")
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(
            row=dasar, nilai=dasar.nilai + Decimal("5"), terverifikasi=True, actor=staf["admin"]
        )
    assert _fresh(lulus[0]).pak_unggah_ulang_sejak is None


def _koreksi_baris(staf, pk, tambah="5"):
    dasar = AKDasar.objects.get(jf=pk, golongan__kode="III/c")
    with as_user(staf["admin"]):
        referensi_services.ak_row_update(
            row=dasar, nilai=dasar.nilai + Decimal(tambah), terverifikasi=True, actor=staf["admin"]
        )


def test_fe13_a_pending_pak_reupload_refuses_the_rekomendasi_and_the_reupload_is_shown_for_review(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    """Fresh-eye walk, item 1: the AK was recounted (a table row corrected) while the usulan waited for
    its rekomendasi. The pages say the recount already happened and when; the PIC page says only the
    PAK may be uploaded again; the rekomendasi is refused (service and page) naming the pegawai and
    who uploads; the same file is refused as the new PAK; the new PAK is shown with date, uploader and
    link on the verifier's, rekomendasi and PPK pages."""
    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)
    lulus, _t, _s = diputuskan(1, 0)
    (u,) = lulus
    _koreksi_baris(staf, pk)
    after = _fresh(u)
    assert after.pak_unggah_ulang_sejak is not None
    from apps.core.format import format_ak

    ak = format_ak(after.ak_awal)
    # a. The wording: recounted on <date> after the table row change; the PAK with the old value goes again.
    for user, url in (
        (staf["verifikator"], reverse("verifikasi:periksa", args=[u.pk])),
        (staf["admin"], reverse("surat:rekomendasi") + f"?jf={pk.kode}"),
        (pic_pk, reverse("pengusulan:usulan_detail", args=[u.pk])),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "setelah PAK diunggah" not in body, url
        assert f"AK dihitung ulang menjadi {ak} pada " in body, url
        assert "setelah baris tabel angka kredit diubah" in body and "nilai lama" in body, url
    # b. The PIC page no longer says that nothing can be changed while it offers the PAK upload.
    client.force_login(pic_pk)
    body = client.get(reverse("pengusulan:usulan_detail", args=[u.pk])).content.decode()
    assert "data dan dokumen tidak dapat diubah." not in body
    assert 'data-testid="hanya-pak-ulang"' in body and "kecuali PAK" in body
    # c. The rekomendasi is refused, in the service and already on the page.
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(refused.value.messages)
    assert "Rekomendasi belum dapat diterbitkan" in text
    assert after.pegawai_nama in text and f"AK baru {ak}" in text and f"PIC instansi {instansi_a.nama}" in text
    client.force_login(staf["admin"])
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    assert 'data-testid="pak-usang"' in body
    # d. The same file again is refused; a different one clears the warning and is shown for review.
    persyaratan = PersyaratanDokumen.objects.get(jf=pk, kode="dokumen_pak")
    with all_tenants():
        lama = Dokumen.objects.filter(usulan=u, persyaratan=persyaratan).latest("versi")
        isi_lama = lama.berkas.open("rb").read()
    with tenancy.scope(pic_pk.instansi), as_user(pic_pk), pytest.raises(ValidationError) as sama:
        pengusulan_services.dokumen_upload(
            actor=pic_pk,
            jf=pk,
            persyaratan=persyaratan,
            upload=pdf_upload("pak-lagi.pdf", isi_lama),
            usulan=_fresh(u),
            **PAK_ATASAN,
        )
    assert "sama dengan PAK versi" in " ".join(sama.value.messages)
    assert _fresh(u).pak_unggah_ulang_sejak is not None
    client.force_login(pic_pk)
    client.post(
        reverse("pengusulan:dokumen_unggah", args=[u.pk, persyaratan.pk]),
        {"berkas": pdf_upload("pak-152.pdf", valid_pdf(padding=99)), **PAK_ATASAN},
    )
    baru = _fresh(u)
    assert baru.pak_unggah_ulang_sejak is None and baru.pak_ulang_id is not None
    unduh = reverse("pengusulan:dokumen_unduh", args=[baru.pak_ulang_id])
    for user, url in (
        (staf["verifikator"], reverse("verifikasi:periksa", args=[u.pk])),
        (staf["admin"], reverse("surat:rekomendasi") + f"?jf={pk.kode}"),
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert 'data-testid="pak-diunggah-ulang"' in body and unduh in body and "pak-152.pdf" in body, url
        assert pic_pk.nama_lengkap in body, url
        assert client.get(unduh).status_code == 200, url
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    assert surat.nomor
    client.force_login(ppk_pk)
    body = client.get(reverse("surat:ppk")).content.decode()
    assert 'data-testid="pak-diunggah-ulang"' in body and unduh in body
    assert client.get(unduh).status_code == 200
