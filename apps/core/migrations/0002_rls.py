from django.db import migrations

from apps.core.rls import FUNCTIONS_REVERSE_SQL, FUNCTIONS_SQL, enable_rls


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTIONS_SQL, FUNCTIONS_REVERSE_SQL),
        enable_rls("core_auditlog"),
    ]
