"""Re-create every tenant policy with the settings read once per query (see apps.core.rls)."""

from django.db import migrations

from apps.core.rls import policy_sql

TABLES = [
    ("core_auditlog", "jf_id"),
    ("pengusulan_pegawai", None),
    ("pengusulan_formasi", "jf_id"),
    ("pengusulan_usulan", "jf_id"),
    ("pengusulan_dokumen", "jf_id"),
    ("verifikasi_pemeriksaan", "jf_id"),
    ("verifikasi_pemeriksaandokumen", "jf_id"),
    ("verifikasi_penugasanpenilai", "jf_id"),
    ("verifikasi_nilai", "jf_id"),
    ("verifikasi_sidangusulan", "jf_id"),
    ("surat_surat", "jf_id"),
    ("surat_suratusulan", "jf_id"),
    ("surat_versisurat", "jf_id"),
    ("rekap_rekapusulan", "jf_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_auditlog_jf"),
        ("pengusulan", "0006_usulan_usulan_menunggu_idx"),
        ("verifikasi", "0001_initial"),
        ("surat", "0001_initial"),
        ("rekap", "0001_initial"),
    ]

    # Reversing keeps the faster policies (same rule); it never disables row-level security.
    operations = [migrations.RunSQL(policy_sql(table, jf_column=jf)[0], migrations.RunSQL.noop) for table, jf in TABLES]
