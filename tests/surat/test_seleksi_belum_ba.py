"""Fresh-eye walk of issue 13, item 6: usulan went through sidang, rekomendasi and SK while their
seleksi administrasi decisions were "belum dituangkan dalam berita acara". No source makes the
berita acara seleksi a condition of the rekomendasi (seed 003 names the sidang's berita acara;
domain.md §9 lists the seleksi's among the letters), so it is a warning on the admin pembina's
rekomendasi page and on the verifier's inbox, not a refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.surat.conftest import terbitkan_rekomendasi

pytestmark = pytest.mark.django_db


def test_fe13_the_rekomendasi_page_and_the_inbox_warn_of_seleksi_not_in_a_berita_acara(
    client, diputuskan, staf, pk, instansi_a
):
    lulus, _t, _s = diputuskan(2, 0)
    rekomendasi_url = reverse("surat:rekomendasi") + f"?jf={pk.kode}"
    client.force_login(staf["admin"])
    body = client.get(rekomendasi_url).content.decode()
    assert 'data-testid="seleksi-belum-ba"' in body
    warning = body[body.index('data-testid="seleksi-belum-ba"') :]
    warning = warning[: warning.index("</div>")]
    assert all(u.pegawai_nama in warning for u in lulus) and "Rekomendasi tetap dapat diterbitkan" in warning
    client.force_login(staf["verifikator"])
    inbox = client.get(reverse("verifikasi:inbox")).content.decode()
    assert 'data-testid="seleksi-belum-ba"' in inbox and "2 keputusan seleksi administrasi" in inbox
    # The verifier records them in a berita acara seleksi: both warnings go.
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    assert 'data-testid="seleksi-belum-ba"' not in client.get(reverse("verifikasi:inbox")).content.decode()
    client.force_login(staf["admin"])
    assert 'data-testid="seleksi-belum-ba"' not in client.get(rekomendasi_url).content.decode()


def test_fe13_it_does_not_refuse_the_rekomendasi(diputuskan, staf, pk, instansi_a):
    diputuskan(1, 0)
    assert terbitkan_rekomendasi(staf, pk, instansi_a).nomor
