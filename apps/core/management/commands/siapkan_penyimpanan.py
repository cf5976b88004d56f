"""Create the S3 bucket the storage needs if it is missing (docker-compose's `bucket` step).

Idempotent: an existing bucket is left as it is. With filesystem storage it only makes sure
the media folder exists."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the storage bucket (S3) or media folder if it does not exist yet."

    def handle(self, *args, **options):
        backend = settings.STORAGES["default"]["BACKEND"]
        if backend.endswith("S3Storage"):
            from botocore.exceptions import ClientError

            bucket = default_storage.bucket
            client = default_storage.connection.meta.client
            try:
                client.head_bucket(Bucket=bucket.name)
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code not in {"404", "NoSuchBucket", "NotFound"}:
                    raise CommandError(f"bucket {bucket.name}: {exc}") from exc
                client.create_bucket(Bucket=bucket.name)
                self.stdout.write(f"bucket {bucket.name} dibuat")
                return
            self.stdout.write(f"bucket {bucket.name} sudah ada")
            return
        location = settings.STORAGES["default"].get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT
        from pathlib import Path

        Path(location).mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"folder media {location} siap")
