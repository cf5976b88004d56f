"""The signer on the issuance forms: the issuer's registered officials are offered and the name,
NIP and jabatan come from the chosen one; free text only where none is registered (with a link
to the register). "Perbaiki surat" opens with the letter's current TMT and signer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat.models import JenisSurat, Surat, VersiSurat
from tests.surat.conftest import (
    PENANDATANGAN_PPK,
    TANGGAL,
    all_tenants,
    rekomendasi_lewat_halaman,
    render_antrean,
    tandatangani_rekomendasi,
)

pytestmark = pytest.mark.django_db


def _siap_sk(client, diputuskan, staf, pk, instansi_a):
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])  # an SK waits for its signed rekomendasi
    return lulus[0]


def test_the_sk_form_offers_the_registered_officials_and_fills_the_signer_from_the_choice(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pejabat_ppk
):
    usulan = _siap_sk(client, diputuskan, staf, pk, instansi_a)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk"))
    form = page.context["form"]
    assert "pejabat" in form.fields and str(form["pejabat"].value()) == str(pejabat_ppk.pk)  # the only one
    body = page.content.decode()
    assert f'data-nip="{pejabat_ppk.nip}"' in body and 'data-isi-penanda="penandatangan_nama' in body
    assert 'name="penandatangan_nama"' in body and "readonly" in body
    assert 'data-testid="tanpa-pejabat-ttd"' not in body
    isian = {"usulan": [usulan.pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", "konfirmasi": "ya"}
    # A typed signer who is no registered official: refused while officials are registered.
    salah = client.post(
        reverse("surat:ppk"),
        {**isian, "penandatangan_nama": "Orang Lain", "penandatangan_jabatan": "Kepala", "penandatangan_nip": ""},
    )
    assert salah.status_code == 200 and "Pilih pejabat penanda tangan yang terdaftar" in salah.content.decode()
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.SK).exists()
    # The choice alone: name, NIP and jabatan are the official's (whatever the fields held).
    ok = client.post(
        reverse("surat:ppk"),
        {**isian, "pejabat": pejabat_ppk.pk, "penandatangan_nama": "Ketik Salah", "penandatangan_jabatan": "",
         "penandatangan_nip": ""},
    )  # fmt: skip
    assert ok.status_code == 302
    with all_tenants():
        sk = Surat.objects.get(jenis=JenisSurat.SK)
    assert (sk.penandatangan_nama, sk.penandatangan_jabatan, sk.penandatangan_nip) == PENANDATANGAN_PPK


def test_without_registered_officials_the_signer_is_typed_and_the_register_is_linked(
    client, diputuskan, staf, pk, instansi_a, ppk_pk
):
    diputuskan(1, 0)
    client.force_login(staf["admin"])  # the rekomendasi form
    page = client.get(reverse("surat:rekomendasi"))
    assert "pejabat" not in page.context["form"].fields
    assert 'data-testid="tanpa-pejabat-ttd"' in page.content.decode()
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])  # an SK waits for its signed rekomendasi
    client.force_login(ppk_pk)  # and the SK form
    page = client.get(reverse("surat:ppk"))
    body = page.content.decode()
    assert "pejabat" not in page.context["form"].fields
    assert 'data-testid="tanpa-pejabat-ttd"' in body and f'href="{reverse("ttd:pejabat")}"' in body


def test_perbaiki_surat_opens_with_the_current_tmt_and_signer(client, sk_siap, ppk_pk, pejabat_ppk):
    (versi,) = sk_siap(1)
    surat = versi.surat
    client.force_login(ppk_pk)
    form = client.get(reverse("surat:detail", args=[surat.pk])).context["koreksi_form"]
    assert form["tmt"].value() == TANGGAL == surat.tmt
    assert (form["penandatangan_nama"].value(), form["penandatangan_jabatan"].value(),
            form["penandatangan_nip"].value()) == PENANDATANGAN_PPK  # fmt: skip
    assert str(form["pejabat"].value()) == str(pejabat_ppk.pk)
    # Submitted as opened (only the reason typed): a new version, TMT and signer unchanged.
    data = {"alasan": "Salah ketik nama unit kerja.", "tmt": TANGGAL.isoformat(), "pejabat": pejabat_ppk.pk,
            "penandatangan_nama": PENANDATANGAN_PPK[0], "penandatangan_jabatan": PENANDATANGAN_PPK[1],
            "penandatangan_nip": PENANDATANGAN_PPK[2]}  # fmt: skip
    assert client.post(reverse("surat:koreksi", args=[surat.pk]), data).status_code == 302
    with all_tenants():
        surat.refresh_from_db()
        assert VersiSurat.objects.filter(surat=surat).count() == 2
    assert surat.tmt == TANGGAL and surat.penandatangan_nip == PENANDATANGAN_PPK[2]
    # Another signer who is no registered official: refused.
    data.update(pejabat="", penandatangan_nama="Orang Lain", penandatangan_nip="199001012015031001")
    response = client.post(reverse("surat:koreksi", args=[surat.pk]), data, follow=True)
    assert "Pilih pejabat penanda tangan yang terdaftar" in response.content.decode()
    with all_tenants():
        assert VersiSurat.objects.filter(surat=surat).count() == 2
