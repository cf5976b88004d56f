"""Issue 17, third fresh-eye walk (helper i17i).

Item 1: ``ttd_demo --sk 6 --pejabat ppk.kemenhub`` then ``--sk 12 --pejabat ppk.bandung`` gave the
demo pegawai the same NIPs in both instansi. Kemenhub's SKs were signed first; signing Bandung's,
"SK terbit" refused a second active record of the NIP (``JabatanError``), and the batch page, the
letter card and the API said only "Penandatanganan gagal karena kesalahan sistem; coba lagi atau
hubungi admin." — and signing again never helped. A domain refusal now reaches the official as the
letter's reason (not retried, nothing stored), the request itself refuses an SK whose NIP is already
active elsewhere, and ttd_demo gives NIPs unique across instansi."""

from __future__ import annotations

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
from tests.ttd.conftest import ttd_antrean

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
