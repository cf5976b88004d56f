"""The REST API gives what the pages give (issue 17 fresh-eye leftovers), on real PDFs and real
signatures:

* the logged-in validation ``POST /api/v1/ttd/versi/{id}/validasi/`` returns the public page's
  verdict (apps.ttd.publik.periksa_publik): the issued unsigned PDF, a signed copy of a
  superseded version, a copy changed after signing, another letter;
* a paraf across instansi (a province's approver on the PAK its Tim Penilai issued for a
  kabupaten holder) is given through the API as on the page, and anyone not in the chain —
  of any instansi — still gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core import tenancy
from apps.surat import services as surat_services
from apps.ttd import services
from apps.ttd.models import AlurParaf, AlurVersi, LangkahParaf, Paraf
from tests.factories import InstansiFactory, UserFactory
from tests.surat.conftest import all_tenants, render_antrean
from tests.ttd.conftest import baca, ttd_antrean
from tests.ttd.test_temuan import _refresh
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _periksa(client, versi, data: bytes) -> dict:
    response = client.post(
        reverse("api:ttd-versi-validasi", args=[versi.pk]), {"berkas": SimpleUploadedFile("s.pdf", data)}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_the_logged_in_validation_gives_the_public_verdict_with_version_matching(client, sk_siap, ppk_pk, pejabat_ppk):
    v1, lain = sk_siap(2)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[v1.pk])
    ttd_antrean()
    v1 = _refresh(v1)
    with all_tenants():
        terbit, bertanda, terbit_lain = baca(v1.berkas), baca(v1.ttd_berkas), baca(lain.berkas)
    client.force_login(ppk_pk)
    # The signed copy of the version in force: sah, identical to version 1, in force.
    ok = _periksa(client, v1, bertanda)
    assert (ok["sah"], ok["identik"], ok["versi"], ok["berlaku"], ok["tingkat"]) == (True, True, 1, True, "sah")
    assert ok["tanda_tangan"][0]["nip"] == pejabat_ppk.nip  # staff read the NIP unmasked
    # The issued PDF without signature: identical, not a signed copy, and says where that is.
    polos = _periksa(client, v1, terbit)
    assert (polos["sah"], polos["identik"], polos["versi"], polos["tingkat"]) == (False, True, 1, "peringatan")
    assert "tidak memuat tanda tangan elektronik" in polos["ringkasan"]
    assert polos["versi_berlaku_ditandatangani"] is True
    # One changed byte after signing: not sah.
    rusak = bytearray(bertanda)
    rusak[len(terbit) + (len(bertanda) - len(terbit)) // 2] ^= 1
    assert _periksa(client, v1, bytes(rusak))["tingkat"] == "tidak_sah"
    # Another letter's PDF: not identical.
    asing = _periksa(client, v1, terbit_lain)
    assert (asing["sah"], asing["identik"], asing["tingkat"]) == (False, False, "tidak_sah")
    # Corrected: version 1's genuine signed copy is identical to version 1 but superseded.
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    v2 = _refresh(v2)
    for versi in (v1, v2):
        lama = _periksa(client, versi, bertanda)
        assert (lama["sah"], lama["identik"], lama["versi"], lama["berlaku"]) == (False, True, 1, False)
        assert (lama["versi_berlaku"], lama["versi_berlaku_ditandatangani"], lama["tingkat"]) == (
            2,
            False,
            "peringatan",
        )
        assert "sudah digantikan versi 2" in lama["ringkasan"]
    # The OpenAPI schema says so.
    schema = client.get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    op = schema["paths"]["/api/v1/ttd/versi/{id}/validasi/"]["post"]
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"versi", "berlaku", "versi_berlaku", "tingkat"} <= set(schema["components"]["schemas"][ref]["properties"])


def test_an_approver_of_another_instansi_gives_the_paraf_through_the_api_as_on_the_page(client, ca, referensi):
    from tests.penetapan.conftest import periode_seed_001
    from tests.ttd.test_pak_lintas import _pak_dan_hapak

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    kab = InstansiFactory(kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov)
    pic_kab = UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])
    pak, hapak = _pak_dan_hapak(pic_kab, kab, jfak, prov)
    assert (pak.surat.penerbit_id, pak.surat.instansi_id) == (prov.pk, kab.pk)
    kabag = UserFactory(username="kabag.jateng", instansi=prov, roles=["pic_instansi"])
    with tenancy.all_tenants(reason="test set-up"):
        alur = AlurParaf.objects.create(instansi=prov, jenis=pak.surat.jenis)
        LangkahParaf.objects.create(instansi=prov, alur=alur, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
        # The PAK as issued under that chain (a version keeps the chain it was issued with).
        AlurVersi.objects.filter(versi_id=pak.pk).update(
            langkah=[{"urutan": 1, "user": kabag.pk, "sebutan": "Kabag Kepegawaian"}]
        )
    # Not in the chain: the kabupaten's PIC (who holds the letter), a province colleague, and
    # another instansi's user — all 404, nothing recorded.
    lain = InstansiFactory(kode="KAB-LAIN", nama="Pemerintah Kabupaten Lain", jenis="kabupaten")
    for user in (
        UserFactory(username="pic.lain", instansi=lain, roles=["pic_instansi"]),
        UserFactory(username="staf.jateng", instansi=prov, roles=["pic_instansi"]),
    ):
        client.force_login(user)
        assert client.post(reverse("api:ttd-versi-paraf", args=[pak.pk])).status_code == 404
    with tenancy.all_tenants(reason="test assertion"):
        assert not Paraf.objects.exists()
    # The approver: the queue lists it, the paraf is given (201) and recorded on that version.
    client.force_login(kabag)
    assert pak.pk in [v["id"] for v in client.get(reverse("api:ttd-paraf-list")).json()]
    response = client.post(reverse("api:ttd-versi-paraf", args=[pak.pk]))
    assert response.status_code == 201, response.content
    assert response.json()["sha256"] == pak.sha256 and response.json()["sebutan"] == "Kabag Kepegawaian"
    with tenancy.all_tenants(reason="test assertion"):
        (p,) = Paraf.objects.all()
        assert (p.versi_id, p.user_id, p.sha256) == (pak.pk, kabag.pk, pak.sha256)
    assert pak.pk not in [v["id"] for v in client.get(reverse("api:ttd-paraf-list")).json()]
    # The HAPAK is of another type whose chain does not name them: 404; a non-numeric id too.
    assert client.post(reverse("api:ttd-versi-paraf", args=[hapak.pk])).status_code == 404
