"""Findings of a fresh-eye walk of the TTE (issue 17), each on real letters and real signatures:
the signer does not paraf his own letter; the public page and API give one verdict (the unsigned
issued PDF, a signed copy of a superseded version); a corrected SK awaits its signature; an
uploaded e-signed copy is not signed again; a stale letter is skipped in a batch, not refusing it."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from apps.ttd import pades, services
from apps.ttd.models import AlurParaf, AlurVersi, BatchTtd, LangkahParaf, TandaTangan
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants, render_antrean
from tests.ttd.conftest import baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _refresh(versi) -> VersiSurat:
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


def _teks(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _tanda_tangani(ppk, versi_list):
    with as_user(ppk):
        batch = services.minta_tandatangan(actor=ppk, versi_ids=[v.pk for v in versi_list])
    ttd_antrean()
    return batch


def test_the_signer_cannot_paraf_his_own_letter(client, sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    client.force_login(ppk_pk)
    client.post(reverse("ttd:alur"), {"jenis": "sk"})
    with all_tenants():
        alur = AlurParaf.objects.get(instansi=ppk_pk.instansi, jenis="sk")
    # The chain page: the SK's signer as paraf 1, "Penanda tangan" left "belum ditentukan".
    page = client.post(reverse("ttd:alur_ubah", args=[alur.pk]), {"paraf_1": ppk_pk.pk, "sebutan_1": "PPK"})
    assert page.status_code == 200
    assert "tercantum sebagai penanda tangan surat" in _teks(page) and versi.surat.nomor in _teks(page)
    with all_tenants():
        assert not LangkahParaf.objects.filter(alur=alur).exists()
    # A chain saved before the rule (or by another way): the paraf and the signature are refused.
    with all_tenants():
        alur.aktif = True
        alur.save()
        LangkahParaf.objects.create(instansi=ppk_pk.instansi, alur=alur, urutan=1, user=ppk_pk, sebutan="PPK")
        # ... and the letter issued under it (a version keeps the chain it was issued with).
        AlurVersi.objects.filter(versi=versi).update(langkah=[{"urutan": 1, "user": ppk_pk.pk, "sebutan": "PPK"}])
    with as_user(ppk_pk):
        with pytest.raises(services.TtdError, match=r"Anda penanda tangan surat .* tidak dapat sekaligus memberi"):
            services.paraf_beri(actor=ppk_pk, versi=versi)
        assert [v for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == []
        with pytest.raises(services.TtdError, match="juga tercantum sebagai pemberi paraf ke-1"):
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    antrean = _teks(client.get(reverse("ttd:antrean")))
    assert f'data-testid="paraf-{versi.pk}"' not in antrean and f'data-testid="paraf-ditolak-{versi.pk}"' in antrean
    detail = _teks(client.get(reverse("surat:detail", args=[versi.surat_id])))
    assert 'data-testid="beri-paraf"' not in detail and 'data-testid="tandatangani"' not in detail
    assert "juga tercantum sebagai pemberi paraf ke-1" in detail
    with all_tenants():
        assert not versi.paraf.exists() and not TandaTangan.objects.filter(versi=versi).exists()


def test_public_verdicts_agree_and_a_corrected_sk_awaits_its_signature(client, sk_siap, ppk_pk, pejabat_ppk):
    (v1,) = sk_siap(1)
    _tanda_tangani(ppk_pk, [v1])
    v1 = _refresh(v1)
    terbit, bertanda = baca(v1.berkas), baca(v1.ttd_berkas)
    client.logout()
    # The unsigned issued PDF of a signed letter: identical, but it carries no signature.
    url = reverse("surat:verifikasi", args=[v1.kode])
    page = _teks(client.post(url, {"berkas": SimpleUploadedFile("sk.pdf", terbit)}))
    api = client.post(
        reverse("api:ttd-publik-validasi", args=[v1.kode]), {"berkas": SimpleUploadedFile("sk.pdf", terbit)}
    ).json()
    assert api["identik"] is True and api["sah"] is False and api["versi"] == 1 and api["berlaku"] is True
    assert api["versi_berlaku_ditandatangani"] is True and api["tingkat"] == "peringatan"
    assert "tidak memuat tanda tangan elektronik" in api["ringkasan"]
    assert (
        "Versi yang berlaku (versi 1) sudah ditandatangani secara elektronik oleh Ir. Budi Santoso" in api["ringkasan"]
    )
    assert api["ringkasan"] in page and 'data-testid="hasil-cocok"' in page and "alert-warning" in page

    # The SK is corrected: version 2 waits for its signature; the usulan stay "SK terbit".
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    v2 = _refresh(v2)
    with all_tenants():
        usulan = list(Usulan.objects.filter(surat_baris__surat=v1.surat))
    assert {u.status for u in usulan} == {Status.SK_TERBIT}
    # v1's genuine signed copy: identical to version 1, signed by whom and when, but replaced.
    for kode in (v1.kode, v2.kode):
        page = _teks(
            client.post(reverse("surat:verifikasi", args=[kode]), {"berkas": SimpleUploadedFile("s.pdf", bertanda)})
        )
        assert "Identik dengan versi 1, ditandatangani secara elektronik oleh Ir. Budi Santoso, M.T. pada" in page
        assert "sudah digantikan versi 2" in page and "Versi yang berlaku (versi 2) belum ditandatangani." in page
        assert 'data-testid="hasil-tte-digantikan"' in page and 'data-cek="identik" data-lulus="ya"' in page
        assert "Revisi yang ditandatangani tidak identik" not in page
        api = client.post(
            reverse("api:ttd-publik-validasi", args=[kode]), {"berkas": SimpleUploadedFile("s.pdf", bertanda)}
        ).json()
        assert (api["sah"], api["identik"], api["versi"], api["berlaku"]) == (False, True, 1, False)
        assert api["versi_berlaku"] == 2 and api["versi_berlaku_ditandatangani"] is False
        assert api["ringkasan"] in page
    # The letter and usulan pages say plainly that the correction awaits its signature.
    client.force_login(ppk_pk)
    detail = _teks(client.get(reverse("surat:detail", args=[v1.surat_id])))
    assert 'data-testid="koreksi-menunggu-ttd"' in detail
    assert "Versi 2 (koreksi) belum ditandatangani dan menunggu tanda tangan" in detail
    assert "Status usulan sudah SK terbit" in detail
    assert "Setelah itu status usulan menjadi SK terbit" not in detail
    halaman = _teks(client.get(reverse("pengusulan:usulan_detail", args=[usulan[0].pk])))
    assert "dikoreksi: versi 2 menunggu tanda tangan" in halaman
    # Signing version 2 ends the notice.
    _tanda_tangani(ppk_pk, [v2])
    detail = _teks(client.get(reverse("surat:detail", args=[v1.surat_id])))
    assert 'data-testid="koreksi-menunggu-ttd"' not in detail


def test_an_uploaded_copy_hides_signing_and_a_stale_letter_is_skipped_in_a_batch(
    client, sk_siap, ppk_pk, pejabat_ppk, sertifikat_ppk, tsa
):
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    a, b, c = sk_siap(3)
    # C is signed in another application (the BSrE app) and its validated copy uploaded.
    signer = signers.SimpleSigner.load_pkcs12_data(sertifikat_ppk.pkcs12(b"x"), [], passphrase=b"x")
    luar = pades.tandatangani(
        baca(c.berkas), signer, tampilan=pades.Tampilan("X", "", "Jabatan", "https://siaks.example/v/X/"),
        field_name="Luar", timestamper=HTTPTimeStamper(tsa.url), alasan="Penetapan SK",
    )  # fmt: skip
    with as_user(ppk_pk):
        services.unggah_salinan(actor=ppk_pk, versi=c, upload=SimpleUploadedFile("c.pdf", luar))
    client.force_login(ppk_pk)
    detail = _teks(client.get(reverse("surat:detail", args=[c.surat_id])))
    assert 'data-testid="tandatangani"' not in detail
    assert "sudah memiliki salinan bertanda tangan elektronik dari aplikasi lain" in detail
    with as_user(ppk_pk), pytest.raises(services.TtdError, match=f"Surat {re.escape(c.surat.nomor)} sudah memiliki"):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[c.pk])
    # A is corrected while the queue (holding its version 1) is open.
    antrean = _teks(client.get(reverse("ttd:antrean")))
    assert a.surat.nomor in antrean and c.surat.nomor not in antrean
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=a.surat, alasan="Nama keliru")
    render_antrean()
    response = client.post(reverse("ttd:tandatangani"), {"versi": [a.pk, b.pk, c.pk]})
    assert response.status_code == 302, _teks(response)[:500]
    with all_tenants():
        batch = BatchTtd.objects.get()
    assert response.url == reverse("ttd:batch", args=[batch.pk])
    assert [(d["versi"], d["nomor"]) for d in batch.dilewati] == [(a.pk, a.surat.nomor), (c.pk, c.surat.nomor)]
    assert "Versi 1 surat" in batch.dilewati[0]["alasan"] and "sudah digantikan" in batch.dilewati[0]["alasan"]
    assert ttd_antrean() == 1
    assert _refresh(b).ttd_berkas and not _refresh(a).ttd_berkas
    laporan = _teks(client.get(response.url))
    assert laporan.count('data-testid="dilewati-ttd"') == 2 and "sudah digantikan" in laporan
    assert "1 dari 1 surat ditandatangani" in laporan
    api = client.get(reverse("api:ttd-batch-detail", args=[batch.pk])).json()
    assert [d["nomor"] for d in api["dilewati"]] == [a.surat.nomor, c.surat.nomor]
    # The queue page lists the batch with its counts and a link to its report.
    antrean = client.get(reverse("ttd:antrean")).content.decode()
    baris = re.search(rf'<tr data-testid="batch-{batch.pk}">(.*?)</tr>', antrean, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", baris)[1:4] == ["1/1", "0", "2"]
    assert reverse("ttd:batch", args=[batch.pk]) in baris


def test_the_paraf_card_and_e_mail_name_the_person_and_the_letter(
    client, sk_siap, ppk_pk, pejabat_ppk, instansi_a, mailoutbox, django_capture_on_commit_callbacks
):
    kabag = UserFactory(
        username="kabag.t", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Rina Kabag Kepegawaian",
        email="kabag@example.go.id",
    )  # fmt: skip
    with all_tenants():
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
    with django_capture_on_commit_callbacks(execute=True):
        (versi,) = sk_siap(1)
    with all_tenants():
        pegawai = list(Usulan.objects.filter(surat_baris__surat=versi.surat).values_list("pegawai_nama", flat=True))
    surat_mail = [m for m in mailoutbox if kabag.email in m.to]
    assert len(surat_mail) == 1
    body = surat_mail[0].body
    assert f"Perihal: {versi.surat.perihal}" in body and "Jenis surat: SK pengangkatan" in body
    assert all(nama in body for nama in pegawai) and pegawai
    assert f"/surat/{versi.surat_id}/" in body and "/ttd/" in body
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=versi)
    client.force_login(ppk_pk)
    detail = _teks(client.get(reverse("surat:detail", args=[versi.surat_id])))
    assert "paraf oleh Rina Kabag Kepegawaian" in detail and versi.sha256[:12] in detail


def test_a_finished_batch_says_it_is_finished_and_stops_refreshing(client, sk_siap, ppk_pk, pejabat_ppk):
    """Fresh-eye finding (issue 17, second walk): /ttd/batch/<id>/ still said "Surat ditandatangani
    di latar belakang. Halaman ini diperbarui otomatis." next to the final "2 dari 2 surat
    ditandatangani". The line now follows the batch (inside the refreshed block)."""
    v1, v2 = sk_siap(2)
    client.force_login(ppk_pk)
    response = client.post(reverse("ttd:tandatangani"), {"versi": [v1.pk, v2.pk]})
    assert response.status_code == 302, _teks(response)[:500]
    berjalan = client.get(response.url).content.decode()
    assert "Halaman ini diperbarui otomatis" in berjalan and 'hx-trigger="every 2s"' in berjalan
    assert ttd_antrean() == 2
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page, and the block the refresh fetches
        page = client.get(response.url, **headers).content.decode()
        assert "2 dari 2 surat ditandatangani" in page
        assert "Penandatanganan batch ini selesai." in page
        assert "diperbarui otomatis" not in page and "latar belakang" not in page
        assert "hx-trigger" not in page
