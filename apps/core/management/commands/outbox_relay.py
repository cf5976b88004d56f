from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core import outbox


class Command(BaseCommand):
    help = "Publish committed outbox messages to the Celery broker (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Publish what is pending and exit.")
        parser.add_argument("--poll", type=float, default=2.0)
        parser.add_argument(
            "--hidup",
            action="store_true",
            help="Liveness probe: exit 0 if the running relay beat its heart recently, 1 otherwise.",
        )

    def handle(self, *args, once=False, poll=2.0, hidup=False, **options):
        if hidup:
            age = outbox.heart_age()
            limit = settings.SIAKS_RELAY_DETAK_MAKS_DETIK
            if age is None or age > limit:
                terakhir = "tidak ada" if age is None else f"{age:.0f} s lalu"
                raise CommandError(f"relay tidak berdenyut (detak terakhir: {terakhir})")
            self.stdout.write(f"relay hidup (detak {age:.0f} s lalu)")
            return
        if once:
            total = 0
            while n := outbox.relay_once():
                total += n
            self.stdout.write(f"{total} published")
            return
        outbox.relay_forever(poll_seconds=poll)
