"""Electronic signatures on real letters: PAdES B-T signing in the worker, validation with
pyHanko against the test CA, refusals, the paraf chain and batches."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import services, validasi
from apps.ttd.models import TandaTangan
from apps.ttd.pades import konteks_validasi
from tests.ttd.conftest import all_tenants, baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _refresh(versi) -> VersiSurat:
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


def test_a_signed_sk_validates_with_pyhanko_and_the_usulan_reaches_sk_terbit(sk_siap, ppk_pk, pejabat_ppk, ca):
    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    assert ttd_antrean() == 1
    versi = _refresh(versi)
    signed = baca(versi.ttd_berkas)
    assert signed.startswith(terbit) and len(signed) > len(terbit)  # incremental over the exact issued bytes
    reader = PdfFileReader(io.BytesIO(signed))
    (sig,) = reader.embedded_regular_signatures
    vc = konteks_validasi(validasi.trust_roots(), validasi.intermediates())
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted  # PAdES B-T
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.signing_cert.subject.native["common_name"] == pejabat_ppk.nama
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        assert tt.status == "selesai" and tt.penandatangan_nip == pejabat_ppk.nip and tt.waktu_ttd is not None
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=versi.surat)} == {Status.SK_TERBIT}
        laporan = validasi.validasi(signed, versi, terbit=terbit)
    assert laporan.sah and laporan.identik and laporan.lengkap, laporan.alasan
    assert "ditandatangani secara elektronik oleh Ir. Budi Santoso" in laporan.ringkasan
