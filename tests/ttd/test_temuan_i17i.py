"""Issue 17, third fresh-eye walk (helper i17i).

Item 1: ``ttd_demo --sk 6 --pejabat ppk.kemenhub`` then ``--sk 12 --pejabat ppk.bandung`` gave the
demo pegawai the same NIPs in both instansi. Kemenhub's SKs were signed first; signing Bandung's,
"SK terbit" refused a second active record of the NIP (``JabatanError``), and the batch page, the
letter card and the API said only "Penandatanganan gagal karena kesalahan sistem; coba lagi atau
hubungi admin." — and signing again never helped. A domain refusal now reaches the official as the
letter's reason (not retried, nothing stored), the request itself refuses an SK whose NIP is already
active elsewhere, and ttd_demo gives NIPs unique across instansi."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan.models import PejabatFungsional
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.jabatan.conftest import buat_pejabat
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import ca_dev, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

PESAN_NIP = "sudah tercatat sebagai pejabat fungsional aktif; satu NIP satu orang"
SISTEM = "kesalahan sistem"


def _usulan(versi) -> Usulan:
    with all_tenants():
        return Usulan.objects.get(surat_baris__surat=versi.surat_id)


@pytest.fixture
def berkas_disimpan(monkeypatch):
    """The names of the files the signing stores (to check none is left behind)."""
    storage = TandaTangan._meta.get_field("berkas").storage
    storage.exists("-")  # a lazy storage is set up
    storage = getattr(storage, "_wrapped", storage)
    names: list[str] = []
    asli = storage.save

    def save(name, content, max_length=None):
        out = asli(name, content, max_length=max_length)
        names.append(out)
        return out

    monkeypatch.setattr(storage, "save", save)
    return storage, names


def test_a_refusal_of_sk_terbit_while_signing_reaches_the_official_with_its_reason(
    client, sk_siap, ppk_pk, pejabat_ppk, instansi_a, instansi_b, aks, berkas_disimpan
):
    (versi,) = sk_siap(1)
    usulan = _usulan(versi)
    client.force_login(ppk_pk)
    assert client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]}).status_code == 302
    # Between the request and the worker, another instansi's SK for the same NIP was signed.
    buat_pejabat(instansi_b, aks, nip=usulan.pegawai_nip, nama=usulan.pegawai_nama)
    storage, disimpan = berkas_disimpan
    disimpan.clear()  # the letters' own files
    assert ttd_antrean(throw=False) == 1
    with all_tenants():
        tt = TandaTangan.objects.select_related("versi__surat").get(versi=versi)
        v = VersiSurat.objects.get(pk=versi.pk)
    assert tt.status == TandaTangan.Status.GAGAL
    assert f"Surat {versi.surat.nomor} tidak ditandatangani" in tt.galat
    assert f"{usulan.pegawai_nama}: NIP {usulan.pegawai_nip} {PESAN_NIP}" in tt.galat
    assert "Tanda tangan tidak disimpan" in tt.galat
    assert SISTEM not in tt.galat and instansi_b.nama not in tt.galat
    assert tt.percobaan == 1  # final: not retried as a transient failure
    # Nothing half-signed: no signed copy, no stored file, the usulan still recommended, no record.
    assert not v.ttd_berkas and not tt.berkas and not tt.sha256
    assert not [n for n in disimpan if storage.exists(n)]
    assert _usulan(versi).status == Status.DIREKOMENDASIKAN
    with tenancy.scope(instansi_a):
        assert not PejabatFungsional.objects.exists()
    # The official reads it on the batch page, the letter's card and the API.
    batch = tt.batch_id
    for url in (reverse("ttd:batch", args=[batch]), reverse("surat:detail", args=[versi.surat_id])):
        html = " ".join(client.get(url).content.decode().split())
        assert f"NIP {usulan.pegawai_nip} {PESAN_NIP}" in html and SISTEM not in html, url
    (item,) = client.get(reverse("api:ttd-batch-detail", args=[batch])).json()["item"]
    assert PESAN_NIP in item["galat"] and item["status"] == "gagal"


def test_the_request_refuses_an_sk_whose_nip_is_already_active_elsewhere(
    client, sk_siap, ppk_pk, pejabat_ppk, instansi_b, aks
):
    """Signing asked once the NIP is active elsewhere: refused at once with the reason (single,
    batch and API), and the other letters of the batch are signed."""
    v1, v2 = sk_siap(2)
    u1 = _usulan(v1)
    buat_pejabat(instansi_b, aks, nip=u1.pegawai_nip, nama=u1.pegawai_nama)
    client.force_login(ppk_pk)
    # One letter: refused on the page, nothing queued.
    page = client.post(reverse("ttd:tandatangani"), {"versi": [v1.pk]}, follow=True)
    html = " ".join(page.content.decode().split())
    assert f"{u1.pegawai_nama}: NIP {u1.pegawai_nip} {PESAN_NIP}" in html and instansi_b.nama not in html
    with all_tenants():
        assert not TandaTangan.objects.filter(versi__in=[v1, v2]).exists()
    api = client.post(reverse("api:ttd-antrean-list"), {"versi": [v1.pk]}, content_type="application/json")
    assert api.status_code == 400 and PESAN_NIP in api.content.decode()
    # Both: the one skipped with its reason, the other signed.
    batch = client.post(reverse("api:ttd-antrean-list"), {"versi": [v1.pk, v2.pk]}, content_type="application/json")
    assert batch.status_code == 202
    (lewat,) = batch.json()["dilewati"]
    assert lewat["versi"] == v1.pk and PESAN_NIP in lewat["alasan"]
    ttd_antrean()
    with all_tenants():
        assert services.ditandatangani(VersiSurat.objects.get(pk=v2.pk))
        assert not VersiSurat.objects.get(pk=v1.pk).ttd_berkas
    assert _usulan(v2).status == Status.SK_TERBIT and _usulan(v1).status == Status.DIREKOMENDASIKAN


def test_once_the_other_record_is_closed_the_letter_signs(client, sk_siap, ppk_pk, pejabat_ppk, instansi_b, aks):
    (versi,) = sk_siap(1)
    usulan = _usulan(versi)
    with tenancy.scope(instansi_b):
        lain = buat_pejabat(instansi_b, aks, nip=usulan.pegawai_nip, nama=usulan.pegawai_nama)
    client.force_login(ppk_pk)
    client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]})
    with all_tenants():
        assert not TandaTangan.objects.filter(versi=versi).exists()
        PejabatFungsional.objects.filter(pk=lain.pk).update(aktif=False)  # the admin pembina settles it
    assert client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]}).status_code == 302
    ttd_antrean()
    assert _usulan(versi).status == Status.SK_TERBIT


def test_the_demo_gives_nips_unique_across_instansi(referensi, instansi_a, instansi_b, staf, settings, tmp_path):
    """``ttd_demo --sk`` for two instansi: the second run's demo pegawai get other NIPs (and
    numbers) than the first's, so both instansi's SKs can be signed."""
    from django.core.management import call_command

    from apps.pengusulan.models import Pegawai
    from tests.factories import UserFactory
    from tests.ttd.conftest import PKCS12_PASSPHRASE
    from tests.ttd.test_perintah import konfirmasi_ak_semua

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    konfirmasi_ak_semua()
    UserFactory(username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan", nip="")
    UserFactory(username="ppk.bandung", instansi=instansi_b, roles=["ppk"], nama_lengkap="Rina Marlina", nip="")
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    call_command("ttd_demo", sk=2, pejabat="ppk.bandung")
    with all_tenants():
        rows = list(Pegawai.objects.filter(nama__startswith="Pegawai Demo ").values_list("instansi_id", "nip", "nama"))
    assert sorted(i for i, _n, _m in rows) == sorted([instansi_a.pk] * 2 + [instansi_b.pk] * 2)
    assert len({n for _i, n, _m in rows}) == 4 and len({m for _i, _n, m in rows}) == 4


# --------------------------------------------------------------------------- item 2
# A copy signed elsewhere before the paraf chain of its version was complete was accepted on the
# PPK's upload: the signer signs only once the chain is complete, in the portal or elsewhere.


def test_a_copy_signed_elsewhere_before_the_last_paraf_is_refused(alur, kabag, sk_siap, ppk_pk, sertifikat_ppk, tsa):
    import time

    from tests.ttd.conftest import baca
    from tests.ttd.test_tte import _salin, _sign_directly

    (versi,) = sk_siap(1)
    terlalu_dini = _sign_directly(baca(versi.berkas), sertifikat_ppk, tsa, nama="Ir. Budi Santoso, M.T.")
    time.sleep(1.1)  # the timestamp and the paraf are compared to the second
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=versi)
    with pytest.raises(services.TtdError) as exc:
        _salin(versi, terlalu_dini, actor=ppk_pk)
    pesan = " ".join(exc.value.messages)
    assert "Salinan ditolak: ditandatangani Ir. Budi Santoso" in pesan
    assert "sebelum paraf versi 1 selesai (paraf terakhir: Kabag Kepegawaian pada " in pesan
    with all_tenants():
        assert not VersiSurat.objects.get(pk=versi.pk).ttd_berkas
        assert not TandaTangan.objects.filter(versi=versi).exists()
    assert _usulan(versi).status == Status.DIREKOMENDASIKAN
    # Signed again once the chain is complete: accepted.
    tepat = _sign_directly(baca(versi.berkas), sertifikat_ppk, tsa, nama="Ir. Budi Santoso, M.T.")
    assert _salin(versi, tepat, actor=ppk_pk).cara == TandaTangan.Cara.UNGGAH
    assert _usulan(versi).status == Status.SK_TERBIT


# --------------------------------------------------------------------------- item 4
# The public verification API had no signature status: it now says what /v/<kode>/ says.


def _tte_halaman(client, kode) -> str:
    html = client.get(reverse("surat:verifikasi", args=[kode])).content.decode()
    (blok,) = re.findall(r'data-testid="status-tte">(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", blok).split())


def test_the_public_verification_api_gives_the_signature_status_the_page_shows(client, sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    with all_tenants():
        rekomendasi = VersiSurat.objects.get(surat=versi.surat.rekomendasi, diganti_at__isnull=True)
    api = reverse("api:verifikasi-surat-detail", args=[versi.kode])
    st = client.get(api).json()["tanda_tangan"]
    assert st == {"status": "belum", "versi": 1, "lengkap": False, "versi_ini_ditandatangani": False,
                  "penandatangan": [], "ringkasan": "Versi yang berlaku belum ditandatangani."}  # fmt: skip
    assert st["ringkasan"] == _tte_halaman(client, versi.kode)
    # The rekomendasi, signed by the wet-ink fallback: manual, by the official the letter names
    # (the reason for the fallback stays on staff pages).
    st = client.get(reverse("api:verifikasi-surat-detail", args=[rekomendasi.kode])).json()["tanda_tangan"]
    assert st["status"] == "manual" and st["lengkap"]
    (p,) = st["penandatangan"]
    assert p["cara"] == "manual" and not p["sah"] and p["nama"] == versi.surat.rekomendasi.penandatangan_nama
    assert st["ringkasan"] == _tte_halaman(client, rekomendasi.kode)
    assert "keadaan kahar" not in st["ringkasan"]
    # Signed electronically: by whom, when (Asia/Jakarta, as the rest of the API), valid.
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    st = client.get(api).json()["tanda_tangan"]
    assert st["status"] == "elektronik" and st["lengkap"] and st["versi_ini_ditandatangani"]
    (p,) = st["penandatangan"]
    assert p["cara"] == "elektronik" and p["nama"] == pejabat_ppk.nama and p["sah"] and p["waktu"].endswith("+07:00")
    assert st["ringkasan"].startswith(f"Ditandatangani secara elektronik oleh {pejabat_ppk.nama} pada ")
    assert st["ringkasan"].endswith(" WIB, sah.")
    assert st["ringkasan"] == _tte_halaman(client, versi.kode)
    assert pejabat_ppk.nip not in client.get(api).content.decode()  # names only, as the page
    schema = client.get(reverse("schema")).content.decode()
    assert "StatusTtdPublik" in schema and "versi_ini_ditandatangani" in schema


# --------------------------------------------------------------------------- item 5
# The PPK's upload of a valid signed copy of a superseded version said only the generic "tidak
# identik … (salinan surat lain, versi lain …)"; it now says what the public page says.


def test_the_upload_of_a_superseded_versions_signed_copy_says_which_version(
    client, sk_siap, ppk_pk, sertifikat_ppk, tsa
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.surat import services as surat_services
    from tests.surat.conftest import render_antrean
    from tests.ttd.conftest import baca
    from tests.ttd.test_tte import _sign_directly

    (v1,) = sk_siap(1)
    bertanda = _sign_directly(baca(v1.berkas), sertifikat_ppk, tsa, nama="Ir. Budi Santoso, M.T.")
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    client.force_login(ppk_pk)
    page = client.post(
        reverse("surat:ttd", args=[v2.pk]), {"berkas": SimpleUploadedFile("s.pdf", bertanda)}, follow=True
    )
    html = " ".join(page.content.decode().split())
    assert (
        "Salinan ditolak: Identik dengan versi 1, ditandatangani secara elektronik oleh Ir. Budi Santoso, M.T. pada"
        in html
    )
    assert "sudah digantikan versi 2" in html and "Unggah salinan bertanda tangan versi 2." in html
    assert "tidak identik dengan PDF yang diterbitkan" not in html
    with all_tenants():
        assert not VersiSurat.objects.get(pk=v2.pk).ttd_berkas


# --------------------------------------------------------------------------- item 3
# "Unduh PDF" gave the unsigned issued PDF after signing. Once a version is signed, the primary
# download is its signed copy (the letter page, the PPK's page, the holder's page, the versions
# table); the issued PDF stays as a labelled secondary link.


def _href(html: str, testid: str) -> list[str]:
    return re.findall(rf'<a[^>]*href="([^"]+)"[^>]*data-testid="{testid}"', html)


def test_once_signed_the_download_gives_the_signed_copy(client, sk_siap, ppk_pk, pejabat_ppk, pic_pk):
    from apps.jabatan import akses
    from tests.ttd.conftest import baca

    (versi,) = sk_siap(1)
    client.force_login(ppk_pk)
    detail = reverse("surat:detail", args=[versi.surat_id])
    terbit, bertanda = reverse("surat:unduh", args=[versi.pk]), reverse("surat:unduh_ttd", args=[versi.pk])
    html = client.get(detail).content.decode()
    assert _href(html, "unduh-surat") == [terbit] and "PDF terbit sebelum ditandatangani (arsip)" not in html
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(pk=versi.pk)
    signed = baca(versi.ttd_berkas)
    html = client.get(detail).content.decode()
    assert _href(html, "unduh-surat") == [bertanda]
    assert _href(html, "unduh-terbit") == [terbit, terbit]  # under the button and in the versions table
    assert "PDF terbit sebelum ditandatangani (arsip)" in html
    assert _href(html, "unduh-bertanda-tangan") == [bertanda]  # the versions table
    response = client.get(bertanda)
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == signed
    # The PPK's page: the rekomendasi (signed by the wet-ink fallback) gives its signed copy first.
    with all_tenants():
        rekomendasi = VersiSurat.objects.get(surat=versi.surat.rekomendasi, diganti_at__isnull=True)
    html = client.get(reverse("surat:ppk")).content.decode()
    assert _href(html, "unduh-rekomendasi") == [reverse("surat:unduh_ttd", args=[rekomendasi.pk])]
    assert reverse("surat:unduh", args=[rekomendasi.pk]) in _href(html, "unduh-terbit")
    # The holder's own page: their SK, signed.
    with all_tenants():
        pf = PejabatFungsional.objects.get(nip=_usulan(versi).pegawai_nip)
    with tenancy.scope(pf.instansi):
        holder = akses.pejabat_undang(actor=pic_pk, pejabat=pf, email="pemegang@uji.siaks.go.id")
    client.force_login(holder)
    html = client.get(reverse("saya:beranda")).content.decode()
    assert bertanda in _href(html, "unduh-bertanda-tangan") and terbit not in html  # tests/ttd/test_unduh_bertanda.py


# --------------------------------------------------------------------------- item 6
# Times in the TTE API were mixed ("+07:00" from the serializers, "Z" where a route put a datetime
# in its answer as it was); every response now gives Asia/Jakarta, as the serializers do. The
# account list of /ttd/pejabat/baru/ offered JF holders' own logins as signing officials.


def _waktu_di(data) -> list[str]:
    """Every ISO datetime string in a JSON answer."""
    if isinstance(data, dict):
        return [w for v in data.values() for w in _waktu_di(v)]
    if isinstance(data, list):
        return [w for v in data for w in _waktu_di(v)]
    return [data] if isinstance(data, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", data) else []


def test_the_tte_api_gives_every_time_in_asia_jakarta(client, alur, kabag, sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    client.force_login(kabag)
    paraf = client.post(reverse("api:ttd-versi-paraf", args=[versi.pk])).json()
    client.force_login(ppk_pk)
    batch = client.post(reverse("api:ttd-antrean-list"), {"versi": [versi.pk]}, content_type="application/json")
    ttd_antrean()
    jawaban = [
        paraf,
        batch.json(),
        client.get(reverse("api:ttd-batch-detail", args=[batch.json()["id"]])).json(),
        client.get(reverse("api:ttd-versi-detail", args=[versi.pk])).json(),
        client.post(reverse("api:surat-koreksi", args=[versi.surat_id]), {"alasan": "TMT keliru"}).json(),
    ]
    waktu = [w for j in jawaban for w in _waktu_di(j)]
    # paraf_at (the paraf, the version's chain and history), the batch's created_at, waktu_ttd, koreksi
    assert len(waktu) >= 7
    assert all(w.endswith("+07:00") for w in waktu), waktu


def test_a_jf_holders_own_login_is_no_signing_official(client, pic_pk, ppk_pk, instansi_a, pk):
    from apps.jabatan import akses
    from apps.ttd import pejabat as pejabat_mod
    from tests.surat.conftest import PENANDATANGAN_PPK

    pf = buat_pejabat(instansi_a, pk, nip="199101012015051001", nama="Dewi Pemegang")
    with tenancy.scope(instansi_a):
        holder = akses.pejabat_undang(actor=pic_pk, pejabat=pf, email="dewi@uji.siaks.go.id")
    client.force_login(pic_pk)
    page = client.get(reverse("ttd:pejabat_baru")).content.decode()
    assert f'value="{ppk_pk.pk}"' in page and f'value="{holder.pk}"' not in page
    nama, jabatan, nip = PENANDATANGAN_PPK
    data = {
        "user": holder.pk,
        "nama": nama,
        "nip": nip,
        "jabatan": jabatan,
        "backend": "bsre",
        "nik": "3273011205680002",
    }
    assert client.post(reverse("ttd:pejabat_baru"), data).status_code == 400
    with tenancy.scope(instansi_a), pytest.raises(services.TtdError) as exc:
        pejabat_mod.pejabat_simpan(actor=pic_pk, data={**data, "user": holder})
    assert "adalah akun pejabat fungsional" in " ".join(exc.value.messages)
    with all_tenants():
        assert not pejabat_mod.Pejabat.objects.exists()
