"""Set an issuer's paraf chain for one letter type (replaces the previous one).

    manage.py ttd_alur --instansi KEMENHUB --jenis sk --paraf "kabag.kemenhub=Kabag Kepegawaian" \\
        --paraf "karo.kemenhub=Kepala Biro SDM"

No ``--paraf``: the chain is switched off (the signer signs without paraf)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.core import tenancy
from apps.surat.models import JenisSurat


class Command(BaseCommand):
    help = "Atur alur paraf (konseptor → paraf … → penanda tangan) per instansi dan jenis surat."

    def add_arguments(self, parser):
        parser.add_argument("--instansi", required=True)
        parser.add_argument("--jenis", required=True, choices=JenisSurat.values)
        parser.add_argument("--paraf", action="append", default=[], help="username=sebutan, berurutan")

    def handle(self, *args, **o):
        from apps.accounts.models import User
        from apps.core.models import Instansi
        from apps.ttd.models import AlurParaf, LangkahParaf

        instansi = Instansi.objects.filter(kode=o["instansi"]).first()
        if instansi is None:
            raise CommandError("Instansi tidak ditemukan.")
        langkah = []
        for item in o["paraf"]:
            username, _sep, sebutan = item.partition("=")
            if not username.strip() or not sebutan.strip():
                raise CommandError(
                    f'Paraf "{item}": tulis akun dan sebutannya, mis. "kabag.kemenhub=Kabag Kepegawaian".'
                )
            user = User.objects.filter(username=username.strip()).first()
            if user is None:
                raise CommandError(f"Akun {username} tidak ditemukan.")
            langkah.append((user, sebutan.strip()))
        with tenancy.all_tenants(reason="operator sets a paraf chain"), transaction.atomic():
            alur, _c = AlurParaf.objects.get_or_create(instansi=instansi, jenis=o["jenis"])
            alur.langkah.all().delete()
            for i, (user, sebutan) in enumerate(langkah, start=1):
                LangkahParaf.objects.create(instansi=instansi, alur=alur, urutan=i, user=user, sebutan=sebutan)
            alur.aktif = bool(langkah)
            alur.save(update_fields=["aktif"])
        self.stdout.write(f"Alur paraf {o['jenis']} {instansi.kode}: {len(langkah)} langkah.")
