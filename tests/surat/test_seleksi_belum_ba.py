"""Issue 13: a rekomendasi rests on the seleksi administrasi's berita acara as on the sidang's.
Fresh-eye walk, item 6, found usulan going through sidang, rekomendasi and SK while their seleksi
decisions were "belum dituangkan dalam berita acara"; it was a warning, it is now a refusal (the
lead's decision), through the page's penolakan, with what to do. The page says so before the admin
tries, and so does the verifier's inbox. A rekomendasi dated before a berita acara it rests on (the
seleksi's, the sidang's) is refused too; the page shows the earliest date per instansi."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat
from apps.surat.services import SuratError
from tests.surat.conftest import all_tenants, rekomendasi_lewat_halaman, terbitkan_rekomendasi

pytestmark = pytest.mark.django_db


def _teks(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_fe13_the_rekomendasi_page_and_the_inbox_say_the_seleksi_berita_acara_is_required(
    client, diputuskan, staf, pk, instansi_a
):
    lulus, _t, _s = diputuskan(2, 0, ba_seleksi=False)
    rekomendasi_url = reverse("surat:rekomendasi") + f"?jf={pk.kode}"
    client.force_login(staf["admin"])
    body = client.get(rekomendasi_url).content.decode()
    assert 'data-testid="syarat-rekomendasi"' in body
    assert 'data-testid="seleksi-belum-ba"' in body
    warning = body[body.index('data-testid="seleksi-belum-ba"') :]
    warning = warning[: warning.index("</div>")]
    assert all(u.pegawai_nama in warning for u in lulus)
    assert "Rekomendasi untuk instansinya belum dapat diterbitkan" in warning
    client.force_login(staf["verifikator"])
    inbox = client.get(reverse("verifikasi:inbox")).content.decode()
    assert 'data-testid="seleksi-belum-ba"' in inbox and "2 keputusan seleksi administrasi" in inbox
    # The verifier records them in a berita acara seleksi: both notes go.
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    assert 'data-testid="seleksi-belum-ba"' not in client.get(reverse("verifikasi:inbox")).content.decode()
    client.force_login(staf["admin"])
    assert 'data-testid="seleksi-belum-ba"' not in client.get(rekomendasi_url).content.decode()


def test_a_rekomendasi_without_the_seleksi_berita_acara_is_refused(client, diputuskan, staf, pk, instansi_a):
    lulus, _t, _s = diputuskan(1, 0, ba_seleksi=False)
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    pesan = " ".join(refused.value.messages)
    assert f"hasil seleksi administrasi {lulus[0].pegawai_nama} ({lulus[0].nomor}) belum dituangkan" in pesan
    assert "Kotak masuk → Berita acara seleksi" in pesan
    # Through the page: refused with the same reason, nothing issued, the dossier still lulus.
    page = rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    assert page.status_code == 200 and "belum dituangkan dalam berita acara seleksi administrasi" in _teks(page)
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()
        assert Usulan.objects.get(pk=lulus[0].pk).status == Status.LULUS
    # Once the verifier issues it (dated today), a rekomendasi dated today is issued.
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:berita_acara_seleksi"), {"jf": pk.kode})
    from django.utils import timezone

    assert terbitkan_rekomendasi(staf, pk, instansi_a, tanggal=timezone.localdate()).nomor


def test_a_rekomendasi_dated_before_its_berita_acara_is_refused(client, diputuskan, staf, pk, instansi_a):
    """The fixture's seleksi berita acara is dated 22 June 2026, the sidang's 1 July 2026."""
    lulus, _t, sidang = diputuskan(1, 0)
    with all_tenants():
        ba = Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)
        ba_seleksi = Surat.objects.get(jenis=JenisSurat.BERITA_ACARA_SELEKSI)
    assert (ba_seleksi.tanggal, ba.tanggal) == (date(2026, 6, 22), date(2026, 7, 1))
    client.force_login(staf["admin"])
    page = _teks(client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}"))
    assert "Tanggal paling awal" in page and "1 Juli 2026" in page  # said before the admin tries
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a, tanggal=date(2026, 6, 21))
    pesan = " ".join(refused.value.messages)
    assert (
        f"Tanggal rekomendasi 21 Juni 2026 mendahului berita acara sidang {ba.nomor} tanggal 1 Juli 2026 "
        f"yang menjadi dasarnya ({lulus[0].pegawai_nama})"
    ) in pesan
    assert f"berita acara seleksi administrasi {ba_seleksi.nomor} tanggal 22 Juni 2026" in pesan
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a, tanggal=date(2026, 6, 30))
    pesan = " ".join(refused.value.messages)
    assert "mendahului berita acara sidang" in pesan and "seleksi administrasi" not in pesan
    # The page (the form's date) says the same and keeps the input.
    client.force_login(staf["admin"])
    response = client.post(
        reverse("surat:rekomendasi"),
        {"jf": pk.kode, "instansi": [instansi_a.pk], "tanggal": "2026-06-30",
         "penandatangan_nama": "Dr. Ir. Rahmat Hidayat, M.Si.", "penandatangan_jabatan": "Direktur",
         "konfirmasi": "ya"},
    )  # fmt: skip
    assert response.status_code == 200 and "rekomendasi paling awal bertanggal 1 Juli 2026" in _teks(response)
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()
    # Dated on the berita acara's day: issued.
    assert terbitkan_rekomendasi(staf, pk, instansi_a, tanggal=date(2026, 7, 1)).nomor
