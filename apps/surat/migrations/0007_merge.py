# Merges the two 0006 leaves (the longer correction reason; the issuing Tim Penilai AK's instansi).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surat", "0006_alasan_perbaikan_panjang"),
        ("surat", "0006_instansi_penilai"),
    ]

    operations = []
