"""Issue 13 §5: a berita acara for the seleksi administrasi, as for the sidang: issued when a round
of administrative review concludes, listing each decision, numbered, rendered by the worker,
verifiable by its code, and signed (also through apps.ttd) by every verifier who decided."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.surat import selectors as surat_selectors
from apps.surat.models import JenisSurat, Surat, SuratUsulan
from apps.ttd import services as ttd_services
from apps.ttd.validasi import harapan_untuk
from apps.verifikasi import services
from apps.verifikasi.models import Pemeriksaan
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants, pdf_text, putuskan_seleksi, render_antrean, versi_berlaku
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def putaran(diajukan, staf):
    """Three submitted usulan: one meets the requirements, one needs repair (another verifier), one
    is not decided yet."""
    staf["verifikator"].nip = "197501012000031001"
    staf["verifikator"].save(update_fields=["nip"])
    staf["verifikator2"].nip = "198002022005012002"
    staf["verifikator2"].save(update_fields=["nip"])
    a, b, c = diajukan(3)
    putuskan_seleksi(staf["verifikator"], a, "memenuhi")
    putuskan_seleksi(staf["verifikator2"], b, "perbaikan", "Ijazah belum dilegalisasi.")
    return a, b, c


def test_the_verifier_issues_it_for_the_decided_reviews_and_it_lists_each_result(client, putaran, staf, pk, pic_pk):
    a, b, c = putaran
    client.force_login(staf["verifikator"])
    page = client.get(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    assert (
        page.status_code == 200
        and a.pegawai_nama in page.content.decode()
        and c.pegawai_nama not in page.content.decode()
    )
    response = client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    with all_tenants():
        surat = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA_SELEKSI)
        assert response.status_code == 302 and response.url == reverse("surat:detail", args=[surat.pk])
        assert surat.penerbit_id == pk.instansi_pembina_id and surat.nomor.startswith("BA-")
        assert set(Pemeriksaan.objects.filter(berita_acara=surat).values_list("usulan_id", flat=True)) == {a.pk, b.pk}
        assert set(SuratUsulan.objects.filter(surat=surat).values_list("usulan_id", flat=True)) == {a.pk, b.pk}
    assert render_antrean() == 1
    versi = versi_berlaku(surat)
    text = " ".join(pdf_text(versi).split())
    assert "BERITA ACARA SELEKSI ADMINISTRASI" in text.upper() and surat.nomor in text
    assert a.pegawai_nama in text and b.pegawai_nama in text and c.pegawai_nama not in text
    assert "Memenuhi syarat" in text and "Perlu perbaikan" in text and "Ijazah belum dilegalisasi." in text
    # Only the results that occurred (issue 13 low: no "0 tidak memenuhi syarat").
    assert "Dari 2 keputusan, 1 memenuhi syarat dan 1 perlu perbaikan, sebagai berikut" in text
    assert "0 tidak memenuhi syarat" not in text
    for user in (staf["verifikator"], staf["verifikator2"]):  # both sign, with NIP
        assert str(user) in text
    # NIPs as their 18 digits, unbroken (issue 13: the letter printed them spaced)
    assert "NIP 197501012000031001" in text and "NIP 198002022005012002" in text
    # verifiable by its code like every letter
    public = client.get(reverse("surat:verifikasi", args=[versi.kode]))
    assert public.status_code == 200 and surat.nomor in public.content.decode()
    # the round is closed: nothing left to record, a second press is refused and numbers nothing
    again = client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode}, follow=True)
    assert "Belum ada hasil seleksi administrasi yang belum dituangkan dalam berita acara." in again.content.decode()
    with all_tenants():
        assert Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA_SELEKSI).count() == 1
    # the instansi pengusul does not see the pembina's berita acara
    with as_user(pic_pk):
        assert not surat_selectors.surat_untuk(pic_pk).filter(pk=surat.pk).exists()


def test_the_verifiers_who_decided_are_its_signers_in_apps_ttd(client, putaran, staf, pk):
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    render_antrean()
    with all_tenants():
        surat = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA_SELEKSI)
    with all_tenants():  # as the public validation and the signing worker read it
        signers = harapan_untuk(surat)
    assert {h.user_id for h in signers} == {staf["verifikator"].pk, staf["verifikator2"].pk}
    assert {h.nip for h in signers} == {"197501012000031001", "198002022005012002"}
    versi = versi_berlaku(surat)
    with as_user(staf["verifikator2"]):
        assert ttd_services.versi_ttd_untuk(staf["verifikator2"]).filter(pk=versi.pk).exists()
    with as_user(staf["penilai1"]):
        assert not ttd_services.versi_ttd_untuk(staf["penilai1"]).filter(pk=versi.pk).exists()


def test_who_may_issue_it(client, putaran, staf, pk, instansi_a):
    url = reverse("verifikasi:berita_acara_seleksi")
    client.force_login(staf["penilai1"])
    assert client.get(url).status_code == 403 and client.post(url, {"jf": pk.kode}).status_code == 403
    client.force_login(UserFactory(username="pic.x", instansi=instansi_a, roles=["pic_instansi"]))
    assert client.post(url, {"jf": pk.kode}).status_code == 403
    client.force_login(staf["verifikator"])
    assert client.get(url, {"jf": "aks"}).status_code == 404  # a JF of another pembina
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA_SELEKSI).exists()


def test_it_has_its_own_number_series_apart_from_the_sidang(client, putaran, staf, pk):
    """The seleksi administrasi's berita acara is numbered in its own series ("ba_seleksi", default
    ``BA-001/TSA-<kode>/…``): it no longer takes numbers from the sidang's berita acara series."""
    from django.db import transaction

    from apps.surat.models import PenomoranSurat
    from apps.surat.penomoran import ambil_nomor

    pembina = pk.instansi_pembina
    hari = timezone.localdate()
    with all_tenants(), transaction.atomic():  # two sidang berita acara numbered earlier this year
        sidang = [ambil_nomor(penerbit=pembina, seri="berita_acara", tanggal=hari) for _ in range(2)]
    assert [u for u, _n in sidang] == [1, 2] and "/TIM-" in sidang[0][1]
    with as_user(staf["verifikator"]):
        surat = services.berita_acara_seleksi_terbitkan(actor=staf["verifikator"], jf=pk)
    assert surat.nomor.startswith(f"BA-001/TSA-{pembina.kode}/"), surat.nomor
    with all_tenants():
        counters = dict(
            PenomoranSurat.objects.filter(penerbit=pembina, tahun=hari.year).values_list("seri", "terakhir")
        )
    assert counters == {"berita_acara": 2, "ba_seleksi": 1}
    # the admin pembina sets its format apart from the sidang's
    client.force_login(staf["admin"])
    page = client.get(reverse("surat:pengaturan")).content.decode()
    assert "Format nomor Berita acara seleksi administrasi" in page and "BA-{urut:03d}/TSA-{kode}" in page


