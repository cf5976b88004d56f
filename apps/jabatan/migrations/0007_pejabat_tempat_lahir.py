from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jabatan", "0006_kenaikan_pangkat_pak_luar"),
    ]

    operations = [
        migrations.AddField(
            model_name="pejabatfungsional",
            name="tempat_lahir",
            field=models.CharField(blank=True, max_length=80, verbose_name="tempat lahir"),
        ),
    ]
