"""The workflow's "SK terbit" move opens the holder's record and AK ledger.

``apps.pengusulan.domain`` declares the effect by name on the move (``efek``); it is registered
here so the workflow never imports this app."""

from __future__ import annotations

from apps.pengusulan.alur import daftarkan_efek


@daftarkan_efek("jabatan.buka_catatan")
def buka_catatan(*, usulan, actor, data) -> None:
    if usulan.kenaikan_jenjang:
        # A holder's kenaikan jenjang: the same record moves up (apps.jabatan.kenaikan).
        from apps.jabatan.kenaikan import kenaikan_jenjang_terapkan

        kenaikan_jenjang_terapkan(usulan, surat_id=data.get("surat"), actor=actor)
        return
    from apps.jabatan.services import pejabat_dari_sk

    pejabat = pejabat_dari_sk(usulan, surat_id=data.get("surat"), actor=actor)
    # The holder reads their own SK and PAK once they log in (apps.jabatan.akses).
    from apps.jabatan.akses import surat_tautkan

    surat_tautkan(usulan, pejabat)
