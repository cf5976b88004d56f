from django.core.management.base import BaseCommand

from apps.core import outbox


class Command(BaseCommand):
    help = "Publish committed outbox messages to the Celery broker (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Publish what is pending and exit.")
        parser.add_argument("--poll", type=float, default=2.0)

    def handle(self, *args, once=False, poll=2.0, **options):
        if once:
            total = 0
            while n := outbox.relay_once():
                total += n
            self.stdout.write(f"{total} published")
            return
        from apps.core import metrik

        metrik.mulai_server_http()  # SIAKS_METRICS_PORT: publish errors and published counts
        outbox.relay_forever(poll_seconds=poll)
