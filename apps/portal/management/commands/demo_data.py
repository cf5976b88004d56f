"""Demo data: pembina and pengguna instansi with one user per role. Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts import services as account_services
from apps.accounts.models import Role, User
from apps.core.models import Instansi

INSTANSI = [
    # kode, nama, jenis, pembina, parent
    ("KEMENSETNEG", "Kementerian Sekretariat Negara", Instansi.Jenis.KEMENTERIAN, True, None),
    ("KEMNAKER", "Kementerian Ketenagakerjaan", Instansi.Jenis.KEMENTERIAN, True, None),
    ("LAN", "Lembaga Administrasi Negara", Instansi.Jenis.LEMBAGA, True, None),
    ("KEMENHUB", "Kementerian Perhubungan", Instansi.Jenis.KEMENTERIAN, False, None),
    ("PROV-JABAR", "Pemerintah Provinsi Jawa Barat", Instansi.Jenis.PROVINSI, False, None),
    ("KOTA-BANDUNG", "Pemerintah Kota Bandung", Instansi.Jenis.KOTA, False, "PROV-JABAR"),
]

# Kota kedudukan: the SK's "Ditetapkan di".
KOTA = {"PROV-JABAR": "Bandung", "KOTA-BANDUNG": "Bandung"}

# username, full name, instansi kode, roles
USERS = [
    ("admin.setneg", "Andri Kurniawan", "KEMENSETNEG", [Role.ADMIN_PEMBINA]),
    ("verifikator.setneg", "Wendy Emaliana", "KEMENSETNEG", [Role.VERIFIKATOR]),
    ("ketua.setneg", "Ricka Rosita", "KEMENSETNEG", [Role.KETUA_TIM, Role.PENILAI]),
    ("penilai1.setneg", "Budi Santoso", "KEMENSETNEG", [Role.PENILAI]),
    ("penilai2.setneg", "Siti Rahmawati", "KEMENSETNEG", [Role.PENILAI]),
    # JF Pengantar Kerja (pembina Kemnaker) ships with its full competency standard (seed 002).
    ("admin.kemnaker", "Rahmat Hidayat", "KEMNAKER", [Role.ADMIN_PEMBINA]),
    ("verifikator.kemnaker", "Lina Marlina", "KEMNAKER", [Role.VERIFIKATOR]),
    ("ketua.kemnaker", "Joko Susilo", "KEMNAKER", [Role.KETUA_TIM, Role.PENILAI]),
    ("penilai1.kemnaker", "Maya Sari", "KEMNAKER", [Role.PENILAI]),
    ("penilai2.kemnaker", "Agus Salim", "KEMNAKER", [Role.PENILAI]),
    ("pic.kemenhub", "Dewi Lestari", "KEMENHUB", [Role.PIC_INSTANSI]),
    ("ppk.kemenhub", "Hendra Gunawan", "KEMENHUB", [Role.PPK]),
    ("pic.jabar", "Asep Sunandar", "PROV-JABAR", [Role.PIC_INSTANSI]),
    ("ppk.jabar", "Rina Marlina", "PROV-JABAR", [Role.PPK]),
    ("pic.bandung", "Yusuf Maulana", "KOTA-BANDUNG", [Role.PIC_INSTANSI]),
    ("ppk.bandung", "Nining Suryani", "KOTA-BANDUNG", [Role.PPK]),
]


DEMO_SUMBER = " [dikonfirmasi oleh data demo, bukan nilai resmi]"


def konfirmasi_ak_demo() -> int:
    """Mark the unverified AK reference rows verified for the demo (audited, sumber says so):
    rekomendasi and SK refuse an AK built on an unverified row, and the demo walks to an SK."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Left

    from apps.core import audit
    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    total = 0
    for model in (NilaiPenyesuaianAK, AKDasar):
        rows = model.objects.filter(terverifikasi=False)
        n = rows.update(terverifikasi=True, sumber=Left(Concat("sumber", Value(DEMO_SUMBER)), 250))
        if n:
            audit.record(
                "referensi.ak_demo_dikonfirmasi",
                message=f"{model._meta.verbose_name_plural}: {n} baris dikonfirmasi oleh data demo",
                data={"jf": "*", "baris": n},
            )
        total += n
    return total


class Command(BaseCommand):
    help = "Create (or complete) the demo instansi and users. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true")

    @transaction.atomic
    def handle(self, *args, print_logins=False, **options):
        password = settings.SIAKS_DEMO_PASSWORD
        instansi = {}
        for kode, nama, jenis, pembina, parent in INSTANSI:
            instansi[kode], _ = Instansi.objects.update_or_create(
                kode=kode,
                defaults={
                    "nama": nama,
                    "jenis": jenis,
                    "is_pembina": pembina,
                    "parent": instansi.get(parent),
                    "kota": KOTA.get(kode, "Jakarta"),
                },
            )
        created = 0
        logins = [("superadmin", "superadmin")]
        if not User.objects.filter(username="superadmin").exists():
            account_services.user_create(
                username="superadmin",
                nama_lengkap="Superadmin Platform",
                email="superadmin@demo.siaks.go.id",
                instansi=None,
                password=password,
                is_superuser=True,
            )
            created += 1
        for username, nama, kode, roles in USERS:
            logins.append((username, ", ".join(r.value for r in roles)))
            if User.objects.filter(username=username).exists():
                continue
            account_services.user_create(
                username=username,
                nama_lengkap=nama,
                email=f"{username}@demo.siaks.go.id",
                instansi=instansi[kode],
                roles=roles,
                password=password,
            )
            created += 1
        self.stdout.write(f"Data demo siap: {len(instansi)} instansi, {created} pengguna baru.")
        dikonfirmasi = konfirmasi_ak_demo()
        if dikonfirmasi:
            self.stdout.write(
                self.style.WARNING(
                    f"Data demo: {dikonfirmasi} baris tabel angka kredit (tabel penyesuaian dan AK Dasar) ditandai "
                    "terverifikasi agar alur demo dapat sampai SK. Nilainya sementara, BUKAN nilai resmi "
                    "PerBKN 3/2023; jangan jalankan demo_data pada data produksi."
                )
            )
        if print_logins:
            self.stdout.write(self.style.SUCCESS(f"\nAkun demo (kata sandi untuk semua: {password}):"))
            for username, roles in logins:
                self.stdout.write(f"  {username:<22} {roles}")
