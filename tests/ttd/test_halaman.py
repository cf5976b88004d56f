"""What the pages say about signing: a signer who is no registered official (warned at issuance
and on the SK card), the SK card's current state only, the batch page after failures, and the
PPK's issuance label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat.models import JenisSurat, Surat
from apps.ttd import services
from apps.ttd.models import Pejabat, TandaTangan
from tests.surat.conftest import (
    TTD_FORM,
    all_tenants,
    rekomendasi_lewat_halaman,
    render_antrean,
    tandatangani_rekomendasi,
)
from tests.ttd.conftest import ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

TIDAK_TERDAFTAR = "belum terdaftar sebagai pejabat penanda tangan elektronik"


def _menunggu_sk(client, diputuskan, staf, pk, instansi_a, n=1):
    lulus, _t, _s = diputuskan(n, 0)
    rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a)
    render_antrean()
    tandatangani_rekomendasi(staf["admin"])  # an SK waits for its signed rekomendasi
    return lulus


def _terbitkan(client, ppk, usulan, *, nip, konfirmasi=True):
    client.force_login(ppk)
    isian = {
        "usulan": [u.pk for u in usulan], "tanggal": "2026-08-20", "tmt": "2026-09-01",
        **TTD_FORM, "penandatangan_nip": nip,
    }  # fmt: skip
    return client.post(reverse("surat:ppk"), {**isian, **({"konfirmasi": "ya"} if konfirmasi else {})}, follow=True)


def test_an_sk_whose_signer_is_no_registered_official_is_flagged_at_issuance_and_on_its_card(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pejabat_ppk
):
    lulus = _menunggu_sk(client, diputuskan, staf, pk, instansi_a, n=2)
    # While the instansi has registered officials, a typo in the NIP is refused on the form.
    salah = _terbitkan(client, ppk_pk, lulus[:1], nip="196805121993031009", konfirmasi=False).content.decode()
    # Refused on the form, not sent to the confirmation page ("Periksa sebelum menerbitkan SK"); the PPK page
    # itself now says "Periksa sebelum menerbitkan;" about unverified letter content (issue 13).
    assert "Pilih pejabat penanda tangan yang terdaftar" in salah and "Periksa sebelum menerbitkan SK" not in salah
    # With none active (typed freely), nobody's signing queue would hold the SK: flagged.
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(aktif=False)
    periksa = _terbitkan(client, ppk_pk, lulus[:1], nip="196805121993031009", konfirmasi=False).content.decode()
    assert 'data-testid="peringatan-konfirmasi"' in periksa and TIDAK_TERDAFTAR in periksa
    assert "NIP 196805121993031009" in periksa and "halaman Pejabat penanda tangan" in periksa
    done = _terbitkan(client, ppk_pk, lulus[:1], nip="196805121993031009")
    body = done.content.decode()
    assert done.status_code == 200 and TIDAK_TERDAFTAR in body and "alert-warning" in body
    render_antrean()
    with all_tenants():
        sk = Surat.objects.get(jenis=JenisSurat.SK, baris__usulan=lulus[0])
        assert services.antrean_ttd(ppk_pk) == []
    card = client.get(reverse("surat:detail", args=[sk.pk])).content.decode()
    assert 'data-testid="penanda-tak-terdaftar"' in card and "NIP 196805121993031009" in card
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(aktif=True)
    # The registered official's NIP: no warning, and the SK is in their queue.
    periksa = _terbitkan(client, ppk_pk, lulus[1:], nip=pejabat_ppk.nip, konfirmasi=False).content.decode()
    assert "Periksa sebelum menerbitkan SK" in periksa and TIDAK_TERDAFTAR not in periksa
    done = _terbitkan(client, ppk_pk, lulus[1:], nip=pejabat_ppk.nip).content.decode()
    assert TIDAK_TERDAFTAR not in done
    render_antrean()
    with all_tenants():
        sk2 = Surat.objects.get(jenis=JenisSurat.SK, baris__usulan=lulus[1])
    card = client.get(reverse("surat:detail", args=[sk2.pk])).content.decode()
    assert 'data-testid="kartu-tte"' in card and TIDAK_TERDAFTAR not in card
    with as_user(ppk_pk):
        assert [v.surat_id for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == [sk2.pk]


def test_the_sk_card_shows_the_current_signature_state_not_a_stale_failure(
    client, sk_siap, ppk_pk, pejabat_ppk, settings
):
    (versi,) = sk_siap(1)
    client.force_login(ppk_pk)
    # The first attempt fails (the TSA is unreachable), the second one signs.
    tsa_url = settings.SIAKS_TTD_TSA_URL
    settings.SIAKS_TTD_TSA_URL = "http://127.0.0.1:9/"
    client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]})
    ttd_antrean(throw=False)
    with all_tenants():
        gagal = TandaTangan.objects.get(versi=versi)
    assert gagal.status == "gagal" and gagal.galat
    card = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert gagal.galat in card or "Gagal" in card
    settings.SIAKS_TTD_TSA_URL = tsa_url
    client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]})
    ttd_antrean()
    with all_tenants():
        assert list(TandaTangan.objects.filter(versi=versi).values_list("status", flat=True).order_by("id")) == [
            "gagal", "selesai"]  # fmt: skip
    card = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    daftar = card[card.index('data-testid="daftar-tte"') :]
    daftar = daftar[: daftar.index("</ul>")]
    assert "Ditandatangani secara elektronik oleh Ir. Budi Santoso" in daftar
    assert "Gagal" not in daftar and gagal.galat not in daftar and daftar.count("<li>") == 1


def test_the_batch_page_after_a_total_failure_shows_failure_not_success(client, sk_siap, ppk_pk, pejabat_ppk, settings):
    versi_list = sk_siap(2)
    client.force_login(ppk_pk)
    settings.SIAKS_TTD_TSA_URL = "http://127.0.0.1:9/"  # the timestamp service is unreachable
    response = client.post(reverse("ttd:tandatangani"), {"versi": [v.pk for v in versi_list]})
    assert response.status_code == 302
    ttd_antrean(throw=False)
    with all_tenants():
        rows = list(TandaTangan.objects.filter(versi__in=versi_list))
    assert [t.status for t in rows] == ["gagal", "gagal"] and all(t.galat for t in rows)
    page = client.get(response.url).content.decode()
    assert "alert-success" not in page  # no green flash or result
    assert '<div class="alert alert-danger" role="alert" data-testid="kemajuan-ttd">' in page
    assert "0 dari 2 surat ditandatangani" in page and "every 2s" not in page
    # The bars: nothing signed (green), all failed (red); no inline style (the CSP forbids it).
    assert 'class="w-100 kemajuan-selesai" value="0" max="2"' in page
    assert 'class="w-100 kemajuan-gagal" value="2" max="2"' in page
    partial = page[page.index('id="batch-ttd"') :]
    assert "style=" not in partial[: partial.index("</table>")]
    for t in rows:
        assert page.count(t.galat) >= 1
    assert page.count('data-testid="galat-ttd"') == 2


def test_the_issue_button_is_labelled_by_what_is_issued(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    from apps.referensi.models import PakPenandatangan

    _menunggu_sk(client, diputuskan, staf, pk, instansi_a)
    client.force_login(ppk_pk)
    # This JF's PAK is signed by the SK's signer: it is issued with the SK.
    page = client.get(reverse("surat:ppk")).content.decode()
    assert '<strong data-testid="judul-terbitkan">Terbitkan SK dan PAK</strong>' in page
    assert "Nomor SK dan PAK diberikan otomatis" in page
    # The default (Peraturan BKN 3/2023): usulan submitted while the atasan langsung signed it (the
    # rule each usulan keeps from its submission): no PAK here.
    from apps.pengusulan.models import Usulan

    with all_tenants():
        Usulan.objects.filter(jf=pk).update(pak_penandatangan=PakPenandatangan.ATASAN_LANGSUNG)
    page = client.get(reverse("surat:ppk")).content.decode()
    assert '<strong data-testid="judul-terbitkan">Terbitkan SK</strong>' in page
    assert "dan PAK" not in page[page.index('data-testid="judul-terbitkan"') :]
