"""The holder does not see who voted what (issue 19, fresh-eye walk, privacy): on their usulan
page only the team's outcome — how many members agreed and disagreed — never a member's name,
vote or note; the API they can read carries none either. The team's sekretariat keeps the full
list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.penetapan.conftest import buat_pejabat, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db

CATATAN = "Predikat 2025 tidak didukung dokumen SKP yang sah."


def test_the_holder_sees_the_count_not_the_names_votes_or_notes(client, kab, jfak, pic_kab, tim_prov):
    user = UserFactory(username="citra.jfak", instansi=kab, roles=["pejabat_fungsional"])
    citra = buat_pejabat(kab, jfak, nip="198811112014022001", nama="Citra Lestari", user=user)
    u = ke_penilaian(pic_kab, citra, tim_prov)
    setuju, menolak = tim_prov["anggota"][1], tim_prov["anggota"][2]
    nilai_ak(setuju, u)
    nilai_ak(menolak, u, rekomendasi="tidak_setuju", catatan=CATATAN)
    nama = [str(setuju.user), str(menolak.user)]

    client.force_login(user)
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert 'data-testid="penilaian-ringkas"' in page and 'data-testid="penilaian"' not in page
    assert "2 anggota tim penilai telah menilai: 1 setuju, 1 tidak setuju" in page
    assert CATATAN not in page and not any(n in page for n in nama)
    api = client.get(reverse("api:penetapan-usulan-detail", args=[u.pk]))
    assert api.status_code == 200 and CATATAN not in api.content.decode()
    assert not any(n in api.content.decode() for n in nama)

    client.force_login(tim_prov["sekretariat"])
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert 'data-testid="penilaian"' in page and CATATAN in page and all(n in page for n in nama)


def test_the_instansi_pic_sees_the_outcome_and_counts_not_who_voted_what(client, kab, jfak, pic_kab, tim_prov):
    """Issue 19 (fresh-eye walk 2): the PIC of the holder's instansi read every member's name, vote
    and note on the usulan page. The PIC sees what the holder sees: the counts and the outcome."""
    citra = buat_pejabat(kab, jfak, nip="198811112014022001", nama="Citra Lestari")
    u = ke_penilaian(pic_kab, citra, tim_prov)
    setuju, menolak = tim_prov["anggota"][1], tim_prov["anggota"][2]
    nilai_ak(setuju, u)
    nilai_ak(menolak, u, rekomendasi="tidak_setuju", catatan=CATATAN)
    nama = [str(setuju.user), str(menolak.user), setuju.user.username, menolak.user.username]

    client.force_login(pic_kab)
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert 'data-testid="penilaian-ringkas"' in page and 'data-testid="penilaian"' not in page
    assert "2 anggota tim penilai telah menilai: 1 setuju, 1 tidak setuju" in page
    assert CATATAN not in page and not any(n in page for n in nama)
    for url in (reverse("api:penetapan-usulan-detail", args=[u.pk]), reverse("api:penetapan-usulan-list")):
        api = client.get(url)
        assert api.status_code == 200 and u.pejabat_nama in api.content.decode()
        assert CATATAN not in api.content.decode() and not any(n in api.content.decode() for n in nama)

    # The ketua of the team keeps the full detail.
    client.force_login(tim_prov["anggota"][0].user)
    page = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert 'data-testid="penilaian"' in page and CATATAN in page and str(menolak.user) in page
