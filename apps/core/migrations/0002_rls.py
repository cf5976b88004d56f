from django.db import migrations

from apps.core.rls import enable_rls

# The row-visibility functions of the first policies (dropped by 0008 once the policies read the
# settings in scalar sub-selects, apps.core.rls).
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION siaks_tenant_visible(row_instansi bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('siaks.all_tenants', true), '') = 'on'
        OR row_instansi = nullif(current_setting('siaks.instansi_id', true), '')::bigint
$$;
CREATE OR REPLACE FUNCTION siaks_jf_visible(row_jf bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT row_jf = ANY (string_to_array(
        nullif(current_setting('siaks.jf_ids', true), ''), ',')::bigint[])
$$;
"""

FUNCTIONS_REVERSE_SQL = """
DROP FUNCTION IF EXISTS siaks_jf_visible(bigint);
DROP FUNCTION IF EXISTS siaks_tenant_visible(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTIONS_SQL, FUNCTIONS_REVERSE_SQL),
        enable_rls("core_auditlog"),
    ]
