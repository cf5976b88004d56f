"""The content snapshots of the PAK and the HAPAK (JSON, rendered by apps.surat's worker)."""

from __future__ import annotations

from apps.core.format import format_ak, tgl
from apps.penetapan import domain
from apps.surat.isi import umum


def _pejabat(usulan, pejabat) -> dict:
    golongan = getattr(pejabat, "golongan", None)
    return {
        "nama": usulan.pejabat_nama,
        "nip": usulan.pejabat_nip,
        "jenjang": usulan.jenjang.nama,
        "golongan": getattr(golongan, "kode", "") or "",
        "pangkat": getattr(golongan, "pangkat", "") or "",
        "instansi": usulan.instansi.nama,
    }


def _periode(usulan) -> str:
    if usulan.luar_periode_bup:
        return "Di luar periode (batas usia pensiun)"
    return f"{usulan.periode.nama} {usulan.tahun}" if usulan.periode_id else str(usulan.tahun)


def _penilaian(surat, usulan, pejabat, ak, syarat, tim) -> dict:
    """What the PAK and the HAPAK both state: the holder, the period, the team and the AK."""
    return {
        **umum(surat),
        "ditetapkan_di": surat.penerbit.kota,
        "pejabat": _pejabat(usulan, pejabat),
        "periode": _periode(usulan),
        "tim": tim.nama,
        "ak_kumulatif": format_ak(ak),
        "ak_syarat": format_ak(syarat),
    }


def pak(surat, usulan, pejabat, *, ak, syarat, tim) -> dict:
    values = {"jf": surat.jf.nama, "instansi": usulan.instansi.nama}
    return {
        **_penilaian(surat, usulan, pejabat, ak, syarat, tim),
        "tembusan": [str(t) % values for t in domain.TEMBUSAN_PAK],
    }


def hapak(surat, usulan, pejabat, *, ak, syarat, tim, sekretariat, keterangan: str = "") -> dict:
    return {
        **_penilaian(surat, usulan, pejabat, ak, syarat, tim),
        "keterangan": keterangan,
        "kekurangan": format_ak(max(syarat - ak, 0)) if ak is not None and syarat is not None else "-",
        "disahkan_oleh": [{"nama": s.user.nama_lengkap, "nip": s.user.nip} for s in sekretariat],
        "tanggal_sah": tgl(surat.tanggal),
    }
