"""Fresh-eye walk, issue 19: a member of the Tim Penilai AK sees no assessment form on their own
usulan (it could only be refused), the reason instead; another member sees the form."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _teks(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_a_member_sees_no_assessment_form_on_their_own_usulan(client, pic_kab, kab, jfak, prov):
    from tests.penetapan.conftest import bentuk_tim, ke_penilaian
    from tests.penetapan.conftest import buat_pejabat as pejabat_ak

    tim = bentuk_tim(prov, jfak, "provinsi", n=5, pengganti=1, nips={2: "198609262015052001"})
    sendiri = pejabat_ak(kab, jfak)  # NIP 198609262015052001: the third member of the team
    u = ke_penilaian(pic_kab, sendiri, tim)
    _ketua, _sek, dia, lain, *_rest = tim["anggota"]
    client.force_login(dia.user)
    page = _teks(client.get(reverse("penetapan:detail", args=[u.pk])))
    assert "Simpan penilaian" not in page
    assert 'data-testid="nilai-diri-sendiri"' in page and "atas nama dirinya sendiri" in page
    client.force_login(lain.user)
    page = _teks(client.get(reverse("penetapan:detail", args=[u.pk])))
    assert "Simpan penilaian" in page and 'data-testid="nilai-diri-sendiri"' not in page
