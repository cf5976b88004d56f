import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0017_ak_tabel_salin_per_jf"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="akdasar",
            options={
                "ordering": ["jf", "golongan__urutan"],
                "verbose_name": "AK dasar",
                "verbose_name_plural": "AK dasar",
            },
        ),
        migrations.AlterModelOptions(
            name="nilaipenyesuaianak",
            options={
                "ordering": ["jf", "golongan__urutan", "pendidikan", "masa_kerja"],
                "verbose_name": "nilai tabel penyesuaian AK",
                "verbose_name_plural": "tabel penyesuaian AK",
            },
        ),
        migrations.AlterField(
            model_name="akdasar",
            name="jf",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="ak_dasar", to="referensi.jabatanfungsional"
            ),
        ),
        migrations.AlterField(
            model_name="nilaipenyesuaianak",
            name="jf",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="nilai_penyesuaian_ak",
                to="referensi.jabatanfungsional",
            ),
        ),
        migrations.AddConstraint(
            model_name="akdasar",
            constraint=models.UniqueConstraint(fields=("jf", "golongan"), name="ak_dasar_unique_per_jf"),
        ),
        migrations.AddConstraint(
            model_name="nilaipenyesuaianak",
            constraint=models.UniqueConstraint(
                fields=("jf", "golongan", "masa_kerja", "pendidikan"), name="penyesuaian_ak_unique_per_jf"
            ),
        ),
    ]
