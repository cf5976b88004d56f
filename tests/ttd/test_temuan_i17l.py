"""Fresh-eye walk of issue 17 (i17l): a signer whose login account stands in the paraf chain the
new version would take is refused up front — on issuance and on correction, page and API — instead
of a version that waits forever for a paraf its signer may not give."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import daftar_pejabat
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

KABAG = ("Drs. Kabag Kepegawaian", "Kepala Bagian Kepegawaian", "197503152000031004")


@pytest.fixture
def pejabat_kabag(instansi_a, kabag):
    nama, jabatan, nip = KABAG
    return daftar_pejabat(instansi=instansi_a, user=kabag, identitas=None, nama=nama, nip=nip, jabatan=jabatan)


def test_koreksi_memilih_penanda_di_alur_paraf_ditolak(client, sk_siap, alur, pejabat_kabag, ppk_pk):
    (v1,) = sk_siap(1)
    surat = v1.surat
    with as_user(ppk_pk), pytest.raises(surat_services.SuratError) as exc:
        surat_services.surat_koreksi(
            actor=ppk_pk, surat=surat, alasan="Ganti penanda tangan", perubahan={"penandatangan": KABAG}
        )
    pesan = " ".join(exc.value.messages)
    assert "paraf ke-1 (Kabag Kepegawaian)" in pesan and "kabag.a" in pesan and "Alur paraf" in pesan
    # The page: refused with the message, no version made.
    client.force_login(ppk_pk)
    r = client.post(
        reverse("surat:koreksi", args=[surat.pk]),
        {"alasan": "Ganti penanda tangan", "pejabat": pejabat_kabag.pk, "penandatangan_jabatan": KABAG[1]},
        follow=True,
    )
    assert "paraf ke-1 (Kabag Kepegawaian)" in r.content.decode()
    with all_tenants():
        assert VersiSurat.objects.filter(surat=surat).count() == 1
        surat.refresh_from_db()
        assert surat.penandatangan_nip != KABAG[2]


def test_terbit_sk_dengan_penanda_di_alur_paraf_ditolak(sk_siap, alur, pejabat_kabag):
    with pytest.raises(surat_services.SuratError) as exc:
        sk_siap(1, penandatangan=KABAG)
    assert "paraf ke-1 (Kabag Kepegawaian)" in " ".join(exc.value.messages)


def test_penanda_di_luar_alur_tetap_boleh(sk_siap, alur, pejabat_kabag, ppk_pk):
    (v1,) = sk_siap(1)  # the PPK signs, the Kabag parafs: fine
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    assert v2.versi == 2


def test_antrean_tanpa_paraf_terpilih_bila_tak_satu_pun_bisa_diparaf(client, sk_siap, alur, kabag, instansi_a):
    (v1,) = sk_siap(1, penandatangan=KABAG)  # issued before the Kabag was registered as an official
    nama, jabatan, nip = KABAG
    daftar_pejabat(instansi=instansi_a, user=kabag, identitas=None, nama=nama, nip=nip, jabatan=jabatan)
    client.force_login(kabag)
    body = client.get(reverse("ttd:antrean")).content.decode()
    assert f'data-testid="paraf-ditolak-{v1.pk}"' in body
    assert 'data-testid="paraf-terpilih"' not in body


def test_api_koreksi_ganti_penanda_dan_bidang_asing(client, sk_siap, pejabat_kabag, ppk_pk, alur):
    (v1,) = sk_siap(1)
    surat = v1.surat
    client.force_login(ppk_pk)
    url = f"/api/v1/surat/{surat.pk}/koreksi/"
    r = client.post(url, {"alasan": "x", "penandatangan_nip": KABAG[2]}, content_type="application/json")
    assert r.status_code == 400 and "penandatangan_nip" in r.json()
    # The signer chosen by id, through the same service and checks as the page: the Kabag parafs.
    r = client.post(url, {"alasan": "x", "pejabat": pejabat_kabag.pk}, content_type="application/json")
    assert r.status_code == 400 and "paraf ke-1 (Kabag Kepegawaian)" in r.content.decode()
    with all_tenants():
        alur.langkah.all().delete()
    r = client.post(
        url, {"alasan": "Ganti penanda tangan", "pejabat": pejabat_kabag.pk}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    with all_tenants():
        surat.refresh_from_db()
        assert (surat.penandatangan_nama, surat.penandatangan_nip) == (KABAG[0], KABAG[2])
        assert VersiSurat.objects.filter(surat=surat).count() == 2


def test_a_refused_correction_keeps_what_was_typed(client, sk_siap, alur, pejabat_kabag, ppk_pk):
    """Fresh-eye walk of issue 17: a correction refused (the signer stands in the paraf chain, or
    the form is invalid) came back to an empty form. The letter's page now shows the form opened,
    filled as it was sent, with the reason of the refusal; once (a later visit opens it afresh)."""
    (v1,) = sk_siap(1)
    surat = v1.surat
    url, detail = reverse("surat:koreksi", args=[surat.pk]), reverse("surat:detail", args=[surat.pk])
    client.force_login(ppk_pk)
    alasan = "Penanda tangan diganti karena pejabat definitif dilantik pada 1 Agustus 2026."
    jabatan = "Plt. Kepala Bagian Kepegawaian"
    r = client.post(url, {"alasan": alasan, "pejabat": pejabat_kabag.pk, "penandatangan_jabatan": jabatan}, follow=True)
    body = r.content.decode()
    assert "paraf ke-1 (Kabag Kepegawaian)" in body and 'data-testid="koreksi-terisi"' in body
    form = r.context["koreksi_form"]
    assert form["alasan"].value() == alasan and str(form["pejabat"].value()) == str(pejabat_kabag.pk)
    assert form["penandatangan_jabatan"].value() == jabatan
    assert alasan in body and jabatan in body

    # A validation error (a TMT that is no date): the reason, the TMT and the signer as typed.
    r = client.post(url, {"alasan": alasan, "tmt": "31-02-2026", "penandatangan_jabatan": jabatan}, follow=True)
    form = r.context["koreksi_form"]
    assert r.status_code == 200 and 'data-testid="koreksi-terisi"' in r.content.decode()
    assert (form["alasan"].value(), form["tmt"].value(), form["penandatangan_jabatan"].value()) == (
        alasan, "31-02-2026", jabatan,
    )  # fmt: skip
    with all_tenants():
        assert VersiSurat.objects.filter(surat=surat).count() == 1
    # Shown once: the next visit opens the form with the letter's own values.
    r = client.get(detail)
    assert 'data-testid="koreksi-terisi"' not in r.content.decode() and not r.context["koreksi_form"]["alasan"].value()
