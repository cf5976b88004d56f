"""Issue 17, fresh-eye walk findings (helper i17b): demo SKs that behave as real ones, letters
without rows refused with a reason, the identity of a registered certificate, paraf history per
version and the chain a letter was issued with."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE, ca_dev

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_sk(referensi, instansi_a, staf, settings, tmp_path):
    from tests.ttd.test_perintah import konfirmasi_ak_semua

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    ppk = UserFactory(
        username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan", nip=""
    )
    konfirmasi_ak_semua()
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    return ppk


def test_demo_sks_are_linked_to_real_usulan_and_can_be_corrected(demo_sk, instansi_a, client):
    """Finding 1: `ttd_demo --sk N` made SKs with no usulan rows; "Perbaiki surat" raised
    IndexError (500) and the list said "Pegawai 0"."""
    from apps.pengusulan.domain import Status
    from apps.surat.models import Surat, SuratUsulan

    with all_tenants():
        sk = list(Surat.objects.filter(jenis="sk", instansi=instansi_a).order_by("nomor_urut"))
        baris = list(SuratUsulan.objects.filter(surat__in=sk).select_related("usulan", "usulan__pegawai"))
        assert len(sk) == 2 and len(baris) == 2
        assert {b.usulan.pegawai.nama for b in baris} == {"Pegawai Demo 1", "Pegawai Demo 2"}
        assert all(b.usulan.status == Status.DIREKOMENDASIKAN for b in baris)
        assert all(s.rekomendasi_id for s in sk)
    client.force_login(demo_sk)
    r = client.post(reverse("surat:koreksi", args=[sk[0].pk]), {"alasan": "Salah ketik"})
    assert r.status_code == 302
    r = client.post(f"/api/v1/surat/{sk[1].pk}/koreksi/", {"alasan": "Salah ketik"}, content_type="application/json")
    assert r.status_code == 201, r.content
    with all_tenants():
        for s in sk:
            v2 = s.versi_set.get(versi=2)
            assert v2.isi["pegawai"][0]["nama"].startswith("Pegawai Demo ")


def test_a_letter_without_usulan_rows_is_refused_with_a_reason_not_a_500(referensi, instansi_a, client):
    """Finding 1: a letter with no rows (made outside the flow) gets a clear refusal on the page
    and the API, and no new version."""
    from datetime import date

    from apps.referensi.models import Jenjang
    from apps.surat import services
    from apps.surat.models import Surat

    ppk = UserFactory(username="ppk.x", instansi=instansi_a, roles=["ppk"])
    with all_tenants():
        jf = Jenjang.objects.select_related("jf").filter(kode="ahli_pertama").first().jf
        surat = services._create(
            jenis="sk", penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf, tanggal=date.today(), perihal="SK",
            actor=ppk, penandatangan=("Ir. Budi", "Sekjen", "196805121993031002"), tmt=date.today(),
        )  # fmt: skip
        services._versi(surat, {"judul": "SK"}, actor=ppk)
    client.force_login(ppk)
    r = client.post(reverse("surat:koreksi", args=[surat.pk]), {"alasan": "Salah ketik"}, follow=True)
    assert r.status_code == 200
    assert "tidak terhubung dengan usulan pegawai" in r.content.decode()
    r = client.post(f"/api/v1/surat/{surat.pk}/koreksi/", {"alasan": "x"}, content_type="application/json")
    assert r.status_code == 400 and "tidak terhubung dengan usulan pegawai" in r.content.decode()
    with all_tenants():
        assert Surat.objects.get(pk=surat.pk).versi_set.count() == 1


# --------------------------------------------------------------------------- identity at registration


def _data(user, **extra):
    from tests.surat.conftest import PENANDATANGAN_PPK

    nama, jabatan, nip = PENANDATANGAN_PPK
    return {"user": user.pk, "nama": nama, "nip": nip, "jabatan": jabatan, "backend": "pkcs12", **extra}


def _p12(identitas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = identitas.pkcs12(PKCS12_PASSPHRASE.encode())
    return SimpleUploadedFile("x.p12", data, content_type="application/x-pkcs12")


def _pem(identitas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.pem", identitas.cert_pem, content_type="application/x-pem-file")


def test_a_certificate_naming_someone_else_is_refused_at_registration(client, pic_pk, ppk_pk, ca, settings):
    """Finding 2: a .p12 of "Bambang Suryadi" (another NIP) was registered for the official with
    no warning; the mismatch only surfaced at signing."""
    from apps.ttd.models import Pejabat
    from tests.surat.conftest import PENANDATANGAN_PPK

    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    nama, _j, nip = PENANDATANGAN_PPK
    orang_lain = ca.pejabat("Bambang Suryadi", nip="197001011995031009", nik="3173010101700009")
    client.force_login(pic_pk)
    r = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(orang_lain)))
    page = r.content.decode()
    assert r.status_code == 400
    assert "Sertifikat ini milik Bambang Suryadi (NIP 197001011995031009)" in page
    assert "NIP pada sertifikat 197001011995031009, bukan " + nip in page
    # Same name, another person's NIP: refused too.
    kembar = ca.pejabat(nama, nip="197001011995031009")
    r = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(kembar)))
    assert r.status_code == 400 and "NIP pada sertifikat 197001011995031009" in r.content.decode()
    # BSrE official with an uploaded certificate (PEM) of someone else: refused on that field.
    r = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, backend="bsre", nik="3173011205680002", sertifikat=_pem(orang_lain)),
    )
    assert r.status_code == 400 and "Sertifikat ini milik Bambang Suryadi" in r.content.decode()
    with all_tenants():
        assert not Pejabat.objects.exists()
    # The official's own certificate (the name without titles is the same person): registered.
    sendiri = ca.pejabat("Budi Santoso", nip=nip)
    r = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(sendiri)))
    assert r.status_code == 302
    with all_tenants():
        assert Pejabat.objects.get().sidik_jari == sendiri.sidik_jari


def test_a_certificate_fingerprint_is_registered_for_one_active_official_only(
    client, pic_pk, ppk_pk, ca, settings, instansi_b
):
    """Finding 3: the same fingerprint was listed for two officials, so a PIC could vouch for
    anyone. Also across instansi, with a message naming no other instansi."""
    from apps.ttd.models import Pejabat
    from apps.ttd.pejabat import periksa_sidik_jari_unik
    from apps.ttd.services import TtdError
    from tests.surat.conftest import PENANDATANGAN_PPK

    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    nama, jabatan, nip = PENANDATANGAN_PPK
    cert = ca.pejabat(nama, nip=nip)
    with all_tenants():
        lain = Pejabat.objects.create(
            instansi=instansi_b, nama=nama, nip=nip, jabatan=jabatan, backend="bsre", nik="3173011205680002",
            sidik_jari=cert.sidik_jari,
        )  # fmt: skip
    client.force_login(pic_pk)
    r = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(cert)))
    page = r.content.decode()
    assert r.status_code == 400 and "sudah terdaftar untuk pejabat penanda tangan aktif lain" in page
    assert instansi_b.nama not in page
    typed = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, backend="bsre", nik="3173011205680003", sidik_jari=cert.sidik_jari),
    )
    assert typed.status_code == 400
    assert "sudah terdaftar untuk pejabat penanda tangan aktif lain" in typed.content.decode()
    with all_tenants():
        assert list(Pejabat.objects.values_list("pk", flat=True)) == [lain.pk]
        Pejabat.objects.filter(pk=lain.pk).update(aktif=False)
    # The other one inactive: it may be registered here; reactivating the other is then refused.
    assert client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(cert))).status_code == 302
    with all_tenants(), pytest.raises(TtdError, match="satu sertifikat hanya untuk satu orang"):
        periksa_sidik_jari_unik(cert.sidik_jari, kecuali=lain.pk)


# --------------------------------------------------------------------------- demo data


def test_every_jenjang_the_demo_offers_has_a_standar_kompetensi():
    """Finding 12: AKS Ahli Pertama had no standar kompetensi in the demo, so a penilai could not
    score a new usulan (the assignment refuses it). The seeds have none for AKS: the demo's are
    marked unverified; Pengantar Kerja keeps seed 002's own."""
    from apps.referensi.models import JabatanFungsional, Jenjang, Kompetensi

    call_command("load_referensi")
    call_command("demo_data")
    call_command("demo_data")  # idempotent
    jenjang = list(Jenjang.objects.select_related("jf").filter(jf__in=JabatanFungsional.objects.all()))
    assert {j.jf.kode for j in jenjang} >= {"aks", "pengantar-kerja", "analis-kebijakan"}
    for j in jenjang:
        rows = list(Kompetensi.objects.filter(jenjang=j))
        jenis = {k.jenis for k in rows}
        assert jenis == {"manajerial", "sosial_kultural", "teknis"}, (j.jf.kode, j.kode)
        if j.jf.kode == "pengantar-kerja":
            assert not any("data demo" in k.catatan for k in rows)
        else:
            assert all(k.catatan.startswith("Belum terverifikasi") for k in rows)
    aks = Jenjang.objects.get(jf__kode="aks", kode="ahli_pertama")
    assert Kompetensi.objects.filter(jenjang=aks, jenis="teknis").count() == 3
    assert set(Kompetensi.objects.filter(jenjang=aks, jenis="manajerial").values_list("level", flat=True)) == {2}


