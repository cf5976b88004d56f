"""The usulan's documents carry the holder's record, so a holder who submits their own usulan
sees its documents (the manager's ``tenancy_pejabat_path`` and this RLS policy); existing rows are
filled from their usulan."""

import django.db.models.deletion
from django.db import migrations, models

from apps.core.rls import INSTANSI, POLICY, policy_condition

TABLE = "penetapan_dokumenpenetapan"


def _penilai(pejabat_column):
    base = policy_condition("instansi_id", "jf_id", "diajukan_at", pejabat_column=pejabat_column)
    condition = f"({base} OR instansi_penilai_id = {INSTANSI})"
    return (
        f'DROP POLICY IF EXISTS {POLICY} ON "{TABLE}"; '
        f'CREATE POLICY {POLICY} ON "{TABLE}" USING ({condition}) WITH CHECK ({condition});'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jabatan", "0003_rls_pejabat_sendiri"),
        ("penetapan", "0004_tim_pembentukan"),
    ]

    operations = [
        migrations.AddField(
            model_name="dokumenpenetapan",
            name="pejabat",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="jabatan.pejabatfungsional",
            ),
        ),
        migrations.RunSQL(
            "SELECT set_config('siaks.all_tenants', 'on', true); "
            f'UPDATE "{TABLE}" d SET pejabat_id = u.pejabat_id FROM penetapan_usulanpenetapanak u '
            "WHERE d.usulan_id = u.id AND d.pejabat_id IS NULL; "
            "SELECT set_config('siaks.all_tenants', '', true);",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(_penilai("pejabat_id"), _penilai(None)),
    ]
