"""Row-level security on both tables, and the ledger made append-only in the database: a trigger
refuses every UPDATE and DELETE of a ``jabatan_mutasiak`` row, whoever asks (the model refuses
too, but raw SQL and bulk paths reach only the database)."""

from django.db import migrations

from apps.core.rls import enable_rls

TRIGGER = """
CREATE OR REPLACE FUNCTION jabatan_mutasiak_tambah_saja() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'jabatan_mutasiak is append-only: % refused (catat koreksi sebagai mutasi baru)', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER jabatan_mutasiak_tambah_saja
    BEFORE UPDATE OR DELETE ON jabatan_mutasiak
    FOR EACH ROW EXECUTE FUNCTION jabatan_mutasiak_tambah_saja();
"""

REVERSE = """
DROP TRIGGER IF EXISTS jabatan_mutasiak_tambah_saja ON jabatan_mutasiak;
DROP FUNCTION IF EXISTS jabatan_mutasiak_tambah_saja();
"""


class Migration(migrations.Migration):
    dependencies = [("jabatan", "0001_initial")]

    operations = [
        enable_rls("jabatan_pejabatfungsional", jf_column="jf_id"),
        enable_rls("jabatan_mutasiak", jf_column="jf_id"),
        migrations.RunSQL(TRIGGER, REVERSE),
    ]
