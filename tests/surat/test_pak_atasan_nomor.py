"""Issue 13 low: where the atasan langsung signs the PAK, the SK's KETIGA cited no PAK number ("the
portal holds the signed file, not its number"). The PIC now types the PAK's number and date with its
file (page and API; refused without them, input kept), and the SK cites them as it cites a PAK it
issues itself: per pegawai, and each in the Lampiran of a collective SK."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan import services as pengusulan_services
from apps.pengusulan.models import Dokumen
from apps.referensi import services as referensi_services
from apps.referensi.models import PakPenandatangan, PersyaratanDokumen
from apps.surat.models import JenisSurat
from tests.pengusulan.conftest import PAK_ATASAN, pdf_upload
from tests.surat.conftest import pdf_text, render_antrean, terbitkan_rekomendasi, terbitkan_sk, versi_berlaku
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pk_atasan(pk):
    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    referensi_services.pak_dokumen_sesuaikan(pk)  # the PAK becomes a mandatory usulan document
    return pk


def test_the_sk_cites_the_number_and_date_of_the_pak_the_atasan_langsung_signed(
    diputuskan, staf, pk_atasan, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(3, 0)
    terbitkan_rekomendasi(staf, pk_atasan, instansi_a)
    satu = terbitkan_sk(ppk_pk, lulus[:1])
    assert [s.jenis for s in satu] == [JenisSurat.SK]  # no second PAK
    kolektif = terbitkan_sk(ppk_pk, lulus[1:], kolektif=True)
    render_antrean()
    teks = _flat(pdf_text(versi_berlaku(satu[0])))
    assert (
        "ditetapkan dengan Penetapan Angka Kredit Nomor 800/PAK-AL/015/2025 tanggal 1 Desember 2025 yang telah "
        "ditandatangani oleh atasan langsung"
    ) in teks, teks
    sk_kolektif = next(s for s in kolektif if s.jenis == JenisSurat.SK_KOLEKTIF)
    teks = _flat(pdf_text(versi_berlaku(sk_kolektif)))
    assert "Penetapan Angka Kredit yang telah ditandatangani oleh atasan langsung masing-masing sebagaimana" in teks
    assert teks.count("800/PAK-AL/015/2025") == 2 and "1 Desember 2025" in teks  # each pegawai in the Lampiran


def test_the_pak_upload_needs_its_number_and_date(client, pic, usulan_lengkap):
    """AKS (pembina Setneg) has the atasan langsung sign the PAK by default."""
    persyaratan = PersyaratanDokumen.objects.get(jf=usulan_lengkap.jf, kode="dokumen_pak")
    besok = timezone.localdate() + timedelta(days=1)
    with tenancy.scope(pic.instansi), as_user(pic):
        with pytest.raises(ValidationError) as refused:
            pengusulan_services.dokumen_upload(
                actor=pic, jf=usulan_lengkap.jf, persyaratan=persyaratan, upload=pdf_upload(), usulan=usulan_lengkap
            )
        pesan = " ".join(refused.value.messages)
        assert "Isi nomor PAK" in pesan and "Isi tanggal PAK" in pesan
        with pytest.raises(ValidationError) as refused:
            pengusulan_services.dokumen_upload(
                actor=pic, jf=usulan_lengkap.jf, persyaratan=persyaratan, upload=pdf_upload(), usulan=usulan_lengkap,
                nomor_surat="800/1/2026", tanggal_surat=besok,
            )  # fmt: skip
        assert "belum tiba" in " ".join(refused.value.messages)
        sebelum = Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan=persyaratan).count()
    # The page: refused with the reason, no version added; then accepted and shown with its number.
    client.force_login(pic)
    aksi = reverse("pengusulan:dokumen_unggah", args=[usulan_lengkap.pk, persyaratan.pk])
    page = client.post(aksi, {"berkas": pdf_upload("pak.pdf")}, follow=True).content.decode()
    assert "Isi nomor PAK" in page
    halaman = client.get(reverse("pengusulan:usulan_detail", args=[usulan_lengkap.pk])).content.decode()
    assert 'data-testid="pak-nomor"' in halaman and 'data-testid="pak-tanggal"' in halaman
    client.post(aksi, {"berkas": pdf_upload("pak.pdf"), "nomor_surat": "800/7/2026", "tanggal_surat": "2026-06-02"})
    with tenancy.scope(pic.instansi):
        baru = Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan=persyaratan).latest("versi")
        assert Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan=persyaratan).count() == sebelum + 1
    assert (baru.nomor_surat, baru.tanggal_surat) == ("800/7/2026", date(2026, 6, 2))
    halaman = client.get(reverse("pengusulan:usulan_detail", args=[usulan_lengkap.pk])).content.decode()
    assert "Nomor 800/7/2026 tanggal 2 Juni 2026" in halaman
    # The API takes them too, and refuses without them with a 400.
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(pic)
    url = f"/api/v1/usulan/{usulan_lengkap.pk}/dokumen/"
    assert api.post(url, {"persyaratan": "dokumen_pak", "berkas": pdf_upload()}, format="multipart").status_code == 400
    ok = api.post(url, {"persyaratan": "dokumen_pak", "berkas": pdf_upload(), **PAK_ATASAN}, format="multipart")
    assert ok.status_code == 201 and ok.json()["nomor_surat"] == PAK_ATASAN["nomor_surat"], ok.content
