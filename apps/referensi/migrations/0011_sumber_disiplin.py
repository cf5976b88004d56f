from django.db import migrations, models

#: As the data files now say (apps/referensi/data/jf_*.yaml); the Permensesneg's title as well.
SUMBER = {
    "aks": "Seed 000: surat pernyataan tidak sedang menjalani hukuman disiplin",
    "pengantar-kerja": "Belum ada di sumber (seed 002/003); ketentuan mengikuti JF AKS (seed 000: surat pernyataan "
    "tidak sedang menjalani hukuman disiplin) — periksa",
    "analis-kebijakan": "Belum ada di sumber (seed 001); ketentuan mengikuti JF AKS (seed 000: surat pernyataan "
    "tidak sedang menjalani hukuman disiplin) — periksa",
}
JUDUL_PERMENSESNEG = "Petunjuk Pelaksanaan dan Petunjuk Teknis Jabatan Fungsional Analis Kerja Sama"


def isi(apps, schema_editor):
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for kode, sumber in SUMBER.items():
        JabatanFungsional.objects.using(db).filter(kode=kode, sumber_disiplin="").update(sumber_disiplin=sumber)
    for jf in JabatanFungsional.objects.using(db).filter(kode="aks"):
        changed = False
        for p in jf.peraturan or []:
            if (
                p.get("jenis") == "Peraturan Menteri Sekretaris Negara"
                and str(p.get("nomor")) == "3"
                and not p.get("judul")
            ):
                p["judul"] = JUDUL_PERMENSESNEG
                changed = True
        if changed:
            jf.save(update_fields=["peraturan"])


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0010_pejabat_boleh_mengajukan_ak"),
    ]

    operations = [
        migrations.AddField(
            model_name="jabatanfungsional",
            name="sumber_disiplin",
            field=models.CharField(blank=True, max_length=200, verbose_name="sumber ketentuan disiplin"),
        ),
        migrations.RunPython(isi, migrations.RunPython.noop),
    ]
