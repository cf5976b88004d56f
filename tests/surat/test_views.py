"""Pages and API of the letters: the PPK journey, the admin pembina's rekomendasi with progress,
the public verification page, number-format settings and rate limits."""

from __future__ import annotations

import hashlib
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from apps.core.models import AuditLog
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, PolaNomor, Surat, VersiSurat
from tests.pdfs import pindaian
from tests.surat.conftest import (
    PENANDATANGAN,
    TTD_FORM,
    all_tenants,
    rekomendasi_lewat_halaman,
    render_antrean,
    tandatangani_basah,
    tandatangani_rekomendasi,
)


def _isian(response) -> dict:
    """The hidden fields of a confirmation page: the input it carries."""
    import re

    isian: dict = {}
    for nama, nilai in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()):
        isian.setdefault(nama, []).append(html.unescape(nilai))
    return isian


def test_admin_pembina_issues_rekomendasi_and_watches_the_progress(client, diputuskan, staf, pk, instansi_a):
    diputuskan(2, 1)
    client.force_login(staf["admin"])
    page = client.get(reverse("surat:rekomendasi"))
    assert page.status_code == 200 and instansi_a.nama in page.content.decode()
    # First the summary of what will be issued; nothing is issued without the confirmation.
    periksa = rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a, konfirmasi=None)
    body = periksa.content.decode()
    assert periksa.status_code == 200 and "Periksa sebelum menerbitkan rekomendasi" in body
    assert f"{instansi_a.nama}: 2 lulus, 1 tidak lulus" in body and "3 Agustus 2026" in body
    # A mistake after issuing is corrected where the letter's page offers it (named as it is there).
    assert "lewat «Perbaiki surat (versi baru, nomor tetap)»" in body
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()
        assert not AuditLog.objects.filter(action="surat.diterbitkan", message__startswith="Rekomendasi").exists()
    # "Kembali dan ubah": the form again, as the admin filled it.
    ubah = client.post(reverse("surat:rekomendasi"), {**_isian(periksa), "ubah": "1"})
    assert f'value="{PENANDATANGAN[0]}"' in ubah.content.decode()
    assert f'value="{instansi_a.pk}" id="i{instansi_a.pk}" checked' in ubah.content.decode()
    response = rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    assert response.status_code == 302 and "/surat/batch/" in response.url
    progress = client.get(response.url)
    assert (
        "0 dari 1 surat selesai" in progress.content.decode() and 'hx-trigger="every 2s"' in progress.content.decode()
    )
    render_antrean()
    progress = client.get(response.url, HTTP_HX_REQUEST="true")
    body = progress.content.decode()
    assert "1 dari 1 surat selesai" in body and "every 2s" not in body
    again = client.get(reverse("surat:rekomendasi"))
    assert 'data-testid="tidak-ada-rekomendasi"' in again.content.decode()


