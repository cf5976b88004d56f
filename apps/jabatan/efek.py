"""The workflow's "SK terbit" move opens the holder's record and AK ledger.

``apps.pengusulan.domain`` declares the effect by name on the move (``efek``); it is registered
here so the workflow never imports this app."""

from __future__ import annotations

from apps.pengusulan.alur import daftarkan_efek


@daftarkan_efek("jabatan.buka_catatan")
def buka_catatan(*, usulan, actor, data) -> None:
    from apps.jabatan.services import pejabat_dari_sk

    pejabat_dari_sk(usulan, surat_id=data.get("surat"), actor=actor)
