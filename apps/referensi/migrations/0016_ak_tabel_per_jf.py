"""Issue 13: the penyesuaian table and AK Dasar belong to each JF. Schema first (the FK indexes are
created at the end of this migration); the rows are copied per JF in 0017, in its own transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0015_dokumen_kenaikan_jenjang"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="nilaipenyesuaianak", name="penyesuaian_ak_unique"),
        migrations.AlterField(
            model_name="akdasar",
            name="golongan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="referensi.golongan"
            ),
        ),
        migrations.AddField(
            model_name="akdasar",
            name="jf",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ak_dasar",
                to="referensi.jabatanfungsional",
            ),
        ),
        migrations.AddField(
            model_name="nilaipenyesuaianak",
            name="jf",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="nilai_penyesuaian_ak",
                to="referensi.jabatanfungsional",
            ),
        ),
    ]
