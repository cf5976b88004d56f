"""The berita acara carries one signature per member present (ketua first), each an incremental
update over the previous one; the copy validates only when all of them have signed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.surat.models import Surat, VersiSurat
from apps.ttd import services, validasi
from tests.surat.conftest import all_tenants, render_antrean, tandatangani_ba
from tests.ttd.conftest import baca, daftar_pejabat, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_the_berita_acara_is_signed_by_the_ketua_and_each_member_present(diputuskan, staf, kemnaker, ca, client):
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    for i, user in enumerate(members):
        user.nip = f"19800101200501100{i}"
        user.save(update_fields=["nip"])
    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    render_antrean()
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(surat__sidang=sidang, surat__jenis="berita_acara")
        terbit = baca(versi.berkas)
    for user in members:
        daftar_pejabat(
            instansi=kemnaker, user=user, identitas=ca.pejabat(str(user), nip=user.nip), nama=str(user), nip=user.nip,
            jabatan="Tim Penilai",
        )  # fmt: skip
    for n, user in enumerate(members, start=1):
        with as_user(user):
            assert [v.pk for v in services.antrean_ttd(user)] == [versi.pk]
        # Through the page: a penilai sees no letters, but signs the berita acara of their sidang.
        client.force_login(user)
        assert client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]}).status_code == 302
        assert ttd_antrean() == 1
        with all_tenants():
            versi = VersiSurat.objects.select_related("surat").get(pk=versi.pk)
            data = baca(versi.ttd_berkas)
            laporan = validasi.validasi(data, versi, terbit=terbit)
        assert len(PdfFileReader(io.BytesIO(data)).embedded_regular_signatures) == n
        assert laporan.identik and all(t["utuh"] and t["terpercaya"] for t in laporan.tanda_tangan)
        # Complete (and so valid as the letter's signed copy) only with every member present.
        assert laporan.sah == (n == len(members)), laporan.alasan
    assert [t["nip"] for t in laporan.tanda_tangan] == [u.nip for u in members]
    # Each signature block reads the member's role in the team, as the letter's table does.
    from apps.ttd import tasks
    from apps.ttd.models import Pejabat

    with all_tenants():
        jabatan = [tasks._tampilan(versi, Pejabat.objects.get(user=u), 0).jabatan for u in members]
    assert jabatan == ["Ketua Tim Penilai", "Sekretaris Tim Penilai", "Anggota Tim Penilai"]
    with all_tenants():
        assert services.lengkap(versi)
        assert Surat.objects.get(pk=versi.surat_id).jenis == "berita_acara"


def test_the_pembina_official_signs_the_rekomendasi(diputuskan, staf, pk, instansi_a, kemnaker, ca):
    from apps.pengusulan.models import Usulan
    from apps.surat import services as surat_services
    from tests.surat.conftest import PENANDATANGAN, TANGGAL

    lulus, _t, _s = diputuskan(2, 0)
    admin = staf["admin"]
    with as_user(admin):
        surat = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    render_antrean()
    nama, jabatan, nip = PENANDATANGAN
    daftar_pejabat(instansi=kemnaker, user=admin, identitas=ca.pejabat(nama, nip=nip), nama=nama, nip=nip,
                   jabatan=jabatan)  # fmt: skip
    with as_user(admin):
        antre = [v for v in services.antrean_ttd(admin) if v.surat.jenis == "rekomendasi"]
        assert [v.surat_id for v in antre] == [surat.pk]
        batch = services.minta_tandatangan(actor=admin, versi_ids=[v.pk for v in antre])
    ttd_antrean()
    with as_user(admin):
        assert services.progress(batch)["selesai"] == 1
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(surat=surat)
        laporan = validasi.validasi(baca(versi.ttd_berkas), versi, terbit=baca(versi.berkas))
        assert laporan.sah, laporan.alasan
        # A rekomendasi's signature does not move the usulan (only the SK does).
        assert {u.status for u in Usulan.objects.filter(pk__in=[u.pk for u in lulus])} == {"direkomendasikan"}


def test_the_sidang_page_shows_the_berita_acaras_real_signatures(diputuskan, staf, kemnaker, ca, client):
    """Deciding the sidang issues the berita acara; it is not the ketua's signature. The page lists
    each signer the letter names as waiting until their own signature is on the PDF."""
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    for i, user in enumerate(members):
        user.nip = f"19800101200501100{i}"
        user.save(update_fields=["nip"])
    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    render_antrean()
    ketua = staf["ketua"]
    url = reverse("verifikasi:sidang", args=[sidang.pk])
    client.force_login(ketua)
    html = client.get(url).content.decode()
    assert "Ditandatangani:" not in html
    assert html.count("menunggu tanda tangan elektronik") == len(members)
    assert reverse("ttd:antrean") in html  # the ketua's own line links to her queue
    with all_tenants():
        versi = VersiSurat.objects.get(surat__sidang=sidang, surat__jenis="berita_acara")
    daftar_pejabat(
        instansi=kemnaker, user=ketua, identitas=ca.pejabat(str(ketua), nip=ketua.nip), nama=str(ketua),
        nip=ketua.nip, jabatan="Ketua Tim Penilai",
    )  # fmt: skip
    assert client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]}).status_code == 302
    assert ttd_antrean() == 1
    html = client.get(url).content.decode()
    assert html.count("menunggu tanda tangan elektronik") == len(members) - 1
    assert html.count("ditandatangani secara elektronik") == 1
    assert reverse("ttd:antrean") not in html.split('data-testid="penanda-berita-acara"')[1].split("</ul>")[0]


def test_a_typed_signer_name_must_be_the_registered_officials(diputuskan, staf, pk, instansi_a, kemnaker, ca):
    """The NIP of a registered signing official with another person's name: refused when issuing
    (naming the registered name), and a letter already issued so is not signed either."""
    from apps.surat import services as surat_services
    from apps.surat.services import SuratError
    from tests.surat.conftest import PENANDATANGAN, TANGGAL

    diputuskan(2, 0)
    admin = staf["admin"]
    _nama, jabatan, nip = PENANDATANGAN
    salah = ("Drs. Agus Priyanto, M.Si.", jabatan, nip)
    daftar_pejabat(instansi=kemnaker, user=admin, identitas=ca.pejabat("Andri Kurniawan", nip=nip),
                   nama="Andri Kurniawan", nip=nip, jabatan=jabatan)  # fmt: skip
    with as_user(admin), pytest.raises(SuratError) as exc:
        surat_services.rekomendasi_terbitkan(
            actor=admin, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=salah
        )
    assert "Andri Kurniawan" in str(exc.value.messages) and "Agus Priyanto" in str(exc.value.messages)
    with all_tenants():
        assert not Surat.objects.filter(jenis="rekomendasi").exists()
    # The same person with titles, other case and punctuation is accepted.
    with as_user(admin):
        surat = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL,
            penandatangan=("Ir. ANDRI  KURNIAWAN, M.T.", jabatan, nip),
        )  # fmt: skip
    assert surat.penandatangan_nama == "Ir. ANDRI  KURNIAWAN, M.T."


def test_a_letter_printing_another_name_is_not_signed_by_the_registered_official(
    diputuskan, staf, pk, instansi_a, kemnaker, ca
):
    from apps.surat import services as surat_services
    from tests.surat.conftest import PENANDATANGAN, TANGGAL

    diputuskan(2, 0)
    admin = staf["admin"]
    _nama, jabatan, nip = PENANDATANGAN
    with as_user(admin):  # issued before the official was registered: no check possible then
        surat = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL,
            penandatangan=("Drs. Agus Priyanto, M.Si.", jabatan, nip),
        )  # fmt: skip
    render_antrean()
    daftar_pejabat(instansi=kemnaker, user=admin, identitas=ca.pejabat("Andri Kurniawan", nip=nip),
                   nama="Andri Kurniawan", nip=nip, jabatan=jabatan)  # fmt: skip
    with all_tenants():
        versi = VersiSurat.objects.get(surat=surat)
    with as_user(admin):
        assert services.antrean_ttd(admin) == []
        with pytest.raises(services.TtdError) as exc:
            services.minta_tandatangan(actor=admin, versi_ids=[versi.pk])
    assert "Andri Kurniawan" in exc.value.messages[0] and "Agus Priyanto" in exc.value.messages[0]
    with all_tenants():
        assert not versi.tanda_tangan.exists()


def test_every_signer_is_told_when_the_letter_waits_for_their_signature(
    diputuskan, staf, pk, instansi_a, kemnaker, ca, django_capture_on_commit_callbacks
):
    """No paraf chain for the berita acara or the rekomendasi: once rendered they wait for their
    signers, who are told (in the portal and by e-mail, through apps.notifikasi)."""
    from apps.notifikasi.models import Notifikasi
    from apps.surat import services as surat_services
    from tests.surat.conftest import PENANDATANGAN, TANGGAL

    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    for i, user in enumerate(members):
        user.nip = f"19800101200501100{i}"
        user.save(update_fields=["nip"])
        daftar_pejabat(
            instansi=kemnaker, user=user, identitas=ca.pejabat(str(user), nip=user.nip), nama=str(user),
            nip=user.nip, jabatan="Tim Penilai",
        )  # fmt: skip
    admin = staf["admin"]
    nama, jabatan, nip = PENANDATANGAN
    daftar_pejabat(instansi=kemnaker, user=admin, identitas=ca.pejabat(nama, nip=nip), nama=nama, nip=nip,
                   jabatan=jabatan)  # fmt: skip
    _l, _t, sidang = diputuskan(2, 0, ttd_ba=False)
    with django_capture_on_commit_callbacks(execute=True):
        render_antrean()
    with all_tenants():
        ba = Surat.objects.get(sidang=sidang, jenis="berita_acara")
        for user in members:
            assert Notifikasi.objects.filter(user=user, jenis="ttd", judul__contains=ba.nomor).count() == 1
    # The rekomendasi waits for the signed berita acara (here the wet-ink fallback).
    tandatangani_ba(sidang, admin)
    with as_user(admin):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    with django_capture_on_commit_callbacks(execute=True):
        render_antrean()
    with all_tenants():
        assert Notifikasi.objects.filter(user=admin, jenis="ttd", judul__contains=rekomendasi.nomor).count() == 1


def test_the_berita_acara_takes_a_wet_ink_scan_with_its_reason(diputuskan, staf, client):
    """Issue 17 fresh-eye walk: the berita acara's upload invited a wet-ink scan with its reason,
    then refused it. Issue 13 (fresh-eye walk): a rekomendasi now waits for its signed berita
    acara, so the berita acara takes seed 001's manual fallback like the SK: the card asks for the
    reason, a scan without one is refused saying so, and with one it is the signed copy."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdfs import pindaian

    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    render_antrean()
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(surat__sidang=sidang, surat__jenis="berita_acara")
    client.force_login(staf["admin"])
    page = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="unggah-salinan"' in page
    assert "ketua dan setiap anggota tim yang hadir" in page
    assert "Pindaian tanda tangan basah hanya sebagai cadangan" in page and f'id="alasan-{versi.pk}"' in page
    with all_tenants():
        scan = pindaian(baca(versi.berkas))
    url = reverse("ttd:unggah", args=[versi.pk])
    berkas = SimpleUploadedFile("ba.pdf", scan, content_type="application/pdf")
    tanpa = client.post(url, {"berkas": berkas}, follow=True)
    assert "tuliskan alasannya" in tanpa.content.decode()
    with all_tenants():
        assert not VersiSurat.objects.get(pk=versi.pk).ttd_berkas
    client.post(
        url,
        {"berkas": SimpleUploadedFile("ba.pdf", scan, content_type="application/pdf"), "alasan": "jaringan putus"},
        follow=True,
    )
    with all_tenants():
        versi = VersiSurat.objects.get(pk=versi.pk)
        assert versi.ttd_berkas and services.ditandatangani(versi)
