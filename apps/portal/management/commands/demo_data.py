"""Demo data: pembina and pengguna instansi with one user per role. Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

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
    # A JF holder who logs in (issue 19): sees only their own record, AK ledger and letters.
    ("pejabat.kemenhub", "Sri Wahyuni, S.Sos.", "KEMENHUB", [Role.PEJABAT_FUNGSIONAL]),
    # The central Tim Penilai angka kredit of JF Pengantar Kerja and its sekretariat (issue 19).
    ("ketua.ak.kemnaker", "Bambang Wijaya", "KEMNAKER", [Role.PENILAI_AK]),
    ("penilai1.ak.kemnaker", "Dian Puspita", "KEMNAKER", [Role.PENILAI_AK]),
    ("penilai2.ak.kemnaker", "Eko Prasetyo", "KEMNAKER", [Role.PENILAI_AK]),
    ("penilai3.ak.kemnaker", "Gita Permatasari", "KEMNAKER", [Role.PENILAI_AK]),
    ("penilai4.ak.kemnaker", "Hadi Kusuma", "KEMNAKER", [Role.PENILAI_AK]),
    ("sekretariat.ak.kemnaker", "Fitri Handayani", "KEMNAKER", [Role.SEKRETARIAT_TIM]),
]

# NIPs of the demo accounts that sign with theirs: the ketua of the Tim Penilai AK signs the
# HAPAK's covering letter over his NIP (seed 001 BAB IV E.4.a).
NIP = {
    "ketua.ak.kemnaker": "197506172000031001",
    "penilai1.ak.kemnaker": "198003212005012002",
    "penilai2.ak.kemnaker": "198207152006041003",
    "penilai3.ak.kemnaker": "198411092008012004",
    "penilai4.ak.kemnaker": "198602282010121005",
}

# The demo holder's record (imported: in the JF before the portal), linked to that login.
DEMO_PEJABAT = {
    "username": "pejabat.kemenhub", "jf": "pengantar-kerja", "jenjang": "ahli_pertama", "nip": "199203152019032001",
    "golongan": "III/a", "tmt": "2024-01-01", "unit_kerja": "Biro Sumber Daya Manusia",
    # AK awal, then the konversi of 2024 (Baik, 100 %) and 2025 (Sangat Baik, 150 %) at 12,5 a year.
    "mutasi": [
        ("awal", "25.00", "", None), ("konversi", "12.50", "baik", "2024"),
        ("konversi", "18.75", "sangat_baik", "2025"),
    ],
}  # fmt: skip


DEMO_SUMBER = " [dikonfirmasi untuk demo, bukan nilai resmi]"
DEMO_SUMBER_LAMA = " [dikonfirmasi oleh data demo, bukan nilai resmi]"
#: The AK rows the demo walks on (a pegawai III/a–III/d, S1/D-IV or S2, as the demo and its UI
#: journeys enter them), confirmed in every JF's own tables so that ``make run`` reaches an SK. Every
#: other row stays "belum terverifikasi", as the pages show.
DEMO_AK_GOLONGAN = ("III/a", "III/b", "III/c", "III/d")
DEMO_AK_PENDIDIKAN = ("s1", "s2")


def konfirmasi_ak_demo() -> int:
    """Mark verified, for the demo, only the unverified AK rows the demo needs (audited per JF, the
    row's sumber says "dikonfirmasi untuk demo"): rekomendasi and SK refuse an AK built on an
    unverified row, and the demo walks to an SK. Returns the number of rows confirmed."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Left

    from apps.core import audit
    from apps.referensi.models import AKDasar, JabatanFungsional, NilaiPenyesuaianAK

    total = 0
    for model in (NilaiPenyesuaianAK, AKDasar):
        # An older demo confirmed every row ("[dikonfirmasi oleh data demo ..."): a row outside the
        # demo's set that no admin pembina has confirmed since goes back to "belum terverifikasi".
        lama = model.objects.filter(
            terverifikasi=True, diverifikasi_oleh__isnull=True, sumber__contains=DEMO_SUMBER_LAMA
        )
        for row in lama.select_related("golongan"):
            dipakai = row.golongan.kode in DEMO_AK_GOLONGAN and getattr(row, "pendidikan", "s1") in DEMO_AK_PENDIDIKAN
            row.sumber = row.sumber.replace(DEMO_SUMBER_LAMA, "" if not dipakai else DEMO_SUMBER)
            row.terverifikasi = dipakai
            row.save(update_fields=["sumber", "terverifikasi"])
    for jf in JabatanFungsional.objects.select_related("instansi_pembina").order_by("pk"):
        for model, extra in (
            (NilaiPenyesuaianAK, {"pendidikan__in": DEMO_AK_PENDIDIKAN}),
            (AKDasar, {}),
        ):
            rows = model.objects.filter(jf=jf, terverifikasi=False, golongan__kode__in=DEMO_AK_GOLONGAN, **extra)
            n = rows.update(terverifikasi=True, sumber=Left(Concat("sumber", Value(DEMO_SUMBER)), 250))
            if n:
                audit.record(
                    "referensi.ak_demo_dikonfirmasi",
                    instansi=jf.instansi_pembina_id,
                    jf=jf.pk,
                    message=f"{jf.nama}, {model._meta.verbose_name_plural}: {n} baris dikonfirmasi untuk demo "
                    f"(golongan {', '.join(DEMO_AK_GOLONGAN)})",
                    data={"jf": jf.kode, "baris": n, "golongan": list(DEMO_AK_GOLONGAN)},
                )
            total += n
    return total


def demo_pejabat(instansi) -> None:
    """The demo holder's record and ledger, linked to their login (once the JF's reference data
    is loaded; ``make run`` loads it first). Safe to run again."""
    from datetime import date
    from decimal import Decimal

    from apps.core import tenancy
    from apps.jabatan.models import MutasiAK, PejabatFungsional
    from apps.jabatan.services import mutasi_tambah
    from apps.referensi.models import Golongan, JabatanFungsional, Jenjang

    d = DEMO_PEJABAT
    jf = JabatanFungsional.objects.filter(kode=d["jf"]).first()
    user = User.objects.filter(username=d["username"]).first()
    if jf is None or user is None:
        return
    jenjang = Jenjang.objects.get(jf=jf, kode=d["jenjang"])
    tmt = date.fromisoformat(d["tmt"])
    with tenancy.scope(instansi):
        pejabat, _ = PejabatFungsional.objects.get_or_create(
            instansi=instansi, jf=jf, nip=d["nip"],
            defaults={
                "jenjang": jenjang, "nama": user.nama_lengkap, "kelas_jabatan": jenjang.kelas_jabatan,
                "tmt_jabatan": tmt, "golongan": Golongan.objects.get(kode=d["golongan"]), "tmt_golongan": tmt,
                "unit_kerja": d["unit_kerja"], "sumber": "impor", "user": user,
            },
        )  # fmt: skip
        if MutasiAK.objects.filter(pejabat=pejabat).exists():
            return
        for jenis, nilai, predikat, tahun in d["mutasi"]:
            mulai = date(int(tahun), 1, 1) if tahun else tmt
            mutasi_tambah(
                pejabat, jenis, Decimal(nilai), oleh=None, periode_mulai=mulai,
                periode_selesai=date(int(tahun), 12, 31) if tahun else None, predikat=predikat,
                persentase=Decimal({"baik": 100, "sangat_baik": 150}.get(predikat, 0)) if predikat else None,
                koefisien=jenjang.koefisien_ak if predikat else None, bulan=12 if predikat else None,
                keterangan="Data demo" + (f": konversi predikat {tahun}" if tahun else ": AK awal (impor)"),
            )  # fmt: skip


def demo_tim_ak(kemnaker) -> None:
    """The central Tim Penilai angka kredit of JF Pengantar Kerja and its sekretariat, for a
    three-year term from this year (once the JF exists), formed by the JF's admin pembina through
    the same service and rules as the team form (``apps.penetapan.pembentukan``, seed 001 BAB II):
    ketua, sekretaris and three members (the pusat team's minimum), two of them certified."""
    from datetime import date

    from apps.core import tenancy
    from apps.penetapan import pembentukan
    from apps.penetapan.models import TimPenilaiAK
    from apps.referensi.models import JabatanFungsional

    jf = JabatanFungsional.objects.filter(kode="pengantar-kerja").first()
    admin = User.objects.filter(username="admin.kemnaker").first()
    if jf is None or admin is None:
        return
    tahun = timezone.localdate().year
    with tenancy.activate(tenancy.scope_for_user(admin)):
        if TimPenilaiAK.objects.filter(instansi=kemnaker, jf=jf).exists():
            return
        anggota = [
            (User.objects.get(username=username), peran, bersertifikat)
            for username, peran, bersertifikat in (
                ("ketua.ak.kemnaker", "ketua", True),
                ("penilai1.ak.kemnaker", "sekretaris", True),
                ("penilai2.ak.kemnaker", "anggota", False),
                ("penilai3.ak.kemnaker", "anggota", False),
                ("penilai4.ak.kemnaker", "anggota", False),
            )
        ]
        pembentukan.tim_bentuk(
            actor=admin, jf=jf, nama="Tim Penilai Pusat JF Pengantar Kerja", mulai=date(tahun, 1, 1),
            anggota=anggota, sekretariat=[User.objects.get(username="sekretariat.ak.kemnaker")],
            nomor_sk=f"KEP.001/PK/{tahun}",
        )  # fmt: skip


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
                nip=NIP.get(username, ""),
            )
            created += 1
        demo_pejabat(instansi["KEMENHUB"])
        demo_tim_ak(instansi["KEMNAKER"])
        self.stdout.write(f"Data demo siap: {len(instansi)} instansi, {created} pengguna baru.")
        dikonfirmasi = konfirmasi_ak_demo()
        if dikonfirmasi:
            self.stdout.write(
                self.style.WARNING(
                    f"Data demo: {dikonfirmasi} baris tabel angka kredit (tabel penyesuaian dan AK Dasar golongan "
                    f'{", ".join(DEMO_AK_GOLONGAN)}) ditandai terverifikasi ("dikonfirmasi untuk demo") agar alur '
                    "demo dapat sampai SK; baris lain tetap belum terverifikasi. Nilainya sementara, BUKAN nilai "
                    "resmi PerBKN 3/2023; jangan jalankan demo_data pada data produksi."
                )
            )
        if print_logins:
            self.stdout.write(self.style.SUCCESS(f"\nAkun demo (kata sandi untuk semua: {password}):"))
            for username, roles in logins:
                self.stdout.write(f"  {username:<22} {roles}")