# --------------------------------------------------------------------------- paraf history, chain snapshot


@pytest.fixture
def kabag(instansi_a):
    return UserFactory(
        username="kabag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag Kepegawaian A"
    )


@pytest.fixture
def alur_kabag(instansi_a, kabag):
    from apps.ttd.models import AlurParaf, LangkahParaf

    with all_tenants():
        a = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=a, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
    return a


def _sk_ids(versi_list) -> list[int]:
    return [v.pk for v in versi_list if v.surat.jenis == "sk"]


def _segar(versi):
    from apps.surat.models import VersiSurat

    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


def test_a_paraf_on_a_corrected_version_is_kept_void_and_does_not_count_for_the_new_one(
    alur_kabag, kabag, sk_siap, ppk_pk, pejabat_ppk, client
):
    """Finding 4: after a correction GET /api/v1/ttd/versi/<v1>/ said "paraf_at": null and
    "sha256": "" although the paraf on v1 was given. It is kept (who, when, sha256), marked
    void, listed on the letter page and in the API, and does not count for v2."""
    from apps.surat import services as surat_services
    from apps.ttd import services
    from apps.ttd.models import Paraf
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import as_user

    (v1,) = sk_siap(1)
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=v1)
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    with all_tenants():
        v2 = v1.surat.versi_set.get(versi=2)
        (p,) = Paraf.objects.filter(versi=v1)
    assert (p.user, p.sha256, p.sebutan) == (kabag, v1.sha256, "Kabag Kepegawaian") and p.created_at
    assert p.batal_at is not None and p.batal_alasan == "tidak berlaku: versi digantikan"
    with as_user(ppk_pk):
        assert services.paraf_sah(v2) == {} and not services.paraf_lengkap(_segar(v2))
        assert _sk_ids(services.antrean_ttd(ppk_pk)) == []
    client.force_login(ppk_pk)
    lama = client.get(f"/api/v1/ttd/versi/{v1.pk}/").json()
    assert lama["paraf"] == [{
        "urutan": 1, "sebutan": "Kabag Kepegawaian", "user": str(kabag), "paraf_at": lama["paraf"][0]["paraf_at"],
        "sha256": v1.sha256, "berlaku": False, "keterangan": "tidak berlaku: versi digantikan",
    }]  # fmt: skip
    assert lama["paraf"][0]["paraf_at"] and len(lama["riwayat_paraf"]) == 1
    assert lama["riwayat_paraf"][0]["sha256"] == v1.sha256 and not lama["riwayat_paraf"][0]["berlaku"]
    baru = client.get(f"/api/v1/ttd/versi/{v2.pk}/").json()
    assert baru["paraf"][0]["paraf_at"] is None and baru["paraf"][0]["berlaku"] is False
    assert baru["riwayat_paraf"] == [] and baru["paraf_lengkap"] is False
    page = client.get(reverse("surat:detail", args=[v1.surat_id])).content.decode()
    assert 'data-testid="riwayat-paraf"' in page and "Versi 1, paraf ke-1 (Kabag Kepegawaian)" in page
    assert "tidak berlaku: versi digantikan" in page and v1.sha256[:12] in page
    # v2's own paraf counts; v1's stays void.
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=_segar(v2))
    with as_user(ppk_pk):
        assert services.paraf_lengkap(_segar(v2))
    with all_tenants():
        assert Paraf.objects.filter(versi=v1, batal_at__isnull=False).count() == 1


