"""Months counted twice in the AK ledgers written before the month rule (issue 19, commit 0b7fb86).

    manage.py koreksi_bulan_ganda                          # dry run: list, change nothing
    manage.py koreksi_bulan_ganda --terapkan [--oleh superadmin]

Every instansi (the ledgers of all of them, as the operator's other commands read them); each
holder is corrected in a transaction of its own, under the holder's lock. docs/operasi.md."""

from __future__ import annotations

import getpass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from apps.core import tenancy
from apps.core.format import format_ak
from apps.jabatan import bulan_ganda

ALASAN = "the operator corrects months counted twice in every instansi's AK ledger"


class Command(BaseCommand):
    help = "Cari (dan dengan --terapkan koreksi) bulan yang dikonversi dua kali di buku angka kredit."

    def add_arguments(self, parser):
        parser.add_argument(
            "--terapkan", action="store_true", help="Catat mutasi koreksi (bawaan: hanya laporan, tanpa perubahan)."
        )
        parser.add_argument("--oleh", default="", help="Akun portal yang tercatat sebagai pembuat koreksi.")

    def handle(self, *args, terapkan=False, oleh="", **options):
        from apps.accounts.models import User
        from apps.core.models import Instansi

        akun = None
        if oleh:
            akun = User.objects.filter(username=oleh).first()
            if akun is None:
                raise CommandError(f"Akun {oleh} tidak ditemukan.")
        dijalankan_oleh = f"{getpass.getuser()} (akun portal: {akun.username})" if akun else getpass.getuser()
        with tenancy.all_tenants(reason=ALASAN):
            temuan = bulan_ganda.temukan()
            kode = dict(Instansi.objects.filter(pk__in={t.instansi_id for t in temuan}).values_list("pk", "kode"))
            for t in temuan:
                self.stdout.write(
                    f"{kode.get(t.instansi_id, t.instansi_id)} | NIP {t.nip} {t.nama} | bulan ganda: {t.bulan_teks()} "
                    f"| konversi {t.baris_teks()} | {t.bulan_tercatat} → {t.bulan_benar} bulan "
                    f"| AK dikurangi {format_ak(t.dikurangi)}"
                )
            pejabat = sorted({t.pejabat_id for t in temuan})
            total = sum((t.dikurangi for t in temuan), Decimal(0))
            if not terapkan:
                self.stdout.write(
                    f"{len(pejabat)} pejabat, {len(temuan)} konversi menghitung bulan ganda, AK yang akan dikurangi "
                    f"{format_ak(total)}. Uji coba: tidak ada yang diubah; jalankan dengan --terapkan untuk mencatat "
                    "koreksinya."
                )
                return
            diterapkan = []
            for pid in pejabat:
                diterapkan.extend(bulan_ganda.koreksi_pejabat(pid, oleh=akun, dijalankan_oleh=dijalankan_oleh))
        self.stdout.write(
            f"{len({t.pejabat_id for t in diterapkan})} pejabat dikoreksi: {len(diterapkan)} mutasi koreksi, AK "
            f"dikurangi {format_ak(sum((t.dikurangi for t in diterapkan), Decimal(0)))}."
        )
