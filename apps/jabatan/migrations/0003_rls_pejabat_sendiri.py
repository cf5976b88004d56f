"""The holder's own login (role ``pejabat_fungsional``, issue 19 item 5) reads their record and
ledger: the policies of migration 0002 again, with the holder's clause (``siaks.pejabat_id``)."""

from django.db import migrations

from apps.core.rls import enable_rls


class Migration(migrations.Migration):
    dependencies = [("jabatan", "0002_rls_tambah_saja")]

    operations = [
        enable_rls("jabatan_pejabatfungsional", jf_column="jf_id", pejabat_column="id"),
        enable_rls("jabatan_mutasiak", jf_column="jf_id", pejabat_column="pejabat_id"),
    ]
