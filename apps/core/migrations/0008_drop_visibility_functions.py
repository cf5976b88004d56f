"""Drop siaks_tenant_visible / siaks_jf_visible: since 0004 no policy calls them (the policies
read the tenant settings in scalar sub-selects, apps.core.rls). PostgreSQL refuses the drop if
any policy still depended on one."""

from django.db import migrations

DROP = """
DROP FUNCTION IF EXISTS siaks_jf_visible(bigint);
DROP FUNCTION IF EXISTS siaks_tenant_visible(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0007_surat_isi")]

    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
