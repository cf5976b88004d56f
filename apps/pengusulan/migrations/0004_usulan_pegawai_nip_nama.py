from django.db import migrations, models

# The owner is bound by the RLS policies too (FORCE), so the backfill opts out explicitly.
BACKFILL = """
SELECT set_config('siaks.all_tenants', 'on', true);
UPDATE pengusulan_usulan u SET pegawai_nip = p.nip, pegawai_nama = p.nama
FROM pengusulan_pegawai p WHERE p.id = u.pegawai_id;
"""


class Migration(migrations.Migration):
    dependencies = [("pengusulan", "0003_usulan_tenggat_perbaikan_usulan_verifikator")]

    operations = [
        migrations.AddField(
            model_name="usulan",
            name="pegawai_nip",
            field=models.CharField(db_index=True, default="", max_length=18, verbose_name="NIP"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="usulan",
            name="pegawai_nama",
            field=models.CharField(default="", max_length=150, verbose_name="nama pegawai"),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
