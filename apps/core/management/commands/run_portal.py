"""``make run``: migrate, load demo data, then run the portal with its background processes.

Starts ``runserver`` on 127.0.0.1:8000, a Celery worker, Celery beat and the outbox relay;
Ctrl-C stops them all and then the embedded PostgreSQL and Redis (unless --keep-servers)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from siaks import embedded


class Command(BaseCommand):
    help = "Run the portal with demo data, Celery worker and beat, and the outbox relay."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--keep-servers", action="store_true")
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args, addrport, keep_servers, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrasi basis data selesai.")
        if _has_command("load_referensi"):
            call_command("load_referensi", verbosity=0)
        if not no_demo:
            call_command("demo_data", print_logins=settings.DEBUG)
        python = sys.executable
        data = embedded.data_dir()
        data.mkdir(parents=True, exist_ok=True)
        celery = [python, "-m", "celery", "-A", "siaks"]
        commands = {
            "web": [python, "manage.py", "runserver", addrport, "--noreload"],
            "worker": [*celery, "worker", "-l", "INFO", "-c", "2", "-Q", "default,pdf,mail,ttd"],
            "beat": [*celery, "beat", "-l", "INFO", "-s", str(data / "celerybeat-schedule")],
            "relay": [python, "manage.py", "outbox_relay"],
        }
        procs = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.stdout.write(self.style.SUCCESS(f"\nSIAKS berjalan di http://{addrport}/  (Ctrl-C untuk berhenti)"))
        stopping = False

        def _stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        try:
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"proses {name} berhenti (kode {proc.returncode}); menghentikan semua")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if not keep_servers:
                if settings.EMBEDDED_POSTGRES:
                    embedded.stop_postgres()
                if settings.EMBEDDED_REDIS:
                    embedded.stop_redis()
                self.stdout.write("PostgreSQL dan Redis bawaan dihentikan.")


def _has_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()
