"""The HAPAK goes out with a covering letter from the ketua of the Tim Penilai AK, endorsed by the
sekretariat (seed 001 BAB IV E.4). A kabupaten's own team: every HAPAK version's paraf chain starts
with the team's sekretariat — whether or not the instansi configured a chain — the sekretariat
gives its paraf from the letter page, then the ketua — a registered signing official of the team's
instansi — finds it on the team's letters page and in the signing queue and signs it
electronically (a real PAdES signature the test CA trusts)."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from apps.core import tenancy
from apps.penetapan import selectors, services
from apps.surat.models import Surat, VersiSurat
from apps.ttd import alur as alur_mod
from apps.ttd import validasi
from apps.ttd.models import AlurParaf, AlurVersi, Paraf, TandaTangan
from apps.ttd.pades import konteks_validasi
from tests.factories import InstansiFactory, UserFactory
from tests.penetapan.conftest import KETUA_NIP, as_user, bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan
from tests.surat.conftest import render_antrean
from tests.ttd.conftest import baca, daftar_pejabat, ttd_antrean

pytestmark = pytest.mark.django_db


def pdf_teks(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


KETUA = "Dr. Ir. Bagus Prakoso, M.Sc."
PYB = ("Drs. Sekretaris Daerah, M.Si.", "Sekretaris Daerah Kabupaten Banyumas", "197001011990031001")


def _hapak(kab, jfak, pic, tim):
    """Ani (40 AK) assessed and decided by the kabupaten's team: a HAPAK (its current version)."""
    ani = buat_pejabat(kab, jfak, ak_awal=Decimal("40"))
    u = usulan_diajukan(pic, ani)
    with as_user(tim["sekretariat"]):
        services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
    for a in tim["anggota"]:
        with as_user(a.user):
            services.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk]
        )
    ketua = tim["anggota"][0].user
    with as_user(ketua):
        (hasil,) = services.sidang_putuskan(
            actor=ketua, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim["anggota"]]
        )
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        surat = Surat.objects.get(pk=hasil.surat_id)
        return VersiSurat.objects.select_related("surat").get(surat=surat, diganti_at__isnull=True)


