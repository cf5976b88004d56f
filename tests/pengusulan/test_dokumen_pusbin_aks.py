"""Fresh-eye L0 (issue 13 §7): JF AKS requires the documents Surat Kepala Pusbin AKS
B-02/KSN/Pusbin-AKS/KP.01.03/03/2026 names (keputusan jabatan terakhir, surat keterangan sehat,
daftar riwayat hidup; the PAK is required already). The PIC's upload page marks them "wajib" with
their unverified source, and a submission without them is refused, naming each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.pengusulan.models import Dokumen
from tests.pengusulan.conftest import ON

pytestmark = pytest.mark.django_db

PUSBIN = {
    "keputusan_jabatan_terakhir": "Keputusan jabatan terakhir",
    "surat_keterangan_sehat": "Surat keterangan sehat",
    "daftar_riwayat_hidup": "Daftar riwayat hidup",
}


def _kartu(html: str, kode: str) -> str:
    start = html.index(f'data-persyaratan="{kode}"')
    return html[start : start + 2500]


def test_the_upload_page_marks_the_pusbin_documents_required(client, pic, aks, make_pegawai):
    with tenancy.scope(pic.instansi):
        draft = pic_services.usulan_create(actor=pic, pegawai=make_pegawai(), jf=aks)
    client.force_login(pic)
    html = client.get(reverse("pengusulan:usulan_detail", args=[draft.pk])).content.decode()
    for kode, nama in PUSBIN.items():
        kartu = _kartu(html, kode)
        assert nama in kartu and ">wajib<" in kartu and "opsional" not in kartu.split("</strong>")[1][:200], kode
        assert "Belum terverifikasi" in kartu and "B-02/KSN/Pusbin-AKS/KP.01.03/03/2026" in kartu
    kurang = html[html.index("Dokumen wajib yang belum diunggah") :].split("</div>")[0]
    assert all(nama in kurang for nama in PUSBIN.values())


def test_a_submission_without_them_is_refused_naming_each(pic, usulan_lengkap):
    with tenancy.scope(pic.instansi):
        Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan__kode__in=PUSBIN).delete()
        with pytest.raises(ValidationError) as exc:
            pic_services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
        usulan_lengkap.refresh_from_db()
    for nama in PUSBIN.values():
        assert f"Dokumen wajib belum diunggah: {nama}." in exc.value.messages, exc.value.messages
    assert usulan_lengkap.status == "draft"
