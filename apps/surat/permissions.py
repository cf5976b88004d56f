"""Who may act on a letter (object access — which letters — is the selectors' job)."""

from __future__ import annotations

from apps.accounts.models import Role
from apps.accounts.permissions import has_role
from apps.surat.models import JenisSurat, Surat


def dapat_mengelola(user, surat: Surat) -> bool:
    """Who may correct or re-render a letter: its issuer's admin pembina (rekomendasi, berita
    acara) or PPK (SK, PAK)."""
    if not user.is_authenticated or user.instansi is None or user.instansi.pk != surat.penerbit_id:
        return False
    if surat.jenis in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF, JenisSurat.PAK):
        return has_role(user, Role.PPK)
    if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
        # The periodic PAK and the HAPAK: the issuing team's sekretariat, the ketua (HAPAK), the
        # PYB the PAK names (seed 001 BAB IV E; the rules and the signed PAK: apps.penetapan.koreksi).
        from apps.penetapan import koreksi

        return koreksi.boleh(user, surat)
    return has_role(user, Role.ADMIN_PEMBINA)
