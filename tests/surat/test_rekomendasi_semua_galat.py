"""The rekomendasi form shows every error at once (issue 14): a bad signer NIP no longer hides
the letter's date, the missing choice of instansi or what the chosen dossiers refuse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import PENANDATANGAN, all_tenants

pytestmark = pytest.mark.django_db


def _isian(pk, **overrides) -> dict:
    return {
        "jf": pk.kode, "tanggal": "2026-11-27", "penandatangan_nama": PENANDATANGAN[0],
        "penandatangan_jabatan": PENANDATANGAN[1], "penandatangan_nip": "1970 05 12", **overrides,
    }  # fmt: skip


def test_a_bad_nip_a_far_date_and_no_instansi_are_reported_together(client, diputuskan, staf, pk):
    diputuskan(1, 0)
    client.force_login(staf["admin"])
    response = client.post(reverse("surat:rekomendasi"), _isian(pk, tanggal="2099-12-31"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["penandatangan_nip"] == ["NIP harus 18 digit; yang diisi 8 digit."]
    assert form.errors["tanggal"][0].startswith("Tanggal surat paling lambat sebulan setelah hari ini")
    assert form.non_field_errors() == ["Pilih paling sedikit satu instansi."]
    body = response.content.decode()
    assert 'data-testid="ringkasan-galat"' in body and 'value="2099-12-31"' in body
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()


def test_a_bad_nip_is_reported_with_what_the_chosen_dossiers_refuse(client, diputuskan, staf, pk, instansi_a):
    lulus, _tidak, _sidang = diputuskan(1, 0, konfirmasi_ak=False)  # the AK awal rests on unverified rows
    client.force_login(staf["admin"])
    response = client.post(reverse("surat:rekomendasi"), _isian(pk, instansi=[instansi_a.pk]))
    form = response.context["form"]
    assert set(form.errors) == {"penandatangan_nip", "__all__"}
    [ak] = [e for e in form.non_field_errors() if e.startswith(f"{lulus[0].pegawai_nama} ({lulus[0].nomor}): AK awal")]
    assert "belum terverifikasi" in ak


def test_with_a_valid_form_the_service_refuses_with_every_reason_too(client, diputuskan, staf, pk, instansi_a):
    diputuskan(1, 0, konfirmasi_ak=False)
    client.force_login(staf["admin"])
    isian = _isian(pk, penandatangan_nip="", instansi=[instansi_a.pk, 987654])
    form = client.post(reverse("surat:rekomendasi"), isian).context["form"]
    errors = form.non_field_errors()
    assert any("belum terverifikasi" in e for e in errors)
    assert (
        "Tidak ada usulan lulus atau tidak lulus yang belum tercantum dalam surat rekomendasi untuk instansi ini."
        in errors
    )
