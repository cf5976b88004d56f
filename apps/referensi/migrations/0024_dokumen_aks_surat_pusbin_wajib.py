"""Fresh-eye L0 (issue 13 §7): Surat Kepala Pusbin AKS B-02/KSN/Pusbin-AKS/KP.01.03/03/2026 requires
the keputusan jabatan terakhir, surat keterangan sehat and daftar riwayat hidup of a JF AKS usulan;
0006 shipped them optional. A database loaded before gets them wajib (added where missing), still
"belum terverifikasi" with that source. The dokumen PAK follows the JF's PAK signer
(apps.referensi.services.pak_dokumen_sesuaikan) and is not touched here."""

from django.db import migrations
from django.db.models import Max

SUMBER = "Belum terverifikasi: diminta Surat Kepala Pusbin AKS B-02/KSN/Pusbin-AKS/KP.01.03/03/2026 (salinan sekunder)."
DOKUMEN = [
    ("keputusan_jabatan_terakhir", "Keputusan jabatan terakhir"),
    ("surat_keterangan_sehat", "Surat keterangan sehat"),
    ("daftar_riwayat_hidup", "Daftar riwayat hidup"),
]


def wajibkan(apps, schema_editor):
    db = schema_editor.connection.alias
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    PersyaratanDokumen = apps.get_model("referensi", "PersyaratanDokumen")
    jf = JabatanFungsional.objects.using(db).filter(kode="aks").first()
    if jf is None:
        return
    rows = PersyaratanDokumen.objects.using(db).filter(jf=jf)
    urutan = rows.aggregate(m=Max("urutan"))["m"] or 0
    for kode, nama in DOKUMEN:
        if rows.filter(kode=kode).update(wajib=True):
            continue
        urutan += 1
        PersyaratanDokumen.objects.using(db).create(
            jf=jf, kode=kode, nama=nama, deskripsi=SUMBER, level="usulan", jenis_usulan="penyesuaian", wajib=True,
            urutan=urutan,
        )  # fmt: skip


def opsionalkan(apps, schema_editor):
    db = schema_editor.connection.alias
    PersyaratanDokumen = apps.get_model("referensi", "PersyaratanDokumen")
    PersyaratanDokumen.objects.using(db).filter(jf__kode="aks", kode__in=[k for k, _n in DOKUMEN]).update(wajib=False)


class Migration(migrations.Migration):
    dependencies = [("referensi", "0023_peraturan_status_judul")]

    operations = [migrations.RunPython(wajibkan, opsionalkan)]
