from django.core.management.base import BaseCommand

from apps.referensi.loader import load_all


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (golongan, AK tables, JF AKS / Pengantar Kerja / "
        "Analis Kebijakan); only what is missing."
    )

    def handle(self, *args, **options):
        created = load_all()
        self.stdout.write(
            f"Referensi: {created['golongan']} golongan, {created['ak']} baris AK, {created['jf']} JF baru."
        )
