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
        lama = final.pk != versi.pk
        return {
            "versi": final, "ttd": ttd, "lengkap": bool(ttd) and services.lengkap(final),
            # The code printed on a superseded version: its own signatures (if any) are not the
            # final version's, and each line says which version it is about.
            "dilihat": versi, "lama": lama,
            "ttd_dilihat": list(versi.tanda_tangan.filter(status=TandaTangan.Status.SELESAI)) if lama else [],
            # Signed by hand (the fallback): that is the status, not the missing e-signatures.
            "manual": [t for t in ttd if t.cara == TandaTangan.Cara.MANUAL],
        }  # fmt: skip


def laporan_unggahan(versi: VersiSurat, data: bytes):
    """The validation report of an uploaded copy against the final version (None for a file
    without signatures: the byte comparison alone answers that)."""
    final = versi_final(versi)
    if not final.siap:
        return None
    with final.berkas.open("rb") as fh:
        terbit = fh.read()
    laporan = validasi(data, final, terbit=terbit)
    return samarkan(laporan) if laporan.tanda_tangan else None


def samarkan(laporan):
    """The report for anonymous readers: every signer's NIP and NIK masked as the public page
    masks NIPs (``1985**********1003``), in the fields and in every sentence that quotes them."""
    import copy

    from apps.surat.selectors import mask_nip

    out = copy.deepcopy(laporan)
    ganti = {}
    for t in out.tanda_tangan:
        for key in ("nip", "nik"):
            if t.get(key):
                ganti[t[key]] = mask_nip(t[key])
                t[key] = mask_nip(t[key])

    def bersih(teks):
        if not isinstance(teks, str):
            return teks
        for asli, samar in ganti.items():
            teks = teks.replace(asli, samar)
        return teks

    def cek(rows):
        return [{k: bersih(v) for k, v in c.items()} for c in rows]

    for t in out.tanda_tangan:
        for k, v in list(t.items()):
            t[k] = cek(v) if k == "pemeriksaan" else bersih(v)
    out.alasan = [bersih(a) for a in out.alasan]
    out.catatan = [bersih(a) for a in out.catatan]
    out.pemeriksaan = cek(out.pemeriksaan)
    return out
