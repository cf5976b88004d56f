# Issue 19 (fresh-eye walk): the parafs and signatures of a Tim Penilai AK's PAK and HAPAK follow
# their letter (surat 0008): the JF path of the policy admits only rows no Tim Penilai AK issued.

from django.db import migrations

from apps.core.rls import policy_sql


def _policy(table: str) -> migrations.RunSQL:
    forward, _r = policy_sql(table, jf_column="jf_id", penilai_column="instansi_penilai_id", jf_tanpa_penilai=True)
    previous, _r = policy_sql(table, jf_column="jf_id", penilai_column="instansi_penilai_id")
    return migrations.RunSQL(forward, previous)


class Migration(migrations.Migration):
    dependencies = [
        ("surat", "0008_pak_tim_bukan_data_pembina"),
        ("ttd", "0007_batch_dilewati"),
    ]

    operations = [_policy("ttd_paraf"), _policy("ttd_tandatangan")]