def test_a_letter_keeps_the_paraf_chain_it_was_issued_with(
    alur_kabag, kabag, sk_siap, ppk_pk, pejabat_ppk, client, instansi_a
):
    """Finding 5: clearing the chain let letters already issued and waiting for paraf go straight
    to the signer's queue, while the message said "Berlaku untuk paraf berikutnya". A letter keeps
    the chain it was issued with; a change applies to letters issued (or corrected) afterwards."""
    from apps.surat import services as surat_services
    from apps.ttd import services
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import as_user

    lama, kedua = sk_siap(2)
    client.force_login(ppk_pk)
    r = client.post(reverse("ttd:alur_ubah", args=[alur_kabag.pk]), {}, follow=True)
    page = r.content.decode()
    assert "surat yang sudah terbit tetap melalui alur paraf saat diterbitkan" in page
    assert "Berlaku untuk paraf berikutnya" not in page
    with all_tenants():
        alur_kabag.refresh_from_db()
        assert not alur_kabag.aktif and not alur_kabag.langkah.exists()
    with as_user(ppk_pk):
        assert _sk_ids(services.antrean_ttd(ppk_pk)) == []
        with pytest.raises(services.TtdError, match="belum lengkap parafnya"):
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[lama.pk])
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [lama.pk, kedua.pk]
        assert services.punya_tugas_ttd(kabag)
    # Corrected after the change: the new version has no paraf, straight to the signer.
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=kedua.surat, alasan="TMT keliru")
    render_antrean()
    with all_tenants():
        baru = kedua.surat.versi_set.get(versi=2)
    with as_user(ppk_pk):
        assert _sk_ids(services.antrean_ttd(ppk_pk)) == [baru.pk]
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=lama)
    with as_user(ppk_pk):
        assert sorted(_sk_ids(services.antrean_ttd(ppk_pk))) == sorted([lama.pk, baru.pk])
    # A chain set later does not hold up a letter issued without one.
    karo = UserFactory(username="karo.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Karo SDM")
    client.post(reverse("ttd:alur_ubah", args=[alur_kabag.pk]), {"paraf_1": karo.pk, "sebutan_1": "Karo"})
    with as_user(ppk_pk):
        assert baru.pk in set(_sk_ids(services.antrean_ttd(ppk_pk)))
        assert services.paraf_lengkap(_segar(baru))
    with as_user(karo):
        assert services.antrean_paraf(karo) == []  # the letters were issued before karo's chain


