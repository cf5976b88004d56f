# A letter records whether it is an SK or rekomendasi of a kenaikan jenjang (Surat.label_jenis read
# it from the start of its subject). Letters made before: told by that subject, as the label was.

from django.db import migrations, models

BACKFILL = """
SELECT set_config('siaks.all_tenants', 'on', true);
UPDATE surat_surat SET kenaikan_jenjang = true
 WHERE jenis IN ('sk', 'sk_kolektif', 'rekomendasi')
   AND (perihal LIKE 'Kenaikan Jenjang %' OR perihal LIKE 'Rekomendasi Kenaikan Jenjang %'
        OR perihal LIKE 'Hasil Usulan Kenaikan Jenjang %');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("surat", "0008_pak_tim_bukan_data_pembina"),
    ]

    operations = [
        migrations.AddField(
            model_name="surat",
            name="kenaikan_jenjang",
            field=models.BooleanField(default=False, verbose_name="kenaikan jenjang"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
