"""The berita acara carries one signature per member present (ketua first), each an incremental
update over the previous one; the copy validates only when all of them have signed."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.surat.models import Surat, VersiSurat
from apps.ttd import services, validasi
from tests.surat.conftest import all_tenants, render_antrean
from tests.ttd.conftest import baca, daftar_pejabat, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_the_berita_acara_is_signed_by_the_ketua_and_each_member_present(diputuskan, staf, kemnaker, ca, client):
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    for i, user in enumerate(members):
        user.nip = f"19800101200501100{i}"
        user.save(update_fields=["nip"])
    _l, _t, sidang = diputuskan(1, 0)
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
    _l, _t, sidang = diputuskan(1, 0)
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
