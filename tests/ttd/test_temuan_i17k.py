"""Fresh-eye walk of issue 17 (i17k), on real letters and real signatures: an SK corrected after it
was signed flags its usulan ("SK terbit", the correction awaits its signature) on the PIC, PPK and
pembina pages and in the API until the correction is signed — by the portal's TTE or by the scan
fallback, as the public page says — without a second holder record or ledger row."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditLog
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from apps.ttd import services
from tests.surat.conftest import all_tenants, render_antrean, tandatangani_basah
from tests.ttd.conftest import ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

BADGE = 'data-testid="koreksi-sk-menunggu"'


def _teks(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _tanda_tangani(ppk, versi_list):
    with as_user(ppk):
        services.minta_tandatangan(actor=ppk, versi_ids=[v.pk for v in versi_list])
    ttd_antrean()


def _pemegang(nip):
    with all_tenants():
        pejabat = list(PejabatFungsional.objects.filter(nip=nip))
        mutasi = list(MutasiAK.objects.filter(pejabat__nip=nip).values_list("jenis", flat=True))
    return pejabat, mutasi


def _koreksi(ppk, v1):
    with as_user(ppk):
        v2 = surat_services.surat_koreksi(actor=ppk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=v2.pk)


def _flag_di_mana_mana(client, *, usulan, ppk, pic, verifikator) -> dict:
    """Where the flag shows: the PIC's list, usulan page and API; the PPK's page; the pembina's
    inbox (page and API)."""
    out = {}
    client.force_login(pic)
    out["pic_daftar"] = BADGE in _teks(client.get(reverse("pengusulan:dashboard")))
    out["pic_usulan"] = BADGE in _teks(client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])))
    api = client.get(reverse("api:usulan-detail", args=[usulan.pk])).json()
    assert api["status"] == Status.SK_TERBIT
    out["api"] = api["sk_koreksi_menunggu_ttd"]
    daftar = client.get(reverse("api:usulan-list")).json()["results"]
    out["api_daftar"] = next(u for u in daftar if u["id"] == usulan.pk)["sk_koreksi_menunggu_ttd"]
    client.force_login(ppk)
    out["ppk"] = 'data-testid="koreksi-sk-ppk"' in _teks(client.get(reverse("surat:ppk")))
    client.force_login(verifikator)
    out["pembina"] = BADGE in _teks(client.get(reverse("verifikasi:inbox")))
    rows = client.get(reverse("api:pembina-usulan-list")).json()["results"]
    out["pembina_api"] = next(u for u in rows if u["id"] == usulan.pk)["sk_koreksi_menunggu_ttd"]
    client.logout()
    return out


def _publik(client, versi) -> str:
    client.logout()
    return _teks(client.get(reverse("surat:verifikasi", args=[versi.kode])))


@pytest.mark.parametrize("cara", ["tte", "pindaian"])
def test_a_corrected_signed_sk_flags_its_usulan_until_the_correction_is_signed(
    cara, client, sk_siap, ppk_pk, pic_pk, staf, pejabat_ppk
):
    (v1,) = sk_siap(1)
    with all_tenants():
        usulan = Usulan.objects.get(surat_baris__surat=v1.surat_id)
    _tanda_tangani(ppk_pk, [v1])
    pejabat, mutasi = _pemegang(usulan.pegawai_nip)
    assert len(pejabat) == 1 and mutasi == ["awal"]
    semua = {"pic_daftar", "pic_usulan", "api", "api_daftar", "ppk", "pembina", "pembina_api"}
    peran = {"usulan": usulan, "ppk": ppk_pk, "pic": pic_pk, "verifikator": staf["verifikator"]}
    # Signed: "SK terbit", no flag anywhere.
    assert not any(_flag_di_mana_mana(client, **peran).values())

    v2 = _koreksi(ppk_pk, v1)
    with all_tenants():
        usulan.refresh_from_db()
    assert usulan.status == Status.SK_TERBIT  # the decision stands; no move back
    flag = _flag_di_mana_mana(client, **peran)
    assert {k for k, v in flag.items() if v} == semua, flag
    assert "Versi yang berlaku belum ditandatangani" in _publik(client, v2)

    if cara == "tte":
        _tanda_tangani(ppk_pk, [v2])
        assert "Ditandatangani secara elektronik oleh Ir. Budi Santoso" in _publik(client, v2)
    else:
        tandatangani_basah(v2.surat, ppk_pk)
        publik = _publik(client, v2)
        assert "Ditandatangani basah (pindaian) oleh Ir. Budi Santoso" in publik
    with all_tenants():
        usulan.refresh_from_db()
        v2.refresh_from_db()
    assert usulan.status == Status.SK_TERBIT and v2.ttd_berkas
    assert not any(_flag_di_mana_mana(client, **peran).values())
    # The holder's record that "SK terbit" opened is the one record, its ledger unchanged.
    assert _pemegang(usulan.pegawai_nip) == (pejabat, mutasi)
    # The usulan's history says both: the correction awaiting its signature, then signed.
    with all_tenants():
        riwayat = list(
            AuditLog.objects.filter(object_type="pengusulan.usulan", object_id=str(usulan.pk))
            .order_by("id")
            .values_list("action", "message")
        )
    nomor = v1.surat.nomor
    assert riwayat[-2:] == [
        ("usulan.sk_dikoreksi",
         f"SK {nomor} dikoreksi (versi 2): versi koreksi menunggu tanda tangan. Status tetap SK terbit."),
        ("usulan.sk_koreksi_ditandatangani",
         f"SK {nomor} versi 2 (koreksi) ditandatangani "
         + ("secara elektronik." if cara == "tte" else "basah (pindaian diunggah)."))
    ]  # fmt: skip
    assert [a for a, _m in riwayat].count("usulan.sk_terbit") == 1
    client.force_login(pic_pk)
    halaman = _teks(client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])))
    assert f"SK {nomor} dikoreksi (versi 2): versi koreksi menunggu tanda tangan" in halaman
    assert f"SK {nomor} versi 2 (koreksi) ditandatangani" in halaman


NIK_LAIN = "3273019999999999"


def test_a_certificate_with_the_right_nip_but_another_nik_is_flagged(client, sk_siap, pejabat_ppk, ca, tsa):
    """Known by NIP on a trusted certificate, the name the official's, but the certificate's NIK is
    not the one registered for them: the report says so (a note on the signer's line and in the
    summary), on the PPK's upload as on the public page — not a silent pass."""
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from apps.ttd import pades, validasi
    from tests.ttd.conftest import NIK_PPK, baca

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    identitas = ca.pejabat("Ir. Budi Santoso, M.T.", nik=NIK_LAIN, nip=pejabat_ppk.nip)
    signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(b"x"), [], passphrase=b"x")
    data = pades.tandatangani(
        terbit, signer, tampilan=pades.Tampilan("X", "", "Jabatan", "https://siaks.example/v/X/"), field_name="Luar",
        timestamper=HTTPTimeStamper(tsa.url), alasan="Penetapan SK",
    )  # fmt: skip
    with all_tenants():
        laporan = validasi.validasi(data, versi, terbit=terbit)
    catatan = f"NIK berbeda: sertifikat NIK {NIK_LAIN}, pejabat terdaftar NIK {NIK_PPK}."
    (baris,) = laporan.tanda_tangan
    cek = {c["kode"]: c for c in baris["pemeriksaan"]}
    assert laporan.sah and catatan in cek["penandatangan"]["keterangan"] and catatan in laporan.ringkasan
    # The public API: the same note, the NIKs masked.
    client.logout()
    api = client.post(
        reverse("api:ttd-publik-validasi", args=[versi.kode]), {"berkas": SimpleUploadedFile("s.pdf", data)}
    ).json()
    assert api["sah"] is True and "NIK berbeda: sertifikat NIK 3273********9999" in api["ringkasan"]
    assert NIK_LAIN not in str(api)
    # The PPK's upload of that copy: accepted, with the note shown.
    client.force_login(pejabat_ppk.user)
    response = client.post(
        reverse("surat:ttd", args=[versi.pk]), {"berkas": SimpleUploadedFile("s.pdf", data)}, follow=True
    )
    teks = _teks(response)
    assert "Salinan bertanda tangan diunggah" in teks and catatan in teks


