# One NIP is one person: one active pejabat fungsional record across every instansi and JF (issue 19).
# The unique index is global (row-level security does not narrow it). Existing duplicates make the
# index creation fail naming the NIP; resolve them (deactivate one record) before migrating.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jabatan", "0004_kenaikan_pangkat"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="pejabatfungsional",
            constraint=models.UniqueConstraint(
                condition=models.Q(("aktif", True)), fields=("nip",), name="pejabat_nip_aktif_satu"
            ),
        ),
    ]
