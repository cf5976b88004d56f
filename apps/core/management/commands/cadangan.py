"""Back up or restore the database and the stored files.

    manage.py cadangan buat /srv/cadangan/2026-11-24
    manage.py cadangan pulihkan /srv/cadangan/2026-11-24      # into an EMPTY database and storage
    manage.py cadangan periksa                                # every row's file present, sha256 equal

``pulihkan`` targets the configured database and storage (point DATABASE_URL / the bucket at the
new, empty instance first); see docs/keamanan.md for the runbook."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from apps.core import backup, tenancy


def rows_with_sha256() -> list[tuple[str, str]]:
    """(file name, sha256) of every stored file whose model declares ``berkas_sidik``
    ({file field: sha256 field}); core names no app's model."""
    rows: list[tuple[str, str]] = []
    with tenancy.all_tenants(reason="backup verification reads every instansi's file records"):
        for model in apps.get_models():
            for berkas, sidik in getattr(model, "berkas_sidik", {}).items():
                rows += model.objects.exclude(**{berkas: ""}).values_list(berkas, sidik)
    return rows


class Command(BaseCommand):
    help = "Cadangkan / pulihkan basis data dan berkas (buat, pulihkan, periksa)."

    def add_arguments(self, parser):
        parser.add_argument("aksi", choices=["buat", "pulihkan", "periksa"])
        parser.add_argument("folder", nargs="?")

    def handle(self, *args, aksi, folder=None, **options):
        try:
            if aksi == "buat":
                if not folder:
                    raise CommandError("sebutkan folder cadangan")
                hasil = backup.buat(Path(folder))
                self.stdout.write(
                    f"cadangan dibuat di {hasil.folder}: {hasil.berkas} berkas, db {hasil.ukuran_db} byte"
                )
            elif aksi == "pulihkan":
                if not folder:
                    raise CommandError("sebutkan folder cadangan")
                db = settings.DATABASES[settings.MIGRATION_DATABASE]
                hasil = backup.pulihkan(Path(folder), db=db, storage=default_storage)
                self.stdout.write(f"dipulihkan: {hasil.berkas} berkas")
                aksi = "periksa"
            if aksi == "periksa":
                problems = backup.periksa(default_storage, rows_with_sha256())
                for p in problems:
                    self.stderr.write(p)
                if problems:
                    raise CommandError(f"{len(problems)} berkas bermasalah")
                self.stdout.write("semua berkas ada dan sha256-nya cocok")
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
