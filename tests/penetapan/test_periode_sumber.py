"""The period page quotes the source of the admin's own JF (issue 19 walk: admin.kemnaker, JF
Pengantar Kerja, read LAN's rule for JF Analis Kebijakan as the hint)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_another_jfs_admin_is_not_shown_lans_rule(client, staf, pk):
    client.force_login(staf["admin"])
    r = client.get("/angka-kredit/periode/")
    assert r.status_code == 200
    html = " ".join(r.content.decode().split())
    assert "Perkalan LAN" not in html
    assert f"JF {pk.nama}: portal belum memuat sumber periode penetapan angka kredit JF ini" in html
