"""Issue 13 (third walk): a JF's rules cite that JF's own sources, never another JF's. The texts that
borrowed JF AKS's or JF Analis Kebijakan's source now say "belum terverifikasi" (as the data files
apps/referensi/data/jf_*.yaml now do); a text the admin pembina has changed since is left alone."""

from django.db import migrations

#: (kode, field) → (old text, new text)
GANTI = {
    ("analis-kebijakan", "sumber_usia"): (
        "Belum ada di sumber (seed 001); nilai sementara mengikuti JF AKS — periksa",
        "Belum terverifikasi: batas usia pengangkatan JF Analis Kebijakan belum termuat dalam sumbernya (seed 001); "
        "nilai sementara — periksa",
    ),
    ("analis-kebijakan", "sumber_disiplin"): (
        "Belum ada di sumber (seed 001); ketentuan mengikuti JF AKS (seed 000: surat pernyataan tidak sedang "
        "menjalani hukuman disiplin) — periksa",
        "Belum terverifikasi: ketentuan hukuman disiplin JF Analis Kebijakan belum termuat dalam sumbernya "
        "(seed 001) — periksa",
    ),
    ("pengantar-kerja", "sumber_usia"): (
        "Belum ada di sumber (seed 002/003); nilai sementara mengikuti JF AKS — periksa",
        "Belum terverifikasi: batas usia pengangkatan JF Pengantar Kerja belum termuat dalam sumbernya "
        "(seed 002/003); nilai sementara — periksa",
    ),
    ("pengantar-kerja", "sumber_disiplin"): (
        "Belum ada di sumber (seed 002/003); ketentuan mengikuti JF AKS (seed 000: surat pernyataan tidak sedang "
        "menjalani hukuman disiplin) — periksa",
        "Belum terverifikasi: ketentuan hukuman disiplin JF Pengantar Kerja belum termuat dalam sumbernya "
        "(seed 002/003) — periksa",
    ),
    ("pengantar-kerja", "sumber_tembusan_pak"): (
        "Belum ada di sumber (seed 002/003); daftar mengikuti seed 001 Bab IV E.3 (JF Analis Kebijakan) — periksa",
        "Belum terverifikasi: tembusan PAK JF Pengantar Kerja belum termuat dalam sumbernya (seed 002/003); "
        "daftar sementara — periksa",
    ),
    ("aks", "sumber_tembusan_pak"): (
        "Belum ada di sumber (seed 000); daftar mengikuti seed 001 Bab IV E.3 (JF Analis Kebijakan) — periksa",
        "Belum terverifikasi: tembusan PAK JF Analis Kerja Sama belum termuat dalam sumbernya (seed 000); "
        "daftar sementara — periksa",
    ),
}


def ganti(apps, schema_editor):
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for (kode, field), (lama, baru) in GANTI.items():
        JabatanFungsional.objects.using(db).filter(kode=kode, **{field: lama}).update(**{field: baru})


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0018_ak_tabel_per_jf_wajib"),
    ]

    operations = [migrations.RunPython(ganti, migrations.RunPython.noop)]
