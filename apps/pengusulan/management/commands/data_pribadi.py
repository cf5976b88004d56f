"""The data subject's requests and the retention schedule (UU 27/2022 PDP), for the operator.

manage.py data_pribadi retensi                               # run the schedule now
manage.py data_pribadi ekspor --instansi KODE --nip NIP [--keluar berkas.json]
manage.py data_pribadi hapus  --instansi KODE --nip NIP      # refused where the law forbids
manage.py data_pribadi tahan|lepas --instansi KODE (--nip NIP | --usulan NOMOR) --alasan "..."
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.core import tenancy
from apps.pengusulan import retensi


class Command(BaseCommand):
    help = "Retention schedule, export and erasure of a pegawai's personal data, legal holds."

    def add_arguments(self, parser):
        parser.add_argument("aksi", choices=["retensi", "ekspor", "hapus", "tahan", "lepas"])
        parser.add_argument("--instansi", help="kode instansi")
        parser.add_argument("--nip")
        parser.add_argument("--usulan", help="nomor usulan (tahan/lepas)")
        parser.add_argument("--alasan", default="")
        parser.add_argument("--keluar", help="file for the export (default: stdout)")

    def handle(self, *args, aksi, instansi=None, nip=None, usulan=None, alasan="", keluar=None, **options):
        if aksi == "retensi":
            self.stdout.write(json.dumps(retensi.jalankan(), sort_keys=True))
            return
        obj = self._target(instansi, nip, usulan if aksi in {"tahan", "lepas"} else None)
        if aksi == "ekspor":
            text = json.dumps(retensi.ekspor_pegawai(obj), ensure_ascii=False, indent=2, default=str)
            if keluar:
                with open(keluar, "w", encoding="utf-8") as fh:
                    fh.write(text)
                self.stdout.write(f"ditulis ke {keluar}")
            else:
                self.stdout.write(text)
        elif aksi == "hapus":
            try:
                hasil = retensi.hapus_pegawai(obj)
            except ValidationError as exc:
                raise CommandError("Tidak dapat dihapus: " + " ".join(exc.messages)) from exc
            self.stdout.write(json.dumps(hasil, sort_keys=True))
        else:
            if not alasan:
                raise CommandError("--alasan wajib diisi")
            retensi.tahan(obj, aktif=aksi == "tahan", alasan=alasan)
            self.stdout.write(f"{aksi}: {obj}")

    def _target(self, kode, nip, nomor):
        from apps.core.models import Instansi
        from apps.pengusulan.models import Pegawai, Usulan

        with tenancy.all_tenants(reason="the operator names the record by instansi and NIP"):
            try:
                if nomor:
                    return Usulan.objects.get(nomor=nomor)
                if not (kode and nip):
                    raise CommandError("--instansi dan --nip wajib diisi")
                return Pegawai.objects.get(instansi=Instansi.objects.get(kode=kode), nip=nip.replace(" ", ""))
            except (Instansi.DoesNotExist, Pegawai.DoesNotExist, Usulan.DoesNotExist) as exc:
                raise CommandError("Data tidak ditemukan.") from exc
