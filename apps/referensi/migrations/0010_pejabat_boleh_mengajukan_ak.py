from django.db import migrations, models


def jfak_diajukan_pejabat(apps, schema_editor):
    """Seed 001 BAB IV B: the JFAK fills the DUPAK online themselves (as the data file now says)."""
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    JabatanFungsional.objects.using(schema_editor.connection.alias).filter(kode="analis-kebijakan").update(
        pejabat_boleh_mengajukan_ak=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0009_persyaratan_jabatan"),
    ]

    operations = [
        migrations.AddField(
            model_name="jabatanfungsional",
            name="pejabat_boleh_mengajukan_ak",
            field=models.BooleanField(
                default=False,
                help_text="Bila aktif, pejabat fungsional dapat membuat, melengkapi dan mengajukan sendiri usulan "
                "penetapan angka kreditnya (DUPAK online); PIC instansi tetap dapat mengajukan. Contoh: Rancangan "
                "Peraturan Kepala LAN tentang Tata Kerja Tim Penilai JFAK, Bab IV B (DUPAK online diisi oleh JFAK).",
                verbose_name="pejabat fungsional boleh mengajukan sendiri usulan penetapan angka kredit",
            ),
        ),
        migrations.RunPython(jfak_diajukan_pejabat, migrations.RunPython.noop),
    ]
