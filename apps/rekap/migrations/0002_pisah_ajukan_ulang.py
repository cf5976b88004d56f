"""Recount the throughput chart's submissions: a resubmission after perbaikan was counted as a
new submission ("ajukan"); it is now "ajukan_ulang" (``apps.rekap.services.pisah_ajukan_ulang``)."""

from django.db import migrations


def pisah(apps, schema_editor):
    from apps.rekap.services import pisah_ajukan_ulang

    with schema_editor.connection.cursor() as cursor:
        # The audit log is under row-level security (also for its owner): read every tenant's.
        cursor.execute("SELECT set_config('siaks.all_tenants', 'on', true)")
        pisah_ajukan_ulang(cursor)


class Migration(migrations.Migration):
    dependencies = [("rekap", "0001_initial"), ("core", "0003_auditlog_jf")]

    operations = [migrations.RunPython(pisah, migrations.RunPython.noop)]
