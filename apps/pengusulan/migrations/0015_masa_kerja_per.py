"""The day an usulan's masa kerja was counted to (the PAK states it). For usulan submitted before:
the day of their last submission (the audit entry of the move to "diajukan"), else the first."""

from django.db import migrations, models

ISI = """
UPDATE pengusulan_usulan u SET masa_kerja_per = COALESCE(
    (SELECT (a.created_at AT TIME ZONE 'Asia/Jakarta')::date FROM core_auditlog a
      WHERE a.object_type = 'pengusulan.usulan' AND a.object_id = u.id::text AND a.data->>'ke' = 'diajukan'
      ORDER BY a.created_at DESC LIMIT 1),
    (u.diajukan_at AT TIME ZONE 'Asia/Jakarta')::date)
WHERE u.masa_kerja_bulan IS NOT NULL AND u.masa_kerja_per IS NULL
"""


def isi(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        # Usulan and the audit log are under row-level security (also for their owner): every tenant's.
        cursor.execute("SELECT set_config('siaks.all_tenants', 'on', true)")
        cursor.execute(ISI)


class Migration(migrations.Migration):
    dependencies = [
        ("pengusulan", "0014_usulan_jenis_pejabat"),
        ("core", "0003_auditlog_jf"),
    ]

    operations = [
        migrations.AddField(
            model_name="usulan",
            name="masa_kerja_per",
            field=models.DateField(blank=True, null=True, verbose_name="masa kerja dihitung sampai dengan"),
        ),
        migrations.RunPython(isi, migrations.RunPython.noop),
    ]
