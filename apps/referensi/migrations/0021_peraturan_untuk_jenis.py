"""Issue 19: a JF's regulation may concern one kind of usulan only. PermenNaker 4/2017 "tentang
Tata Cara Penyesuaian Jabatan Fungsional Bidang Ketenagakerjaan" (seed 003) is the juklak of the
inpassing: the SK penyesuaian cites it, the SK kenaikan jenjang does not (its own JF regulation and
PerBKN 3/2023 stay). The shipped row gets ``"untuk": ["penyesuaian"]``, as the data file now
states; a row that already says what it is for is left alone."""

from django.db import migrations

KUNCI = ("Peraturan Menteri Ketenagakerjaan", "4", 2017)


def isi(apps, schema_editor):
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for jf in JabatanFungsional.objects.using(db).order_by("pk"):
        rows = []
        for row in jf.peraturan or []:
            if (row.get("jenis"), str(row.get("nomor")), row.get("tahun")) == KUNCI and "untuk" not in row:
                row = {**row, "untuk": ["penyesuaian"]}
            rows.append(row)
        if rows != (jf.peraturan or []):
            jf.peraturan = rows
            jf.save(using=db, update_fields=["peraturan"])


class Migration(migrations.Migration):
    dependencies = [("referensi", "0020_ak_dasar_iiid_belum_terverifikasi")]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
