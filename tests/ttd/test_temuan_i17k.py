"""Fresh-eye walk of issue 17 (i17k), on real letters and real signatures: an SK corrected after it
was signed flags its usulan ("SK terbit", the correction awaits its signature) on the PIC, PPK and
pembina pages and in the API until the correction is signed — by the portal's TTE or by the scan
fallback, as the public page says — without a second holder record or ledger row."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

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
        assert "Ditandatangani secara manual (tanda tangan basah)" in publik
    with all_tenants():
        usulan.refresh_from_db()
        v2.refresh_from_db()
    assert usulan.status == Status.SK_TERBIT and v2.ttd_berkas
    assert not any(_flag_di_mana_mana(client, **peran).values())
    # The holder's record that "SK terbit" opened is the one record, its ledger unchanged.
    assert _pemegang(usulan.pegawai_nip) == (pejabat, mutasi)
