# Issue 19 (fresh-eye walk): a Tim Penilai AK's PAK and HAPAK are no national data of the JF's
# pembina. The JF path of the policy admits a letter (and its versions) only when no Tim Penilai
# AK issued it (``instansi_penilai_id IS NULL``): an inpassing verifikator of the pembina who has
# no part in the assessment no longer reads them (apps.core.tenancy.TenantModel says the same).

from django.db import migrations

from apps.core.rls import policy_sql


def _policy(table: str) -> migrations.RunSQL:
    kolom = {"jf_column": "jf_id", "pejabat_column": "pejabat_id", "penilai_column": "instansi_penilai_id"}
    forward, _r = policy_sql(table, **kolom, jf_tanpa_penilai=True)
    previous, _r = policy_sql(table, **kolom)
    return migrations.RunSQL(forward, previous)


class Migration(migrations.Migration):
    dependencies = [
        ("surat", "0007_merge"),
    ]

    operations = [_policy("surat_surat"), _policy("surat_versisurat")]
