from django.core.management.base import BaseCommand

from siaks import embedded


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL and Redis (used when DATABASE_URL/REDIS_URL are unset)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"], nargs="?", default="status")

    def handle(self, *args, action, **options):
        embedded.main([action])
