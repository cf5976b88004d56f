"""Fresh-eye walk 2 of issue 17 (h17m): a signature is stored only when its timestamp chains to
the trust roots; a timestamp fault inside BSrE is retried; the double-submit, bulk-paraf and
validation-API messages say what happened."""

from __future__ import annotations

import pytest

from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.ca_uji import CAUji
from apps.ttd.models import TandaTangan
from apps.ttd.tsa_uji import TSAUji
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def tsa_asing():
    """A TSA of another test CA (another portal's on the same machine): not in the trust roots."""
    with TSAUji(CAUji.buat()) as server:
        yield server


def test_a_timestamp_from_an_untrusted_tsa_is_not_stored(sk_siap, ppk_pk, pejabat_ppk, settings, tsa_asing):
    (versi,) = sk_siap(1)
    settings.SIAKS_TTD_TSA_URL = tsa_asing.url
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        versi = VersiSurat.objects.get(pk=versi.pk)
        ditandatangani = services.ditandatangani(versi)
    assert tt.status == TandaTangan.Status.GAGAL and not tt.berkas
    assert f"Cap waktu dari TSA {tsa_asing.url} tidak tepercaya" in tt.galat
    assert "TSA Uji SIAKS" in tt.galat and "Error" not in tt.galat
    assert not versi.ttd_berkas and not ditandatangani


def test_a_bsre_signature_with_an_untrusted_timestamp_is_not_stored(
    sk_siap, ppk_pk, pejabat_bsre, bsre, tsa_asing, monkeypatch
):
    from tests.ttd.conftest import BSRE_PASSPHRASE

    (versi,) = sk_siap(1)
    monkeypatch.setattr(bsre, "tsa_url", tsa_asing.url)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase=BSRE_PASSPHRASE)
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        versi = VersiSurat.objects.get(pk=versi.pk)
    assert tt.status == TandaTangan.Status.GAGAL and "BSrE" in tt.galat and "tidak tepercaya" in tt.galat
    assert not versi.ttd_berkas
