"""Add the JF AKS documents named by the Pusbin AKS letter (secondary copy, marked unverified) to a
JF loaded before they were shipped; existing rows are left alone."""

from django.db import migrations
from django.db.models import Max


def tambah(apps, schema_editor):
    from apps.referensi.loader import read

    db = schema_editor.connection.alias
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    PersyaratanDokumen = apps.get_model("referensi", "PersyaratanDokumen")
    spec = read("jf_aks.yaml")
    jf = JabatanFungsional.objects.using(db).filter(kode=spec["kode"]).first()
    if jf is None:
        return
    rows = PersyaratanDokumen.objects.using(db).filter(jf=jf)
    have = set(rows.values_list("kode", flat=True))
    urutan = rows.aggregate(m=Max("urutan"))["m"] or 0
    for row in spec.get("dokumen_tambahan_opsional", []):
        if row["kode"] not in have:
            urutan += 1
            PersyaratanDokumen.objects.using(db).create(jf=jf, level="usulan", wajib=False, urutan=urutan, **row)


class Migration(migrations.Migration):
    dependencies = [("referensi", "0005_isi_peraturan_jf")]

    operations = [migrations.RunPython(tambah, migrations.RunPython.noop)]
