from django.core.management.base import BaseCommand

from apps.core import tenancy
from apps.rekap.services import rekap_bangun_ulang


class Command(BaseCommand):
    help = "Hitung ulang rekap usulan dari tabel usulan (setelah muat massal atau untuk perbaikan)."

    def handle(self, *args, **options):
        from django.db import transaction

        reason = "the national aggregates are rebuilt from every instansi's usulan"
        with tenancy.all_tenants(reason=reason), transaction.atomic():
            n = rekap_bangun_ulang()
        self.stdout.write(f"{n} baris rekap dibangun ulang.")
