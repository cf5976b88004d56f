"""How an audit entry's action code reads on a page: the audit log, the usulan's history.

The codes (``AuditLog.action``, e.g. ``usulan.penilai_ditugaskan``) are for filters, exports and
tests; people read :func:`label`. A code without an entry here (a new one, or one built at run
time such as ``referensi.jenjang_diubah``) reads as its words ("Referensi: jenjang diubah"), never
as the raw code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABEL = {
    # sign-in, access, two-step verification, API tokens
    "auth.masuk": _("Masuk"),
    "auth.keluar": _("Keluar"),
    "auth.gagal": _("Gagal masuk"),
    "akses.ditolak": _("Akses ditolak"),
    "akses.tidak_ditemukan": _("Halaman atau data tidak ditemukan"),
    "aksi.ditolak": _("Tindakan ditolak"),
    "audit.dibaca": _("Log audit dibaca"),
    "2fa.aktif": _("Verifikasi dua langkah diaktifkan"),
    "2fa.nonaktif": _("Verifikasi dua langkah dinonaktifkan"),
    "2fa.reset": _("Verifikasi dua langkah direset"),
    "2fa.gagal": _("Kode verifikasi dua langkah salah"),
    "2fa.peringatan": _("Peringatan verifikasi dua langkah"),
    "2fa.kode_cadangan": _("Kode cadangan dipakai"),
    "2fa.kode_cadangan_baru": _("Kode cadangan baru dibuat"),
    "token.terbit": _("Token API diterbitkan"),
    "token.cabut": _("Token API dicabut"),
    # accounts and the platform
    "akun.dibuat": _("Akun dibuat"),
    "akun.diaktifkan": _("Akun diaktifkan"),
    "akun.dinonaktifkan": _("Akun dinonaktifkan"),
    "akun.peran_diberikan": _("Peran diberikan"),
    "akun.peran_dicabut": _("Peran dicabut"),
    "akun.permintaan_dibuat": _("Permintaan akun PPK"),
    "akun.permintaan_disetujui": _("Permintaan akun disetujui"),
    "akun.permintaan_ditolak": _("Permintaan akun ditolak"),
    "platform.instansi_dibuat": _("Instansi dibuat"),
    "platform.instansi_diubah": _("Instansi diubah"),
    "platform.instansi_diaktifkan": _("Instansi diaktifkan"),
    "platform.instansi_dinonaktifkan": _("Instansi dinonaktifkan"),
    "instansi.kop_surat": _("Kop surat diubah"),
    # the instansi's data and the usulan
    "pegawai.didaftarkan": _("Pegawai didaftarkan"),
    "pegawai.diubah": _("Data pegawai diubah"),
    "formasi.disimpan": _("Formasi disimpan"),
    "dokumen.diunggah": _("Dokumen diunggah"),
    "dokumen.diunduh": _("Dokumen diunduh"),
    "usulan.dibuat": _("Usulan dibuat"),
    "usulan.diajukan": _("Usulan diajukan"),
    "usulan.diajukan_ulang": _("Usulan diajukan ulang"),
    "usulan.dibatalkan": _("Usulan dibatalkan"),
    "usulan.diklaim": _("Diambil verifikator"),
    "usulan.ditugaskan": _("Verifikator ditugaskan"),
    "usulan.verifikasi_dimulai": _("Seleksi administrasi dimulai"),
    "usulan.dikembalikan": _("Dikembalikan untuk perbaikan"),
    "usulan.tidak_memenuhi_syarat": _("Tidak memenuhi syarat"),
    "usulan.lulus_administrasi": _("Lulus seleksi administrasi"),
    "usulan.penilaian_dimulai": _("Penilaian kompetensi dimulai"),
    "usulan.penilai_ditugaskan": _("Penilai ditugaskan"),
    "usulan.penilai_diganti": _("Penilai diganti"),
    "usulan.ak_dihitung_ulang": _("Angka kredit dihitung ulang"),
    "usulan.lulus": _("Lulus uji kompetensi"),
    "usulan.tidak_lulus": _("Tidak lulus uji kompetensi"),
    "usulan.direkomendasikan": _("Direkomendasikan"),
    "usulan.sk_terbit": _("SK terbit"),
    "usulan.sk_dikoreksi": _("SK dikoreksi, menunggu tanda tangan"),
    "usulan.sk_koreksi_ditandatangani": _("Koreksi SK ditandatangani"),
    # the pembina's teams
    "tim.dibentuk": _("Tim penilai dibentuk"),
    "penilai.bebas_konflik": _("Pernyataan bebas konflik kepentingan"),
    "penilai.selesai": _("Penilaian dikirim"),
    "sidang.dibuka": _("Sidang dibuka"),
    "sidang.diputuskan": _("Sidang diputuskan"),
    # letters
    "surat.diterbitkan": _("Surat diterbitkan"),
    "surat.dikoreksi": _("Surat dikoreksi"),
    "surat.diunduh": _("Surat diunduh"),
    "surat.format_nomor": _("Format nomor surat diubah"),
    "surat.paraf": _("Surat diparaf"),
    "surat.ttd_diminta": _("Tanda tangan elektronik diminta"),
    "surat.ttd_diunggah": _("Salinan bertanda tangan diunggah"),
    "surat.ttd_diunduh": _("Salinan bertanda tangan diunduh"),
    # reference data, reports, personal data, operations
    "referensi.ak_diubah": _("Tabel angka kredit diubah"),
    "referensi.ak_demo_dikonfirmasi": _("Angka kredit contoh dikonfirmasi"),
    "ekspor.diminta": _("Ekspor diminta"),
    "ekspor.selesai": _("Ekspor selesai"),
    "ekspor.gagal": _("Ekspor gagal"),
    "ekspor.diunduh": _("Ekspor diunduh"),
    "pdp.ekspor": _("Data pribadi diekspor"),
    "pdp.dihapus": _("Data pribadi dihapus"),
    "pdp.hapus_ditolak": _("Penghapusan data pribadi ditolak"),
    "pdp.tahan_hukum": _("Data ditahan untuk keperluan hukum"),
    "pdp.tahan_hukum_dilepas": _("Penahanan data untuk keperluan hukum dilepas"),
    "outbox.diulang": _("Pengiriman tugas diulang"),
    # the holder's career after the SK (angka kredit)
    "jabatan.dibuka": _("Catatan pejabat fungsional dibuka"),
    "jabatan.ikut_koreksi_sk": _("Catatan pejabat fungsional mengikuti koreksi SK"),
    "jabatan.diundang": _("Pejabat fungsional diundang"),
    "jabatan.diimpor": _("Pejabat fungsional diimpor"),
    "jabatan.akses_dicabut": _("Akses pejabat fungsional dicabut"),
    "jabatan.naik_jenjang": _("Kenaikan jenjang"),
    "ak.konversi_massal": _("Konversi angka kredit massal"),
    "ak.koreksi_bulan_ganda": _("Koreksi bulan yang dikonversi dua kali"),
    "penetapan.dibuat": _("Usulan penetapan angka kredit dibuat"),
    "penetapan.diajukan": _("Usulan penetapan angka kredit diajukan"),
    "penetapan.diajukan_ulang": _("Usulan penetapan angka kredit diajukan ulang"),
    "penetapan.dibatalkan": _("Usulan penetapan angka kredit dibatalkan"),
    "penetapan.dikembalikan": _("Usulan penetapan angka kredit dikembalikan"),
    "penetapan.lengkap": _("Usulan penetapan angka kredit lengkap"),
    "penetapan.disidangkan": _("Usulan penetapan angka kredit disidangkan"),
    "penetapan.dinilai": _("Angka kredit dinilai"),
    "penetapan.pak": _("PAK ditetapkan"),
    "penetapan.hapak": _("HAPAK diterbitkan"),
    "penetapan.pengganti": _("Anggota tim pengganti"),
    "penetapan.periode_disimpan": _("Periode penetapan disimpan"),
    "penetapan.sidang_dibuka": _("Sidang tim penilai angka kredit dibuka"),
    "penetapan.sidang_diputuskan": _("Sidang tim penilai angka kredit diputuskan"),
    "penetapan.dokumen_diunggah": _("Dokumen penetapan diunggah"),
    "penetapan.dokumen_diunduh": _("Dokumen penetapan diunduh"),
}

#: The first word of a code that has no label of its own.
_AWALAN = {
    "referensi": _("Referensi"),
    "ak": _("Angka kredit"),
    "retensi": _("Retensi data"),
    "akun": _("Akun"),
    "usulan": _("Usulan"),
    "surat": _("Surat"),
    "penetapan": _("Penetapan angka kredit"),
    "jabatan": _("Pejabat fungsional"),
}


def label(kode: str) -> str:
    """The action as people read it: "Penilai ditugaskan", not ``usulan.penilai_ditugaskan``."""
    if kode in LABEL:
        return str(LABEL[kode])
    awal, _titik, sisa = (kode or "").partition(".")
    kata = sisa.replace("_", " ").strip() if sisa else awal.replace("_", " ").strip()
    if sisa:
        kepala = str(_AWALAN.get(awal, awal.replace("_", " ").capitalize()))
        return f"{kepala}: {kata}" if kata else kepala
    return kata.capitalize() or "-"
