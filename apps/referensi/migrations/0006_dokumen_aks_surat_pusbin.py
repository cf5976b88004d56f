"""Add the JF AKS documents named by the Pusbin AKS letter (secondary copy, marked unverified) to a
JF loaded before they were shipped; existing rows are left alone. The rows as shipped then (optional;
0024 makes them wajib): frozen here, the YAML has moved on."""

from django.db import migrations
from django.db.models import Max


SUMBER = "Belum terverifikasi: diminta Surat Kepala Pusbin AKS B-02/KSN/Pusbin-AKS/KP.01.03/03/2026 (salinan sekunder)."
DOKUMEN = [
    {"kode": "keputusan_jabatan_terakhir", "nama": "Keputusan jabatan terakhir", "deskripsi": SUMBER},
    {"kode": "surat_keterangan_sehat", "nama": "Surat keterangan sehat", "deskripsi": SUMBER},
    {"kode": "dokumen_pak", "nama": "Dokumen penetapan angka kredit (PAK)", "deskripsi": SUMBER},
    {"kode": "daftar_riwayat_hidup", "nama": "Daftar riwayat hidup", "deskripsi": SUMBER},
]


def tambah(apps, schema_editor):
    db = schema_editor.connection.alias
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    PersyaratanDokumen = apps.get_model("referensi", "PersyaratanDokumen")
    jf = JabatanFungsional.objects.using(db).filter(kode="aks").first()
    if jf is None:
        return
    rows = PersyaratanDokumen.objects.using(db).filter(jf=jf)
    have = set(rows.values_list("kode", flat=True))
    urutan = rows.aggregate(m=Max("urutan"))["m"] or 0
    for row in DOKUMEN:
        if row["kode"] not in have:
            urutan += 1
            PersyaratanDokumen.objects.using(db).create(jf=jf, level="usulan", wajib=False, urutan=urutan, **row)


class Migration(migrations.Migration):
    dependencies = [("referensi", "0005_isi_peraturan_jf")]

    operations = [migrations.RunPython(tambah, migrations.RunPython.noop)]
