"""A refused "Ajukan" keeps what the PIC typed (issue 14: no lost input)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("konfirmasi", [{}, {"konfirmasi": "ya"}], ids=["periksa", "dikonfirmasi"])
def test_a_refused_ajukan_shows_the_reason_with_the_typed_surat_pengantar(client, pic, usulan_lengkap, konfirmasi):
    client.force_login(pic)
    isian = {"pengantar_nomor": "800/77/BKD/2026", "pengantar_tanggal": "2099-12-31", **konfirmasi}
    response = client.post(reverse("pengusulan:usulan_ajukan", args=[usulan_lengkap.pk]), isian)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal surat pengantar tidak boleh setelah hari ini." in body
    assert 'name="pengantar_nomor" id="pengantar_nomor" maxlength="100" value="800/77/BKD/2026"' in body
    assert 'name="pengantar_tanggal" id="pengantar_tanggal" value="2099-12-31"' in body
    with tenancy.scope(pic.instansi):
        usulan_lengkap.refresh_from_db()
    assert usulan_lengkap.status == Status.DRAFT and usulan_lengkap.pengantar_nomor == ""


def test_every_reason_of_a_refused_ajukan_is_listed_once_with_the_input(client, pic, usulan_lengkap):
    with tenancy.scope(pic.instansi):
        dokumen = Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan__wajib=True).select_related("persyaratan")
        hilang = dokumen.first().persyaratan
        dokumen.filter(persyaratan=hilang).delete()
    client.force_login(pic)
    isian = {"pengantar_nomor": "800/78/BKD/2026", "pengantar_tanggal": "2099-12-31"}
    body = client.post(reverse("pengusulan:usulan_ajukan", args=[usulan_lengkap.pk]), isian).content.decode()
    assert body.count('data-testid="daftar-alasan"') == 1
    assert "Tanggal surat pengantar tidak boleh setelah hari ini." in body
    assert f"Dokumen wajib belum diunggah: {hilang.nama}." in body
    assert 'value="800/78/BKD/2026"' in body and 'value="2099-12-31"' in body
