"""Remove stored files that no document or letter row refers to.

A file is written to storage before its transaction commits; if the transaction then rolls back
(a failed check later in the request, a crash), the file stays without a row. Nobody can reach it
(downloads go through the rows), and this command removes such files once they are older than the
grace period (so an upload still in flight is never touched). Dry run unless --hapus."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan.models import Dokumen

PREFIXES = ("dokumen", "surat", "surat-ttd", "ekspor")


def _known() -> set[str]:
    from apps.rekap.models import Ekspor
    from apps.surat.models import VersiSurat

    known = set(Dokumen.objects.values_list("berkas", flat=True))
    known.update(b for b in Ekspor.objects.values_list("berkas", flat=True) if b)
    for berkas, ttd in VersiSurat.objects.values_list("berkas", "ttd_berkas"):
        known.update(x for x in (berkas, ttd) if x)
    return known


def _walk(path: str):
    dirs, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for d in dirs:
        yield from _walk(f"{path}/{d}")


def berkas_yatim(*, lebih_tua_dari: timedelta) -> list[str]:
    """Stored documents, letters and signed copies that no row refers to (older than the grace)."""
    with tenancy.all_tenants(reason="storage cleanup compares files with every instansi's rows"):
        dikenal = _known()
    batas = timezone.now() - lebih_tua_dari
    return [
        name
        for prefix in PREFIXES
        if default_storage.exists(prefix)
        for name in _walk(prefix)
        if name not in dikenal and default_storage.get_modified_time(name) < batas
    ]


class Command(BaseCommand):
    help = "List (or with --hapus remove) stored document files that no row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--hapus", action="store_true", help="Remove them (default: only list).")
        parser.add_argument("--jam", type=int, default=6, help="Grace period in hours (default 6).")

    def handle(self, *args, hapus=False, jam=6, **options):
        yatim = berkas_yatim(lebih_tua_dari=timedelta(hours=jam))
        for name in yatim:
            if hapus:
                default_storage.delete(name)
            self.stdout.write(f"{'dihapus' if hapus else 'yatim'}: {name}")
        self.stdout.write(f"{len(yatim)} berkas yatim{' dihapus' if hapus else ''}.")
