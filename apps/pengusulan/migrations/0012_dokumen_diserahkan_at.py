from django.db import migrations, models

from apps.core.rls import policy_sql

# Versions already with the pembina: those of a submitted usulan, except the ones uploaded during
# a perbaikan that is still open (after the usulan went back); instansi documents of a JF once
# the instansi submitted an usulan of it.
BACKFILL = """
SELECT set_config('siaks.all_tenants', 'on', true);
UPDATE pengusulan_dokumen d SET diserahkan_at = d.created_at
  FROM pengusulan_usulan u
 WHERE d.usulan_id = u.id AND u.diajukan_at IS NOT NULL
   AND (u.status <> 'perbaikan' OR d.created_at <= u.status_changed_at);
UPDATE pengusulan_dokumen d SET diserahkan_at = d.created_at
 WHERE d.usulan_id IS NULL AND EXISTS (
       SELECT 1 FROM pengusulan_usulan u
        WHERE u.instansi_id = d.instansi_id AND u.jf_id = d.jf_id AND u.diajukan_at IS NOT NULL);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pengusulan", "0011_surat_isi"),
    ]

    operations = [
        migrations.AddField(
            model_name="dokumen",
            name="diserahkan_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="diserahkan ke pembina"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        # Pembina staff: an usulan once submitted, a document version once it went with a submission.
        migrations.RunSQL(
            policy_sql("pengusulan_usulan", jf_column="jf_id", jf_since="diajukan_at")[0],
            policy_sql("pengusulan_usulan", jf_column="jf_id")[0],
        ),
        migrations.RunSQL(
            policy_sql("pengusulan_dokumen", jf_column="jf_id", jf_since="diserahkan_at")[0],
            policy_sql("pengusulan_dokumen", jf_column="jf_id")[0],
        ),
    ]
