"""Privacy (issue 14, item 9): the PIC reads the history of their usulan without the names of
the penilai — page and API show the role ("Tim Penilai") instead; the pembina's staff still see
who did what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def _penilai(world):
    return [User.objects.get(username=u) for u in ("ketua.kemnaker", "penilai1.kemnaker")]


def test_the_pic_sees_the_role_not_the_names_of_the_penilai(client, world):
    usulan, penilai = world["usulan"], _penilai(world)
    names = [p.nama_lengkap for p in penilai]
    client.force_login(world["pic_b"])
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    riwayat = html[html.index('data-testid="timeline"') :]
    riwayat = riwayat[: riwayat.index("</ol>")]
    assert "Tim Penilai" in riwayat and "Penilai mengirim hasil penilaian." in riwayat
    assert not [n for n in names if n in html]
    api = client.get(reverse("api:usulan-timeline", args=[usulan.pk])).json()
    assert any(e["actor"] == "Tim Penilai" for e in api)
    text = str(api)
    assert not [n for n in names if n in text]
    assert sum(e["message"] == "Penilai mengirim hasil penilaian." for e in api) == 2
    assert sum(e["message"] == "Penilai dari Tim Penilai ditugaskan." for e in api) == 1  # one assignment, one line


def test_the_pembina_staff_still_see_who_did_what(client, world):
    usulan, penilai = world["usulan"], _penilai(world)
    verifikator = User.objects.get(username="verifikator.kemnaker")
    client.force_login(verifikator)
    html = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert all(p.nama_lengkap in html for p in penilai)


def test_a_declared_conflict_reaches_the_instansi_without_name_or_reason(client, diajukan, staf, pk, pic_pk):
    """Issue 13 (fresh-eye walk): the conflict entry named the penilai and quoted the private
    reason on the PIC's Riwayat; the instansi reads an anonymous line, the pembina the full one."""
    from apps.core import tenancy
    from apps.verifikasi import services
    from apps.verifikasi.models import PenugasanPenilai
    from tests.verifikasi.conftest import as_user, bentuk_tim, lulus_administrasi

    tim = bentuk_tim(staf, pk)
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai2"]]
        )
    with tenancy.all_tenants(reason="test"):
        penugasan = PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai2"])
    alasan = "Ipar kandung pegawai yang dinilai."
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan=alasan)
    nama = staf["penilai2"].nama_lengkap
    anonim = "Seorang penilai menyatakan memiliki konflik kepentingan dan akan diganti."

    client.force_login(pic_pk)
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert anonim in html and nama not in html and alasan not in html
    api = str(client.get(reverse("api:usulan-timeline", args=[usulan.pk])).json())
    assert anonim in api and nama not in api and alasan not in api

    client.force_login(staf["verifikator"])
    html = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert nama in html and alasan in html
