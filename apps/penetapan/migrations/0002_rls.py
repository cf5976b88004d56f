"""Row-level security for the penetapan tables (hand-written, as in the other apps).

Teams, members, sekretariat and sidang: the owner instansi, or the JF for the pembina's staff.
The usulan, its documents and assessments: the holder's instansi, the JF's pembina once
submitted (``diajukan_at``), **or the instansi of the assessing team** (``instansi_penilai_id``)
— the same rule as ``models.PenilaiManager``. The holder sees their own usulan."""

from django.db import migrations

from apps.core.rls import INSTANSI, POLICY, enable_rls, policy_condition


def _penilai(table: str, pejabat_column: str | None = None) -> migrations.RunSQL:
    base = policy_condition("instansi_id", "jf_id", "diajukan_at", pejabat_column=pejabat_column)
    condition = f"({base} OR instansi_penilai_id = {INSTANSI})"
    return migrations.RunSQL(
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
        f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({condition});',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;',
    )


class Migration(migrations.Migration):
    dependencies = [("penetapan", "0001_initial")]

    operations = [
        enable_rls("penetapan_timpenilaiak", jf_column="jf_id"),
        enable_rls("penetapan_anggotatimak", jf_column="jf_id"),
        enable_rls("penetapan_sekretariattimak", jf_column="jf_id"),
        enable_rls("penetapan_sidangak", jf_column="jf_id"),
        # ...and the holder's own usulan for the holder (role pejabat_fungsional).
        _penilai("penetapan_usulanpenetapanak", pejabat_column="pejabat_id"),
        _penilai("penetapan_dokumenpenetapan"),
        _penilai("penetapan_penilaianak"),
    ]