def test_the_paraf_reminder_counts_only_letters_still_waiting_for_the_approver(
    alur_kabag, kabag, sk_siap, ppk_pk, pejabat_ppk, django_capture_on_commit_callbacks
):
    """Finding 6: "Menunggu paraf Anda: … (dan 10 surat lain menunggu)" counted letters already
    approved or superseded. The count is of the letters waiting for that approver when sent."""
    from apps.notifikasi.models import Notifikasi
    from apps.surat import services as surat_services
    from apps.ttd import services
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import as_user

    with django_capture_on_commit_callbacks(execute=True):
        a, b = sk_siap(2)
    with all_tenants():
        (n,) = Notifikasi.objects.filter(user=kabag, jenis="ttd", dibaca_at__isnull=True)
    assert "(dan 1 surat lain menunggu)" in n.judul
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=a)  # A no longer waits for the Kabag
    with django_capture_on_commit_callbacks(execute=True):
        with as_user(ppk_pk):
            surat_services.surat_koreksi(actor=ppk_pk, surat=b.surat, alasan="TMT keliru")  # B v1 superseded
        render_antrean()
    with all_tenants():
        (n,) = Notifikasi.objects.filter(user=kabag, jenis="ttd", dibaca_at__isnull=True)
    assert n.judul == f"Menunggu paraf Anda: {b.surat.nomor}", n.judul
    assert sum(baris.startswith("- ") for baris in n.isi.splitlines()) == 1


