"""Tim Penilai, sidang and berita acara become JF-owned (apps.core.tenancy.JFScopedModel): the
sidang and the berita acara carry their team's JF, and the three tables get the JF policy
(apps.core.rls.enable_jf_rls) — written by hand, like every policy."""

import django.db.models.deletion
from django.db import migrations, models

from apps.core.rls import enable_jf_rls

JF = {"on_delete": django.db.models.deletion.PROTECT, "related_name": "+", "to": "referensi.jabatanfungsional"}


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0006_dokumen_aks_surat_pusbin"),
        ("verifikasi", "0002_anggota_golongan"),
    ]

    operations = [
        migrations.AlterModelOptions(name="beritaacara", options={"base_manager_name": "objects"}),
        migrations.AlterModelOptions(
            name="sidang", options={"base_manager_name": "objects", "ordering": ["-tanggal", "-id"]}
        ),
        migrations.AlterModelOptions(
            name="timpenilai",
            options={
                "base_manager_name": "objects",
                "ordering": ["jf", "-periode_mulai"],
                "verbose_name": "tim penilai",
                "verbose_name_plural": "tim penilai",
            },
        ),
        migrations.AddField(model_name="sidang", name="jf", field=models.ForeignKey(null=True, **JF)),
        migrations.AddField(model_name="beritaacara", name="jf", field=models.ForeignKey(null=True, **JF)),
        # Before any policy: the rows take their team's JF.
        migrations.RunSQL(
            "UPDATE verifikasi_sidang s SET jf_id = t.jf_id FROM verifikasi_timpenilai t WHERE t.id = s.tim_id; "
            "UPDATE verifikasi_beritaacara b SET jf_id = s.jf_id FROM verifikasi_sidang s WHERE s.id = b.sidang_id;",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(model_name="sidang", name="jf", field=models.ForeignKey(**JF)),
        migrations.AlterField(model_name="beritaacara", name="jf", field=models.ForeignKey(**JF)),
        enable_jf_rls("verifikasi_timpenilai"),
        enable_jf_rls("verifikasi_sidang"),
        enable_jf_rls("verifikasi_beritaacara"),
    ]
