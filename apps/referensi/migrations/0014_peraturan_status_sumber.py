"""The JFs' regulations for the SK's "mengingat", re-checked against the sources (issue 13 walk):
each row's status and source as the shipped data files now state them. A row the admin pembina
changed since it was shipped (any other value) is left as it is."""

from django.db import migrations

#: The rows as shipped before, by JF code: (jenis, nomor, tahun, judul, status, sumber).
LAMA = {
    "aks": [
        ("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "10", 2023,
         "Jabatan Fungsional Analis Kerja Sama", "V", "seed 000"),
        ("Peraturan Menteri Sekretaris Negara", "3", 2024,
         "Petunjuk Pelaksanaan dan Petunjuk Teknis Jabatan Fungsional Analis Kerja Sama", "V",
         "seed 000 (nomor dan tahun; juklak/juknis, domain.md §4a); judul [V2: salinan teks peraturan di pasal.id]"),
    ],
    "pengantar-kerja": [
        ("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "1", 2022,
         "Jabatan Fungsional Pengantar Kerja", "V", "seed 002"),
        ("Peraturan Menteri Ketenagakerjaan", "4", 2017,
         "Tata Cara Penyesuaian Jabatan Fungsional Bidang Ketenagakerjaan", "V", "seed 003"),
    ],
    "analis-kebijakan": [
        ("Peraturan Menteri Pendayagunaan Aparatur Negara", "45", 2013,
         "Jabatan Fungsional Analis Kebijakan dan Angka Kreditnya", "V", "seed 001"),
    ],
}  # fmt: skip


def _kunci(row: dict) -> tuple:
    return tuple(row.get(k) for k in ("jenis", "nomor", "tahun", "judul", "status", "sumber"))


def isi(apps, schema_editor):
    from apps.referensi.loader import JF_FILES, read

    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for name in JF_FILES:
        spec = read(name)
        jf = JabatanFungsional.objects.using(db).filter(kode=spec["kode"]).first()
        lama = LAMA.get(spec["kode"])
        if jf is None or not lama or len(spec.get("peraturan", [])) != len(lama):
            continue
        baru = dict(zip(lama, spec["peraturan"], strict=True))
        rows = [baru.get(_kunci(row), row) for row in jf.peraturan or []]
        if rows != jf.peraturan:
            jf.peraturan = rows
            jf.save(using=db, update_fields=["peraturan"])


class Migration(migrations.Migration):
    dependencies = [("referensi", "0013_tembusan_pak")]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
