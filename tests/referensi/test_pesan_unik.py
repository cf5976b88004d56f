"""Django's Indonesian catalog writes a repeated unique_together as "… ini tidak ada" ("does not
exist"). One override (apps.core.pesan_model) makes every model form, full_clean() and the admin
say "… yang sama sudah ada"; Kompetensi keeps its own wording."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.referensi.models import Jenjang, PersyaratanDokumen, Tahapan

pytestmark = pytest.mark.django_db

SALAH = "tidak ada"


def _dokumen_data(**kw):
    return {"kode": "dokumen-baru", "nama": "Dokumen baru", "level": "usulan", "jenis_usulan": "penyesuaian",
            "wajib": "on", "deskripsi": "",
            "urutan": 50, "versi": "", **kw}  # fmt: skip


def test_adding_a_document_with_a_code_already_used_says_it_already_exists(client, referensi, admin_setneg):
    aks = referensi["aks"]
    ada = PersyaratanDokumen.objects.filter(jf=aks).first()
    jumlah = PersyaratanDokumen.objects.filter(jf=aks).count()
    client.force_login(admin_setneg)
    url = reverse("referensi:row_add", args=["aks", "dokumen"])
    response = client.post(url, _dokumen_data(kode=ada.kode, nama="Dokumen Kembar"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Persyaratan dokumen dengan jabatan fungsional dan kode yang sama sudah ada." in body
    assert f"ini {SALAH}" not in body
    assert 'value="Dokumen Kembar"' in body  # the input is kept
    assert PersyaratanDokumen.objects.filter(jf=aks).count() == jumlah


def test_changing_a_document_to_another_ones_code_says_it_already_exists(client, referensi, admin_setneg):
    aks = referensi["aks"]
    satu, dua = PersyaratanDokumen.objects.filter(jf=aks).order_by("id")[:2]
    client.force_login(admin_setneg)
    url = reverse("referensi:row_edit", args=["aks", "dokumen", dua.pk])
    versi = client.get(url).context["versi"]
    data = _dokumen_data(kode=satu.kode, nama=dua.nama, level=dua.level, urutan=dua.urutan, versi=versi)
    body = client.post(url, data).content.decode()
    assert "Persyaratan dokumen dengan jabatan fungsional dan kode yang sama sudah ada." in body
    dua.refresh_from_db()
    assert dua.kode != satu.kode


@pytest.mark.parametrize("buat", ["tahapan", "jenjang"])
def test_every_model_says_it_already_exists(referensi, buat):
    aks = referensi["aks"]
    if buat == "tahapan":
        ada = Tahapan.objects.filter(jf=aks).first()
        baru = Tahapan(jf=aks, kode=ada.kode, mulai=ada.mulai, selesai=ada.selesai)
        harap = "Tahapan dengan jabatan fungsional dan tahapan yang sama sudah ada."
    else:
        ada = Jenjang.objects.filter(jf=aks).first()
        baru = Jenjang(jf=aks, kode="kode-lain", nama="X", urutan=ada.urutan, golongan_min=ada.golongan_min,
                       golongan_maks=ada.golongan_maks, kelas_jabatan=8, koefisien_ak=1, ak_kumulatif_pangkat=1,
                       pendidikan_min=ada.pendidikan_min, batas_usia_pensiun=58)  # fmt: skip
        harap = "Jenjang dengan jabatan fungsional dan urutan yang sama sudah ada."
    with pytest.raises(ValidationError) as refused:
        baru.full_clean()
    assert harap in refused.value.messages
    assert not any(f"ini {SALAH}" in m for m in refused.value.messages)