def test_the_api_download_serves_the_signed_copy_once_signed(client, sk_siap, ppk_pk, pejabat_ppk):
    from tests.ttd.conftest import baca

    (versi,) = sk_siap(1)
    client.force_login(ppk_pk)
    url = reverse("api:surat-unduh", args=[versi.surat_id])

    def isi(response) -> bytes:
        return b"".join(response.streaming_content)

    # Not signed yet: the issued PDF (as "Unduh PDF"); the signed copy is not there.
    response = client.get(url)
    assert response.status_code == 200 and response["X-SIAKS-Berkas"] == "terbit"
    assert isi(response) == baca(versi.berkas)
    belum = client.get(url, {"berkas": "ttd"})
    assert belum.status_code == 404 and "belum ditandatangani" in belum.json()["detail"]
    assert client.get(url, {"berkas": "lain"}).status_code == 400
    _tanda_tangani(ppk_pk, [versi])
    with all_tenants():
        versi.refresh_from_db()
    # Signed: the signed copy by default (as "Unduh PDF bertanda tangan"), the issued one on request.
    response = client.get(url)
    assert response["X-SIAKS-Berkas"] == "ttd" and isi(response) == baca(versi.ttd_berkas) != baca(versi.berkas)
    response = client.get(url, {"berkas": "terbit"})
    assert response["X-SIAKS-Berkas"] == "terbit" and isi(response) == baca(versi.berkas)


def test_the_tte_routes_document_their_error_answers():
    """Every TTE route of the OpenAPI schema documents its error bodies (400 with the reasons per
    field, 401/403/404 with ``detail``), as the error handler answers them."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    komponen = schema["components"]["schemas"]
    assert komponen["Galat"]["required"] == ["detail"]
    assert "non_field_errors" in komponen["GalatValidasi"]["properties"]
    rute = {
        (path, method): op["responses"]
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if path.startswith("/api/v1/ttd/") or path in ("/api/v1/surat/{id}/ttd/", "/api/v1/surat/{id}/unduh/")
    }
    assert len(rute) == 11
    for (path, method), responses in rute.items():
        wajib = {"404"} | ({"400"} if method == "post" else set())
        if "/publik/" not in path:
            wajib |= {"401", "403"}
        if path in ("/api/v1/ttd/paraf/", "/api/v1/ttd/antrean/") and method == "get":
            wajib -= {"404"}
        if path == "/api/v1/ttd/paraf/" and method == "post":
            wajib -= {"404"}
        assert wajib <= set(responses), (path, method, sorted(responses))
        for kode in wajib:
            ref = responses[kode]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/GalatValidasi" if kode == "400" else "/Galat"), (path, method, kode, ref)
