"""Issue 13: the penyesuaian table and AK Dasar belong to each JF (its admin pembina confirms and
corrects them). Every existing row is copied to every JF with its value and verification state
(who, when, source); an usulan built on a row now points at its own JF's copy."""

from django.db import migrations

SALIN = ["nilai", "terverifikasi", "diverifikasi_oleh_id", "diverifikasi_pada", "sumber"]


def per_jf(apps, schema_editor):
    db = schema_editor.connection.alias
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    jf_ids = list(JabatanFungsional.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for name, kunci in (
        ("NilaiPenyesuaianAK", ["golongan_id", "masa_kerja", "pendidikan"]),
        ("AKDasar", ["golongan_id"]),
    ):
        model = apps.get_model("referensi", name)
        rows = list(model.objects.using(db).filter(jf__isnull=True).order_by("pk"))
        if not jf_ids:  # no JF to own them: the loader creates each JF's rows with the JF
            model.objects.using(db).filter(jf__isnull=True).delete()
            continue
        for row in rows:
            row.jf_id = jf_ids[0]
            row.save(using=db, update_fields=["jf"])
        model.objects.using(db).bulk_create(
            [model(jf_id=jf_id, **{f: getattr(row, f) for f in kunci + SALIN}) for row in rows for jf_id in jf_ids[1:]]
        )
    # Each usulan on its own JF's copy (the usulan table is tenant-owned: RLS lifted for this statement).
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('siaks.all_tenants', 'on', true)")
        cursor.execute(
            """
            UPDATE pengusulan_usulan u SET ak_tabel_ref_id = baru.id
            FROM referensi_nilaipenyesuaianak lama, referensi_nilaipenyesuaianak baru
            WHERE u.ak_tabel_ref_id = lama.id AND u.jf_id IS NOT NULL AND lama.jf_id <> u.jf_id
              AND baru.jf_id = u.jf_id AND baru.golongan_id = lama.golongan_id
              AND baru.masa_kerja = lama.masa_kerja AND baru.pendidikan = lama.pendidikan
            """
        )
        cursor.execute(
            """
            UPDATE pengusulan_usulan u SET ak_dasar_ref_id = baru.id
            FROM referensi_akdasar lama, referensi_akdasar baru
            WHERE u.ak_dasar_ref_id = lama.id AND u.jf_id IS NOT NULL AND lama.jf_id <> u.jf_id
              AND baru.jf_id = u.jf_id AND baru.golongan_id = lama.golongan_id
            """
        )
        cursor.execute("SELECT set_config('siaks.all_tenants', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0016_ak_tabel_per_jf"),
        ("pengusulan", "0008_ak_asal"),
    ]

    operations = [migrations.RunPython(per_jf, migrations.RunPython.noop)]