def test_a_letter_signed_in_the_portal_says_signed_electronically_not_uploaded(
    sk_siap, ppk_pk, pejabat_ppk, client, instansi_a
):
    """Finding 7: after in-portal TTE the card said "Diunggah … oleh … (TTE).pdf", the PIC's notice
    "PPK … telah mengunggah SK bertanda tangan", and the signer's card still "sudah (sedang) Anda
    tandatangani"."""
    import uuid

    from apps.notifikasi.models import Notifikasi
    from apps.pengusulan.tasks import kabari_transisi
    from apps.surat.models import SuratUsulan
    from apps.ttd import services
    from tests.surat.conftest import PENANDATANGAN_PPK
    from tests.ttd.conftest import ttd_antrean
    from tests.verifikasi.conftest import as_user

    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    assert ttd_antrean() == 1
    versi = _segar(versi)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="salinan-tte"' in page
    assert f"Ditandatangani secara elektronik oleh {PENANDATANGAN_PPK[0]} pada" in page
    assert "Diunggah" not in page and "sudah (sedang)" not in page
    with as_user(ppk_pk):
        assert "sudah Anda tandatangani secara elektronik pada" in services.alasan_tidak_bisa(versi, pejabat_ppk)
    pic = UserFactory(username="pic.a", instansi=instansi_a, roles=["pic_instansi"])
    with all_tenants():
        usulan = SuratUsulan.objects.get(surat=versi.surat).usulan
    kabari_transisi.apply(
        kwargs={"usulan_id": usulan.pk, "aksi": "terbitkan_sk", "dari": "direkomendasikan"}, task_id=str(uuid.uuid4())
    )
    with all_tenants():
        n = Notifikasi.objects.filter(user=pic, jenis="usulan.terbitkan_sk").latest("id")
    assert f"ditandatangani secara elektronik oleh {PENANDATANGAN_PPK[0]} pada" in n.isi
    assert "mengunggah" not in n.isi


def test_the_public_page_and_the_upload_report_say_the_same_of_a_superseded_version(sk_siap, ppk_pk, client):
    """Finding 8: the page said "digantikan oleh versi 3", the upload report "digantikan versi 2".
    Finding 11: the page said it checks bytes only, and a non-PDF got "Tidak identik … SHA-256"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.surat import services as surat_services
    from tests.surat.conftest import render_antrean
    from tests.ttd.conftest import baca
    from tests.verifikasi.conftest import as_user

    (v1,) = sk_siap(1)
    for alasan in ("TMT keliru", "Nama keliru"):
        with as_user(ppk_pk):
            surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan=alasan)
        render_antrean()
    v1 = _segar(v1)
    url = reverse("surat:verifikasi", args=[v1.kode])
    page = " ".join(client.get(url).content.decode().split())
    assert "Versi ini (v1) tidak ditandatangani; sudah digantikan versi 2 (" in page
    assert "; versi terakhir: versi 3." in page and "digantikan oleh versi 3" not in page
    assert "apakah tanda tangannya sah" in page
    lapor = " ".join(client.post(url, {"berkas": SimpleUploadedFile("v1.pdf", baca(v1.berkas))}).content.decode()
                     .split())  # fmt: skip
    assert "Versi 1 sudah digantikan versi 2 (" in lapor and "; versi terakhir: versi 3." in lapor
    bukan = client.post(url, {"berkas": SimpleUploadedFile("surat.pdf", b"PK\x03\x04 bukan pdf" * 20)})
    teks = bukan.content.decode()
    assert "bukan berkas PDF" in teks and "Tidak identik" not in teks


def test_the_public_report_masks_every_nip_by_one_rule():
    """Finding 9: the wrong signer's NIP was masked but the named official's printed in full in
    the same sentence."""
    from apps.ttd.publik import samarkan
    from apps.ttd.validasi import Laporan

    kalimat = "Ditandatangani oleh Bambang (NIP 197001011995031009), bukan pejabat yang disebut surat: Budi " \
        "(NIP 196805121993031002, NIK 3173011205680002)."  # fmt: skip
    lap = Laporan(
        False, True, False, [{"nama": "Bambang", "nip": "197001011995031009", "nik": "", "pemeriksaan": []}],
        [kalimat], teks=kalimat,
    )  # fmt: skip
    out = samarkan(lap)
    for teks in (out.teks, out.alasan[0]):
        assert "197001011995031009" not in teks and "196805121993031002" not in teks
        assert "3173011205680002" not in teks
        assert "1970**********1009" in teks and "1968**********1002" in teks and "3173********0002" in teks
    assert out.tanda_tangan[0]["nip"] == "1970**********1009"