def test_the_sekretariat_endorses_and_the_ketua_signs_the_hapak(client, ca, referensi):
    """No paraf chain configured for the HAPAK at the instansi: the sekretariat's paraf is still
    required before the ketua signs (the letter's "Pengesahan Sekretariat Tim Penilai" holds)."""
    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    kab = InstansiFactory(kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov)
    pic = UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpk")
    ketua, stp = tim["anggota"][0].user, tim["sekretariat"]
    # The ketua is a registered signing official of the team's instansi, under their certificate's name.
    identitas = ca.pejabat(KETUA, nik="3302011203720001", nip=KETUA_NIP, instansi=kab.nama)
    pejabat = daftar_pejabat(
        instansi=kab, user=ketua, identitas=identitas, nama=KETUA, nip=KETUA_NIP, jabatan="Ketua Tim Penilai"
    )
    daftar_pejabat(instansi=kab, user=None, identitas=None, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    with tenancy.all_tenants(reason="test"):
        assert not AlurParaf.objects.filter(instansi=kab, jenis="hapak").exists()
    hapak = _hapak(kab, jfak, pic, tim)
    with tenancy.all_tenants(reason="test"):
        assert AlurVersi.objects.get(versi=hapak).langkah == [
            {"urutan": 1, "user": stp.pk, "sebutan": "Sekretariat Tim Penilai", "atau": [stp.pk]}
        ]
    # The letter states the rule, true for every version rendered (before and after the paraf).
    teks = pdf_teks(baca(hapak.berkas))
    assert "Pengesahan Sekretariat Tim Penilai: surat ini ditandatangani Ketua" in teks
    assert "hanya setelah diparaf secara elektronik oleh anggota Sekretariat Tim Penilai" in teks
    surat = hapak.surat
    # The covering letter names the ketua as registered, with the NIP under the signature.
    assert (surat.jenis, surat.penandatangan_nama, surat.penandatangan_nip) == ("hapak", KETUA, KETUA_NIP)
    assert surat.penandatangan_jabatan == f"Ketua {tim['tim'].nama}"

    # Before the paraf: the ketua sees the letter waiting for the sekretariat, cannot sign yet.
    client.force_login(ketua)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert surat.nomor in page and "Menunggu paraf Sekretariat Tim Penilai" in page
    # The page's own words say so too (it said "bila alur parafnya diatur" before).
    assert "HAPAK selalu diparaf lebih dulu oleh sekretariat tim" in page
    assert surat.nomor not in client.get(reverse("ttd:antrean")).content.decode()
    client.post(reverse("ttd:tandatangani"), {"versi": [hapak.pk]})
    with tenancy.all_tenants(reason="test assertion"):
        assert not TandaTangan.objects.filter(versi=hapak).exists()

    # The sekretariat gives its paraf on the letter page (its TTE card).
    client.force_login(stp)
    detail = client.get(reverse("surat:detail", args=[surat.pk]))
    assert detail.status_code == 200 and 'data-testid="beri-paraf"' in detail.content.decode()
    assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        paraf = Paraf.objects.get(versi=hapak)
        assert (paraf.user_id, paraf.sha256) == (stp.pk, hapak.sha256)

    # The ketua: on the team's letters page and in the queue; signs it.
    client.force_login(ketua)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert f"Menunggu tanda tangan {KETUA}" in page and "Tandatangani" in page
    assert surat.nomor in client.get(reverse("ttd:antrean")).content.decode()
    assert 'data-testid="tandatangani"' in client.get(reverse("surat:detail", args=[surat.pk])).content.decode()
    r = client.post(reverse("ttd:tandatangani"), {"versi": [hapak.pk]})
    assert r.status_code == 302
    assert ttd_antrean() == 1
    with tenancy.all_tenants(reason="test assertion"):
        tt = TandaTangan.objects.get(versi=hapak)
        assert (tt.status, tt.pejabat_id, tt.penandatangan_nip) == ("selesai", pejabat.pk, KETUA_NIP)
        versi = VersiSurat.objects.get(pk=hapak.pk)
    signed = baca(versi.ttd_berkas)
    assert signed.startswith(baca(versi.berkas))
    (sig,) = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    vc = konteks_validasi(validasi.trust_roots(), validasi.intermediates())
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    assert status.bottom_line and status.intact and status.trusted
    assert status.signing_cert.subject.native["common_name"] == KETUA
    # The signed copy names the endorsement: the sekretariat's paraf, who and when (in the
    # signature's reason, signed with the file; the rendered letter cannot know it).
    alasan = str(sig.sig_object["/Reason"])
    assert alasan.startswith(
        f"Penetapan {surat.get_jenis_display()} {surat.nomor}; paraf Sekretariat Tim Penilai: {stp.nama_lengkap}, "
    )
    assert alasan.endswith(" WIB")
    assert "Ditandatangani" in client.get(reverse("penetapan:surat_tim")).content.decode()
    # The holder's PIC downloads the signed HAPAK.
    client.force_login(pic)
    assert client.get(reverse("surat:unduh_ttd", args=[hapak.pk])).status_code == 200


def test_a_ketua_not_registered_is_told_and_the_team_may_upload_a_wet_signed_scan(client, referensi):
    """No registered signing official: the page says so and points to the registration; the
    sekretariat uploads the wet-signed scan with its reason (seed 001: manual work)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdfs import pindaian

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    kab = InstansiFactory(kode="KAB-CILACAP", nama="Pemerintah Kabupaten Cilacap", jenis="kabupaten")
    pic = UserFactory(username="pic.cilacap", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpc")
    hapak = _hapak(kab, jfak, pic, tim)
    client.force_login(tim["anggota"][0].user)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert 'data-testid="ketua-belum-terdaftar"' in page and hapak.surat.nomor in page
    client.force_login(tim["anggota"][1].user)  # a member, not named to sign: no such notice
    assert 'data-testid="ketua-belum-terdaftar"' not in client.get(reverse("penetapan:surat_tim")).content.decode()
    client.force_login(tim["sekretariat"])
    # The scan replaces the signing, not the sekretariat's endorsement: refused before the paraf.
    scan = SimpleUploadedFile("hapak-ttd-basah.pdf", pindaian(baca(hapak.berkas)), "application/pdf")
    r = client.post(
        reverse("ttd:unggah", args=[hapak.pk]), {"berkas": scan, "alasan": "Layanan TTE terganggu"}, follow=True
    )
    assert "menunggu paraf Sekretariat Tim Penilai" in r.content.decode()
    with tenancy.all_tenants(reason="test assertion"):
        assert not TandaTangan.objects.filter(versi=hapak).exists()
    assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code == 302
    scan = SimpleUploadedFile("hapak-ttd-basah.pdf", pindaian(baca(hapak.berkas)), "application/pdf")
    r = client.post(reverse("ttd:unggah", args=[hapak.pk]), {"berkas": scan, "alasan": "Layanan TTE terganggu"})
    assert r.status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        tt = TandaTangan.objects.get(versi=hapak)
        assert (tt.cara, tt.alasan_manual) == ("manual", "Layanan TTE terganggu")


def test_any_sekretariat_member_endorses_first_then_the_instansis_chain_and_a_correction_starts_again(
    client, referensi, django_capture_on_commit_callbacks
):
    """Two members in the sekretariat's term: both get the paraf in their queue and a notice, any
    one of them gives it; the chain the instansi configured (its Kabag) follows; the ketua signs
    only after both. A correction (a new version) starts with the sekretariat again, the parafs of
    the old version void."""
    from apps.notifikasi.models import Notifikasi
    from apps.penetapan.models import SekretariatTimAK
    from apps.ttd import services as ttd
    from apps.ttd.services import TtdError

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    kab = InstansiFactory(kode="KAB-KEBUMEN", nama="Pemerintah Kabupaten Kebumen", jenis="kabupaten")
    pic = UserFactory(username="pic.kebumen", instansi=kab, roles=["pic_instansi"])
    kabag = UserFactory(username="kabag.kebumen", instansi=kab, roles=["pic_instansi"], nama_lengkap="Kabag Kepeg")
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpkb")
    ketua, stp = tim["anggota"][0].user, tim["sekretariat"]
    stp2 = UserFactory(username="stp2.kebumen", instansi=kab, roles=["sekretariat_tim"], nama_lengkap="Sri Rahayu")
    lama = UserFactory(username="stp.lama.kebumen", instansi=kab, roles=["sekretariat_tim"])
    hari = timezone.localdate()
    with tenancy.all_tenants(reason="test"):
        SekretariatTimAK.objects.create(
            tim=tim["tim"], instansi=kab, jf=jfak, user=stp2, masa_mulai=hari - timedelta(days=10),
            masa_selesai=hari + timedelta(days=354),
        )  # fmt: skip
        # A member whose one-year term has ended endorses nothing any more.
        SekretariatTimAK.objects.create(
            tim=tim["tim"], instansi=kab, jf=jfak, user=lama, masa_mulai=hari - timedelta(days=500),
            masa_selesai=hari - timedelta(days=136),
        )  # fmt: skip
    with as_user(pic):
        alur = alur_mod.alur_buka(actor=pic, jenis="hapak")
        alur_mod.alur_simpan(actor=pic, alur=alur, langkah=[(kabag, "Kabag Kepegawaian")], penanda=None)
    with django_capture_on_commit_callbacks(execute=True):
        hapak = _hapak(kab, jfak, pic, tim)
    nomor = hapak.surat.nomor
    with tenancy.all_tenants(reason="test"):
        assert AlurVersi.objects.get(versi=hapak).langkah == [
            {"urutan": 1, "user": stp.pk, "sebutan": "Sekretariat Tim Penilai", "atau": [stp.pk, stp2.pk]},
            {"urutan": 2, "user": kabag.pk, "sebutan": "Kabag Kepegawaian"},
        ]
        ditujukan = set(
            Notifikasi.objects.filter(jenis="ttd", judul=f"Menunggu paraf Anda: {nomor}").values_list("user", flat=True)
        )
    assert ditujukan == {stp.pk, stp2.pk}
    for u in (stp, stp2):
        with as_user(u):
            assert [v.pk for v in ttd.antrean_paraf(u)] == [hapak.pk]
    with as_user(lama):
        assert ttd.antrean_paraf(lama) == []
    # Not the Kabag's turn yet.
    with as_user(kabag), pytest.raises(TtdError, match="tidak sedang menunggu paraf Anda"):
        ttd.paraf_beri(actor=kabag, versi=hapak)
    client.force_login(stp2)
    assert nomor in client.get(reverse("ttd:antrean")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code == 302
    # Given once: the other member's queue is empty, the Kabag's turn (and notice) comes.
    with as_user(stp):
        assert ttd.antrean_paraf(stp) == []
    with tenancy.all_tenants(reason="test"):
        assert Notifikasi.objects.filter(user=kabag, jenis="ttd", judul=f"Menunggu paraf Anda: {nomor}").exists()
    client.force_login(ketua)
    assert "Menunggu paraf Kabag Kepegawaian" in client.get(reverse("penetapan:surat_tim")).content.decode()
    with as_user(kabag):
        ttd.paraf_beri(actor=kabag, versi=hapak)
    with tenancy.all_tenants(reason="test"):
        assert list(Paraf.objects.filter(versi=hapak).order_by("urutan").values_list("urutan", "user")) == [
            (1, stp2.pk),
            (2, kabag.pk),
        ]

    # The sekretariat corrects the HAPAK: version 2's chain starts with the sekretariat again.
    with as_user(stp):
        usulan = selectors.usulan(_usulan_dari_surat(hapak.surat_id))
        services.surat_koreksi(actor=stp, usulan=usulan, alasan="Salah ketik nama instansi")
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        v2 = VersiSurat.objects.select_related("surat").get(surat_id=hapak.surat_id, diganti_at__isnull=True)
        assert v2.versi == 2
        assert [r["sebutan"] for r in AlurVersi.objects.get(versi=v2).langkah] == [
            "Sekretariat Tim Penilai",
            "Kabag Kepegawaian",
        ]
        assert not Paraf.objects.filter(versi=hapak, batal_at__isnull=True).exists()
    with as_user(stp):
        assert [v.pk for v in ttd.antrean_paraf(stp)] == [v2.pk]
    with as_user(kabag):
        assert ttd.antrean_paraf(kabag) == []


def _usulan_dari_surat(surat_id):
    from apps.penetapan.models import UsulanPenetapanAK

    with tenancy.all_tenants(reason="test"):
        return UsulanPenetapanAK.objects.get(surat_id=surat_id).pk


def test_a_hapak_cannot_be_issued_when_the_team_has_no_sekretariat_in_term(referensi):
    """Nobody could endorse it, so the ketua could never sign: the sidang is refused, with why."""
    from apps.penetapan.alur import PenetapanError
    from apps.penetapan.models import SekretariatTimAK

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    kab = InstansiFactory(kode="KAB-PURWOREJO", nama="Pemerintah Kabupaten Purworejo", jenis="kabupaten")
    pic = UserFactory(username="pic.purworejo", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpw")
    ani = buat_pejabat(kab, jfak, ak_awal=Decimal("40"))
    u = usulan_diajukan(pic, ani)
    with as_user(tim["sekretariat"]):
        services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
    for a in tim["anggota"]:
        with as_user(a.user):
            services.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk]
        )
    with tenancy.all_tenants(reason="test"):  # the sekretariat's term ended yesterday
        SekretariatTimAK.objects.filter(tim=tim["tim"]).update(masa_selesai=timezone.localdate() - timedelta(days=1))
    ketua = tim["anggota"][0].user
    with as_user(ketua), pytest.raises(PenetapanError, match="tidak memiliki anggota sekretariat"):
        services.sidang_putuskan(actor=ketua, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim["anggota"]])
    with tenancy.all_tenants(reason="test"):
        assert not Surat.objects.filter(jenis="hapak").exists()
        assert selectors.usulan(u.pk).status == "sidang"
