"""Pembina services, one module per stage: ``penugasan`` (who handles a dossier: verifier and
penilai, scores), ``administrasi`` (seleksi administrasi), ``tim`` (Tim Penilai) and ``sidang``.

Every status change goes through the transition core (``apps.pengusulan.alur.pindahkan``); each
service locks the rows it changes and writes the audit entries. Names read ``<entity>_<action>``."""

from apps.verifikasi.services.administrasi import (
    berita_acara_seleksi_terbitkan,
    pemeriksaan_catat_dokumen,
    pemeriksaan_mulai,
    pemeriksaan_putuskan,
    pemeriksaan_simpan,
    seleksi_belum_berita_acara,
    usulan_tolak_lewat_tenggat,
)
from apps.verifikasi.services.penugasan import (
    calon_pengganti,
    nilai_simpan,
    penilai_tugaskan,
    penugasan_bebas_konflik,
    penugasan_ganti_penilai,
    penugasan_nyatakan_konflik,
    penugasan_sudah_ada,
    usulan_klaim,
    usulan_tugaskan_verifikator,
)
from apps.verifikasi.services.sidang import sidang_batalkan, sidang_buka, sidang_catat_kehadiran, sidang_putuskan
from apps.verifikasi.services.tim import tim_bentuk, tim_periksa

__all__ = [
    "berita_acara_seleksi_terbitkan",
    "calon_pengganti",
    "nilai_simpan",
    "pemeriksaan_catat_dokumen",
    "pemeriksaan_mulai",
    "pemeriksaan_putuskan",
    "pemeriksaan_simpan",
    "penilai_tugaskan",
    "penugasan_bebas_konflik",
    "penugasan_ganti_penilai",
    "penugasan_nyatakan_konflik",
    "penugasan_sudah_ada",
    "seleksi_belum_berita_acara",
    "sidang_batalkan",
    "sidang_buka",
    "sidang_catat_kehadiran",
    "sidang_putuskan",
    "tim_bentuk",
    "tim_periksa",
    "usulan_klaim",
    "usulan_tolak_lewat_tenggat",
    "usulan_tugaskan_verifikator",
]