def test_the_ppk_journey_through_the_pages(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 1)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])
    client.force_login(ppk_pk)
    inbox = client.get(reverse("surat:ppk")).content.decode()
    assert lulus[0].pegawai_nama in inbox and 'data-testid="unduh-rekomendasi"' in inbox
    with all_tenants():
        rekomendasi = Surat.objects.get(jenis=JenisSurat.REKOMENDASI)
        rv = VersiSurat.objects.get(surat=rekomendasi)
    pdf = client.get(reverse("surat:unduh", args=[rv.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == rv.sha256
    with all_tenants():
        assert AuditLog.objects.filter(action="surat.diunduh", actor=ppk_pk).count() == 1

    bad = client.post(
        reverse("surat:ppk"), {"usulan": [lulus[0].pk], "tanggal": "2026-08-20", "tmt": "2030-01-01", **TTD_FORM}
    )
    assert bad.status_code == 200 and "TMT terlalu jauh" in bad.content.decode()  # input kept, nothing issued
    assert 'value="Ir. Budi Santoso, M.T."' in bad.content.decode()
    isian = {"usulan": [lulus[0].pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    periksa = client.post(reverse("surat:ppk"), isian)
    body = periksa.content.decode()
    assert periksa.status_code == 200 and "Periksa sebelum menerbitkan SK" in body
    assert "1 SK dan 1 PAK" in body and "1 September 2026" in body and lulus[0].pegawai_nama in body
    with all_tenants():
        assert not Surat.objects.filter(jenis__in=[JenisSurat.SK, JenisSurat.PAK]).exists()
    ubah = client.post(reverse("surat:ppk"), {**_isian(periksa), "ubah": "1"}).content.decode()
    assert f'id="u{lulus[0].pk}" aria-label="{lulus[0].pegawai_nama}" checked' in ubah
    assert 'value="2026-09-01"' in ubah
    response = client.post(reverse("surat:ppk"), {**isian, "konfirmasi": "ya"})
    assert response.status_code == 302
    with all_tenants():
        sk = Surat.objects.get(jenis=JenisSurat.SK)
    assert response.url == reverse("surat:detail", args=[sk.pk])
    detail = client.get(response.url).content.decode()
    assert 'data-testid="sedang-diproses"' in detail and "every 2s" in detail
    still = client.get(response.url + "?bagian=status", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" in still and 'data-testid="sedang-diproses"' in still
    render_antrean()
    polling = client.get(response.url + "?bagian=status", HTTP_HX_REQUEST="true")
    assert polling.status_code == 204 and polling["HX-Refresh"] == "true"  # done: the page reloads
    detail = client.get(response.url).content.decode()
    assert 'data-testid="unduh-surat"' in detail and "every 2s" not in detail and "Sedang diproses" not in detail
    with all_tenants():
        versi = VersiSurat.objects.get(surat=sk)
        pak = Surat.objects.get(jenis=JenisSurat.PAK)
    # Seed 004: the PAK issued with the SK is signed first; until then the SK's copy is refused.
    with versi.berkas.open("rb") as fh:
        pindai = pindaian(fh.read())
    signed = SimpleUploadedFile("SK bertanda tangan.pdf", pindai, content_type="application/pdf")
    tunggu = client.post(reverse("surat:ttd", args=[versi.pk]), {"berkas": signed, "alasan": "Server BSrE gangguan."})
    assert pak.nomor in html.unescape(client.get(tunggu.url).content.decode())
    tandatangani_basah(pak, ppk_pk)
    wrong = client.post(reverse("surat:ttd", args=[versi.pk]), {"berkas": SimpleUploadedFile("x.exe", b"MZ")})
    assert wrong.status_code == 302
    assert "tidak diizinkan" in client.get(wrong.url).content.decode()
    # Issue 14 (walk): a refused upload keeps the reason typed for the scan (the page's form posts
    # to ttd:unggah), shown once with the refusal.
    for route in ("ttd:unggah", "surat:ttd"):
        wrong = client.post(
            reverse(route, args=[versi.pk]),
            {"berkas": SimpleUploadedFile("x.exe", b"MZ"), "alasan": "Server BSrE gangguan sejak pagi."},
        )
        kembali = client.get(wrong.url).content.decode()
        assert "tidak diizinkan" in kembali
        assert ">Server BSrE gangguan sejak pagi.</textarea>" in kembali, route
        assert "Server BSrE gangguan sejak pagi." not in client.get(wrong.url).content.decode()  # once
    # A scan (no electronic signature) is the fallback only, and only with its reason.
    scan = SimpleUploadedFile("SK bertanda tangan.pdf", pindai, content_type="application/pdf")
    refused = client.post(reverse("surat:ttd", args=[versi.pk]), {"berkas": scan})
    assert "tuliskan alasannya" in client.get(refused.url).content.decode()
    with all_tenants():
        assert Usulan.objects.get(pk=lulus[0].pk).status == Status.DIREKOMENDASIKAN
    signed = SimpleUploadedFile("SK bertanda tangan.pdf", pindai, content_type="application/pdf")
    client.post(reverse("surat:ttd", args=[versi.pk]), {"berkas": signed, "alasan": "Server BSrE gangguan (kahar)."})
    with all_tenants():
        assert Usulan.objects.get(pk=lulus[0].pk).status == Status.SK_TERBIT
    # The pembina sees the SK copy of the instansi (national data).
    client.force_login(staf["verifikator"])
    nasional = client.get(reverse("surat:sk_nasional"), {"jf": pk.kode, "instansi": instansi_a.pk}).content.decode()
    assert sk.nomor in nasional and "SK bertanda tangan.pdf" in nasional
    copy = client.get(reverse("surat:unduh_ttd", args=[versi.pk]))
    assert copy.status_code == 200 and b"".join(copy.streaming_content) == pindai


def test_public_verification_page_without_login(client, diputuskan, staf, pk, instansi_a):
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    client.logout()
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(surat__jenis=JenisSurat.REKOMENDASI)
    url = reverse("surat:verifikasi", args=[versi.kode])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    nip = lulus[0].pegawai_nip
    assert versi.surat.nomor in body and versi.sha256 in body and lulus[0].pegawai_nama in body
    assert nip not in body and f"{nip[:4]}{'*' * 10}{nip[-4:]}" in body
    with versi.berkas.open("rb") as fh:
        original = fh.read()
    same = client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", original)}).content.decode()
    assert 'data-testid="hasil-cocok"' in same
    tampered = client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", original + b"\n")}).content.decode()
    assert 'data-testid="hasil-beda"' in tampered
    assert client.get(reverse("surat:verifikasi", args=["ZZZZ-ZZZZ-ZZ"])).status_code == 404
    assert client.get(url.lower(), follow=True).status_code == 200  # typed in lower case: the printed form

    # A corrected version supersedes it: the old code says so and links the new one.
    client.force_login(staf["admin"])
    client.post(reverse("surat:koreksi", args=[versi.surat_id]), {"alasan": "Salah ketik nama"})
    render_antrean()
    client.logout()
    body = client.get(url).content.decode()
    assert 'data-testid="digantikan"' in body and "Lihat versi terbaru" in body


@override_settings(SIAKS_RATE_VERIFIKASI=3)
def test_the_public_page_and_api_are_rate_limited(client, diputuskan, staf, pk, instansi_a):
    from django.core.cache import cache

    diputuskan(1, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    client.logout()
    with all_tenants():
        kode = VersiSurat.objects.get(surat__jenis=JenisSurat.REKOMENDASI).kode
    codes = [client.get(reverse("surat:verifikasi", args=[kode])).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    blocked = client.get(reverse("surat:verifikasi", args=[kode]))
    assert "Terlalu banyak permintaan" in blocked.content.decode() and int(blocked["Retry-After"]) > 0
    cache.clear()
    api = [client.get(reverse("api:verifikasi-surat-detail", args=[kode])).status_code for _ in range(4)]
    assert api == [200, 200, 200, 429]


def test_letters_api(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(2, 0)
    client.force_login(staf["admin"])
    response = client.post(
        reverse("api:pembina-rekomendasi-list"),
        {"jf": pk.kode, "instansi": [instansi_a.pk], "tanggal": "2026-08-03",
         "penandatangan_nama": PENANDATANGAN[0], "penandatangan_jabatan": PENANDATANGAN[1]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["surat"][0]["versi"][0]["status"] == "antrean"
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])
    client.force_login(ppk_pk)
    waiting = client.get(reverse("api:ppk-sk-list")).json()
    assert sorted(u["id"] for u in waiting["results"]) == sorted(u.pk for u in lulus)
    response = client.post(
        reverse("api:ppk-sk-list"),
        {"usulan": [u.pk for u in lulus], "tanggal": "2026-08-20", "tmt": "2026-09-01", "kolektif": True,
         **TTD_FORM},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    jenis = sorted(s["jenis"] for s in response.json()["surat"])
    assert jenis == ["pak", "pak", "sk_kolektif"]
    sk_id = next(s["id"] for s in response.json()["surat"] if s["jenis"] == "sk_kolektif")
    assert client.get(reverse("api:surat-unduh", args=[sk_id])).status_code == 409  # still rendering
    render_antrean()
    pdf = client.get(reverse("api:surat-unduh", args=[sk_id]))
    terbit = b"".join(pdf.streaming_content)
    assert pdf.status_code == 200 and terbit.startswith(b"%PDF-")
    listed = client.get(reverse("api:surat-list"), {"jenis": "sk_kolektif"}).json()
    assert [s["id"] for s in listed["results"]] == [sk_id]
    pindai = pindaian(terbit)
    with all_tenants():
        paks = list(Surat.objects.filter(jenis=JenisSurat.PAK))
    for pak in paks:  # seed 004: the PAKs issued with the SK are signed before it
        tandatangani_basah(pak, ppk_pk)
    upload = client.post(
        reverse("api:surat-ttd", args=[sk_id]),
        {"berkas": SimpleUploadedFile("ttd.pdf", pindai), "alasan": "Sistem TTE tidak tersedia."},
    )
    assert upload.status_code == 200 and upload.json()["ttd"]["sha256"] == hashlib.sha256(pindai).hexdigest()
    with all_tenants():
        assert set(Usulan.objects.filter(pk__in=[u.pk for u in lulus]).values_list("status", flat=True)) == {
            Status.SK_TERBIT
        }
        kode = VersiSurat.objects.get(surat_id=sk_id).kode
    client.logout()
    public = client.get(reverse("api:verifikasi-surat-detail", args=[kode])).json()
    assert public["jenis"] == "sk_kolektif" and len(public["pegawai"]) == 2
    assert all("*" in p["nip"] for p in public["pegawai"])
    match = client.post(
        reverse("api:verifikasi-surat-cocokkan", args=[kode]),
        {"berkas": SimpleUploadedFile("a.pdf", pindai)},
    ).json()
    assert match == {
        "sha256": hashlib.sha256(pindai).hexdigest(),
        "identik": False,
        "identik_salinan_ttd": True,
    }
    assert client.get(reverse("api:surat-list")).status_code in (401, 403)


def test_number_format_settings(client, ppk_pk, instansi_a):
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:pengaturan"))
    assert page.status_code == 200 and "800.1.3.3/{urut:04d}/SK-JF/{kode}/{tahun}" in page.content.decode()
    data = {"kop_surat": "KEMENTERIAN PERHUBUNGAN\nSEKRETARIAT JENDERAL", "alamat": "Jl. Medan Merdeka Barat 8",
            "pola_sk": "SK/{urut}/{nama}", "pola_pak": "{urut:04d}/PAK/{tahun}"}  # fmt: skip
    bad = client.post(reverse("surat:pengaturan"), data)
    assert bad.status_code == 200 and "{nama} tidak dikenal" in bad.content.decode()
    assert "SK/{urut}/{nama}" in bad.content.decode()  # the input is kept
    data["pola_sk"] = "SK-{urut:03d}/{kode}/{tahun}"
    assert client.post(reverse("surat:pengaturan"), data).status_code == 302
    assert PolaNomor.objects.get(penerbit=instansi_a, seri="sk").pola == "SK-{urut:03d}/{kode}/{tahun}"
    instansi_a.refresh_from_db()
    assert instansi_a.kop_surat.splitlines() == ["KEMENTERIAN PERHUBUNGAN", "SEKRETARIAT JENDERAL"]
    data["pola_sk"] = "SK tanpa nomor urut"
    assert "harus memuat {urut}" in client.post(reverse("surat:pengaturan"), data).content.decode()


@pytest.mark.parametrize("role", ["pic_instansi", "verifikator", "penilai"])
def test_only_ppk_and_admin_pembina_reach_the_issuing_pages(client, role, instansi_a):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username=f"u.{role}", instansi=instansi_a, roles=[role]))
    assert client.get(reverse("surat:ppk")).status_code == 403
    assert client.get(reverse("surat:rekomendasi")).status_code == 403
    assert client.get(reverse("surat:pengaturan")).status_code == 403


def test_an_instansi_without_its_kota_is_told_what_is_missing_and_where_to_fill_it(
    client, diputuskan, staf, pk, instansi_a, ppk_pk
):
    """Issue 14 (walk): a new instansi had no kota kedudukan and no form to enter it; the SK's
    refusal named neither. The refusal names the missing kota and both places to fill it, on
    the field; the PPK then fills it in Pengaturan surat and the SK carries it."""
    from apps.core.models import Instansi
    from apps.surat.penomoran import POLA_BAWAAN

    Instansi.objects.filter(pk=instansi_a.pk).update(kota="")
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])
    client.force_login(ppk_pk)
    isian = {"usulan": [lulus[0].pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    body = html.unescape(client.post(reverse("surat:ppk"), isian).content.decode())
    assert f"Kota kedudukan {instansi_a.nama} belum diisi" in body
    assert '"Ditetapkan di (kota)"' in body and "Surat → Pengaturan surat" in body
    assert 'data-testid="ringkasan-galat"' in body and 'href="#id_ditetapkan_di"' in body
    assert 'value="Ir. Budi Santoso, M.T."' in body  # the input is kept
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.SK).exists()
    # Pengaturan surat holds the kota now; the next try goes through to the summary.
    page = client.get(reverse("surat:pengaturan")).content.decode()
    assert 'name="kota"' in page
    response = client.post(
        reverse("surat:pengaturan"),
        {"kop_surat": "PEMERINTAH KABUPATEN SLEMAN", "alamat": "", "kota": " Sleman ",
         "pola_sk": POLA_BAWAAN["sk"], "pola_pak": POLA_BAWAAN["pak"]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    instansi_a.refresh_from_db()
    assert instansi_a.kota == "Sleman"
    with all_tenants():
        entry = AuditLog.objects.get(action="instansi.kop_surat")
    assert entry.data["perubahan"]["kota"] == ["", "Sleman"]
    periksa = client.post(reverse("surat:ppk"), isian).content.decode()
    assert "Periksa sebelum menerbitkan SK" in periksa and "Sleman" in periksa
