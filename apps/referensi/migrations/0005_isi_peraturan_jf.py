"""Fill the new per-JF letter data (regulations for the SK's mengingat, information system name,
regulations to check) of JFs loaded before it existed, from the shipped data files. A JF whose
admin pembina already entered a value keeps it."""

from django.db import migrations


def isi(apps, schema_editor):
    from apps.referensi.loader import JF_FIELDS_OPSIONAL, JF_FILES, read

    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for name in JF_FILES:
        spec = read(name)
        jf = JabatanFungsional.objects.using(db).filter(kode=spec["kode"]).first()
        if jf is None:
            continue
        changed = [f for f in JF_FIELDS_OPSIONAL if f in spec and not getattr(jf, f)]
        for f in changed:
            setattr(jf, f, spec[f])
        if changed:
            jf.save(using=db, update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("referensi", "0004_surat_isi")]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
