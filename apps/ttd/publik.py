"""What the public verification page says about signatures (no login: the letter was found by
its printed code)."""

from __future__ import annotations

from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from apps.ttd.validasi import validasi


def versi_final(versi: VersiSurat) -> VersiSurat:
    if versi.terkini:
        return versi
    return versi.surat.versi_set.filter(diganti_at__isnull=True).first() or versi


def status_publik(versi: VersiSurat) -> dict:
    """The signature status of the letter's final version (public: anyone holding the code)."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="public signature status of a letter by its printed code"):
        final = versi_final(versi)
        ttd = list(final.tanda_tangan.filter(status=TandaTangan.Status.SELESAI).order_by("selesai_at"))
        return {"versi": final, "ttd": ttd, "lengkap": bool(ttd) and services.lengkap(final)}


def laporan_unggahan(versi: VersiSurat, data: bytes):
    """The validation report of an uploaded copy against the final version (None for a file
    without signatures: the byte comparison alone answers that)."""
    final = versi_final(versi)
    if not final.siap:
        return None
    with final.berkas.open("rb") as fh:
        terbit = fh.read()
    laporan = validasi(data, final, terbit=terbit)
    return laporan if laporan.tanda_tangan else None
