"""What the JF page warns to check before an SK is issued (``periksa_peraturan``: for JF Pengantar
Kerja, whether PermenPANRB 21/2025 replaces the older regulation) reaches the PPK where the SK is
issued: the PPK's SK page, the confirmation before issuing, and the usulan page as the PPK reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.referensi.models import JabatanFungsional
from tests.surat.conftest import TTD_FORM, rekomendasi_lewat_halaman, render_antrean, tandatangani_rekomendasi

pytestmark = pytest.mark.django_db

TEKS = "PermenPANRB Nomor 21 Tahun 2025"


def test_the_jf_warning_is_on_the_ppk_pages_where_the_sk_is_issued(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    assert TEKS in pk.periksa_peraturan and "periksa sebelum menerbitkan SK" in pk.periksa_peraturan
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])
    usulan = lulus[0]
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    warning = page.split('data-testid="periksa-peraturan"', 1)[1].split("</div>", 1)[0]
    assert "JF Pengantar Kerja — belum terverifikasi" in warning and TEKS in warning
    assert "[V" not in warning  # sources are read as their names, as on the JF page
    isian = {"usulan": [usulan.pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    periksa = client.post(reverse("surat:ppk"), isian).content.decode()
    assert "Periksa sebelum menerbitkan SK" in periksa
    peringatan = periksa.split('data-testid="peringatan-konfirmasi"', 1)[1].split("</div>", 1)[0]
    assert TEKS in peringatan
    detail = reverse("pengusulan:usulan_detail", args=[usulan.pk])
    assert TEKS in client.get(detail).content.decode()
    client.force_login(pic_pk)  # the PIC issues no SK
    assert 'data-testid="periksa-peraturan"' not in client.get(detail).content.decode()
    # Once the admin pembina has checked it and cleared the note, the PPK's pages say nothing.
    JabatanFungsional.objects.filter(pk=pk.pk).update(periksa_peraturan="")
    client.force_login(ppk_pk)
    assert 'data-testid="periksa-peraturan"' not in client.get(reverse("surat:ppk")).content.decode()
    assert 'data-testid="periksa-peraturan"' not in client.get(detail).content.decode()