def test_a_wet_ink_scan_of_it_is_refused_naming_the_letters_that_take_one(client, putaran, staf, pk):
    """The seleksi's berita acara takes only electronic signatures; the refusal of a scan names the
    letter types the manual fallback of seed 001 covers, and stores nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.ttd.models import TandaTangan
    from tests.pdfs import pindaian
    from tests.ttd.conftest import baca

    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    render_antrean()
    with all_tenants():
        surat = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA_SELEKSI)
    versi = versi_berlaku(surat)
    scan = pindaian(baca(versi.berkas))
    admin = staf["admin"]
    with as_user(admin), pytest.raises(ttd_services.TtdError) as exc:
        ttd_services.unggah_salinan(
            actor=admin, versi=versi, upload=SimpleUploadedFile("pindaian.pdf", scan), alasan_manual="Kahar."
        )
    pesan = str(exc.value)
    assert "Untuk Berita acara seleksi administrasi hanya salinan yang ditandatangani secara elektronik" in pesan
    for jenis in (JenisSurat.BERITA_ACARA, JenisSurat.REKOMENDASI, JenisSurat.SK, JenisSurat.HAPAK):
        assert str(jenis.label) in pesan
    assert str(JenisSurat.BERITA_ACARA_SELEKSI.label) not in pesan.split("hanya diterima untuk", 1)[1]
    with all_tenants():
        assert not TandaTangan.objects.filter(versi_id=versi.pk).exists()


def test_fe13_its_page_names_the_verifiers_who_sign_not_the_configured_official(client, putaran, staf, pk):
    """Fresh-eye walk, item 2: the letter's card said "Penanda tangan: <admin pembina>, Verifikator Tim
    Seleksi Administrasi" while the PDF (and apps.ttd) expect the verifiers who decided."""
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    with all_tenants():
        surat = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA_SELEKSI)
        harapan = harapan_untuk(surat)
    assert {h.nama for h in harapan} == {str(staf["verifikator"]), str(staf["verifikator2"])}
    body = client.get(reverse("surat:detail", args=[surat.pk])).content.decode()
    start = body.index('data-testid="penanda-tangan"')
    kartu = body[start : body.index("</p>", start)]
    for user in (staf["verifikator"], staf["verifikator2"]):
        assert str(user) in kartu and user.nip in kartu
    if surat.penandatangan_nama not in {h.nama for h in harapan}:
        assert surat.penandatangan_nama not in kartu
    assert str(staf["admin"]) not in kartu
