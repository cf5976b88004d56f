"""The pages and the REST API of electronic signatures, end to end with real PDFs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.ttd.models import AlurParaf, LangkahParaf
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca, ttd_antrean

pytestmark = pytest.mark.django_db


def test_the_api_paraf_sign_batch_status_and_validation(client, sk_siap, ppk_pk, pejabat_ppk, instansi_a, instansi_b):
    kabag = UserFactory(username="kabag.api", instansi=instansi_a, roles=["pic_instansi"])
    with all_tenants():
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag")
    (versi,) = sk_siap(1)
    client.force_login(kabag)
    assert [v["id"] for v in client.get(reverse("api:ttd-paraf-list")).json()] == [versi.pk]
    paraf = client.post(reverse("api:ttd-versi-paraf", args=[versi.pk]))
    assert paraf.status_code == 201 and paraf.json()["sha256"] == versi.sha256
    assert client.get(reverse("api:ttd-paraf-list")).json() == []
    # Another instansi's PPK: 404 on the version, its paraf and its validation.
    client.force_login(UserFactory(username="ppk.b", instansi=instansi_b, roles=["ppk"]))
    assert client.get(reverse("api:ttd-versi-detail", args=[versi.pk])).status_code == 404
    assert client.post(reverse("api:ttd-versi-paraf", args=[versi.pk])).status_code == 404
    refused = client.post(
        reverse("api:ttd-antrean-list"), {"versi": [versi.pk], "passphrase": ""}, content_type="application/json"
    )
    assert refused.status_code == 404
    client.force_login(ppk_pk)
    antre = client.get(reverse("api:ttd-antrean-list")).json()
    assert versi.pk in [v["id"] for v in antre]
    signed = client.post(reverse("api:ttd-antrean-list"), {"versi": [versi.pk]}, content_type="application/json")
    assert signed.status_code == 202
    batch = signed.json()
    assert batch["progress"] == {"total": 1, "selesai": 0, "gagal": 0, "proses": 1, "persen": 0, "alasan_sama": ""}
    ttd_antrean()
    status = client.get(reverse("api:ttd-batch-detail", args=[batch["id"]])).json()
    assert status["progress"]["selesai"] == 1 and status["item"][0]["penandatangan_nip"] == pejabat_ppk.nip
    detail = client.get(reverse("api:ttd-versi-detail", args=[versi.pk])).json()
    assert detail["paraf_lengkap"] and detail["lengkap"] and detail["paraf"][0]["sha256"] == versi.sha256
    with all_tenants():
        versi.refresh_from_db()
        data = baca(versi.ttd_berkas)
    ok = client.post(reverse("api:ttd-versi-validasi", args=[versi.pk]), {"berkas": SimpleUploadedFile("s.pdf", data)})
    assert ok.status_code == 200 and ok.json()["sah"] and ok.json()["identik"]
    broken = bytearray(data)
    broken[len(data) // 3] ^= 1
    bad = client.post(
        reverse("api:ttd-versi-validasi", args=[versi.pk]), {"berkas": SimpleUploadedFile("s.pdf", bytes(broken))}
    )
    assert bad.status_code == 200 and not bad.json()["sah"] and bad.json()["alasan"]
    # Public, by the printed code.
    client.logout()
    public = client.post(
        reverse("api:ttd-publik-validasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("s.pdf", data)}
    )
    assert public.status_code == 200 and public.json()["sah"]
    assert "ditandatangani secara elektronik oleh Ir. Budi Santoso" in public.json()["ringkasan"]
    # Anonymous callers get the NIP and NIK masked, as the public page masks NIPs, everywhere.
    from apps.surat.selectors import mask_nip
    from tests.ttd.conftest import NIK_PPK

    body = public.content.decode()
    assert pejabat_ppk.nip not in body and NIK_PPK not in body
    assert public.json()["tanda_tangan"][0]["nip"] == mask_nip(pejabat_ppk.nip)
    assert public.json()["tanda_tangan"][0]["nik"] == mask_nip(NIK_PPK)
    assert ok.json()["tanda_tangan"][0]["nip"] == pejabat_ppk.nip  # the staff's own API keeps them
    schema = client.get(reverse("schema")).content.decode()
    assert "/api/v1/ttd/antrean/" in schema and "/api/v1/ttd/publik/{kode}/validasi/" in schema


def test_the_pages_sign_and_the_public_page_says_sah(client, sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    client.force_login(ppk_pk)
    detail = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="kartu-tte"' in detail and 'data-testid="tandatangani"' in detail
    queue = client.get(reverse("ttd:antrean")).content.decode()
    assert versi.surat.nomor in queue
    response = client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]})
    assert response.status_code == 302
    page = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "0 dari 1 surat ditandatangani" in page and "every 2s" in page
    ttd_antrean()
    page = client.get(response.url).content.decode()
    assert "1 dari 1 surat ditandatangani" in page and "every 2s" not in page
    client.logout()
    public = client.get(reverse("surat:verifikasi", args=[versi.kode])).content.decode()
    assert "Ditandatangani secara elektronik oleh Ir. Budi Santoso, M.T." in public and "sah." in public
    with all_tenants():
        versi.refresh_from_db()
        data = baca(versi.ttd_berkas)
    checked = client.post(reverse("surat:verifikasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("x.pdf", data)})
    assert 'data-testid="hasil-tte"' in checked.content.decode() and "— sah." in checked.content.decode()
    broken = bytearray(data)
    broken[len(data) // 3] ^= 1
    checked = client.post(
        reverse("surat:verifikasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("x.pdf", bytes(broken))}
    )
    assert 'data-testid="hasil-tte-ditolak"' in checked.content.decode()
