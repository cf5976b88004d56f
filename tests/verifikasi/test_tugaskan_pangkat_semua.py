"""Issue 13, third walk, item 8: assigning a team member below the pangkat of two usulan names
both pegawai in the refusal (POST /api/v1/pembina/tim/<id>/tugaskan/), not only the first."""

from __future__ import annotations

from rest_framework.test import APIClient

from apps.core import tenancy
from apps.pengusulan.models import Usulan
from apps.referensi.models import Golongan
from apps.verifikasi.models import AnggotaTim, PenugasanPenilai
from tests.verifikasi.conftest import lulus_administrasi


def test_the_refusal_names_every_pegawai_the_member_lacks_the_pangkat_for(diajukan, staf, tim):
    usulan = [lulus_administrasi(u, staf) for u in diajukan(2)]
    with tenancy.all_tenants(reason="test"):
        AnggotaTim.objects.filter(tim=tim, user=staf["penilai2"]).update(golongan=Golongan.objects.get(kode="III/a"))
        nama = list(Usulan.objects.filter(pk__in=[u.pk for u in usulan]).values_list("pegawai_nama", flat=True))
    api = APIClient()
    api.force_authenticate(staf["admin"])
    r = api.post(
        f"/api/v1/pembina/tim/{tim.pk}/tugaskan/",
        {"usulan": [u.pk for u in usulan], "penilai": [staf["ketua"].pk, staf["penilai1"].pk, staf["penilai2"].pk]},
        format="json",
    )
    assert r.status_code == 400, r.content
    body = r.content.decode()
    assert len(nama) == 2
    for n in nama:
        assert n in body, (n, body)
    with tenancy.all_tenants(reason="test"):
        assert not PenugasanPenilai.objects.filter(usulan__in=usulan).exists()
