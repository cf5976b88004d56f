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
