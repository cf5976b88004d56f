"""Who signs an usulan's PAK, as its JF ruled when it was submitted (issue 13: the SK and its
corrections read it, never the JF's current setting). For usulan submitted before: the rule their
letters already show (a PAK issued with the SK: the SK's signer; an SK without one: the atasan
langsung), else the JF's rule today, the one they were most likely submitted under."""

from django.db import migrations, models

ISI = """
UPDATE pengusulan_usulan u SET pak_penandatangan = CASE
    WHEN EXISTS (SELECT 1 FROM surat_suratusulan b WHERE b.usulan_id = u.id AND b.jenis = 'pak')
        THEN 'pejabat_sk'
    WHEN EXISTS (SELECT 1 FROM surat_suratusulan b WHERE b.usulan_id = u.id AND b.jenis IN ('sk', 'sk_kolektif'))
        THEN 'atasan_langsung'
    ELSE (SELECT jf.pak_penandatangan FROM referensi_jabatanfungsional jf WHERE jf.id = u.jf_id)
END
WHERE u.diajukan_at IS NOT NULL AND u.pak_penandatangan = ''
"""


def isi(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        # Usulan and letters are under row-level security (also for their owner): every tenant's.
        cursor.execute("SELECT set_config('siaks.all_tenants', 'on', true)")
        cursor.execute(ISI)


class Migration(migrations.Migration):
    dependencies = [
        ("pengusulan", "0015_masa_kerja_per"),
        ("surat", "0001_initial"),
        ("referensi", "0008_pak_penandatangan"),
    ]

    operations = [
        migrations.AddField(
            model_name="usulan",
            name="pak_penandatangan",
            field=models.CharField(
                blank=True,
                choices=[
                    ("atasan_langsung", "Atasan langsung, sebelum usulan diajukan (dokumen usulan)"),
                    ("pejabat_sk", "Pejabat yang menetapkan SK, diterbitkan bersama SK"),
                ],
                max_length=20,
                verbose_name="penanda tangan PAK saat diajukan",
            ),
        ),
        migrations.RunPython(isi, migrations.RunPython.noop),
    ]
