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
    # JF Analis Kebijakan (pembina LAN) lets its holders submit their own usulan penetapan AK
    # (seed 001 BAB IV B): its admin pembina, its central Tim Penilai AK and sekretariat, and a
    # holder of Pemprov Jawa Barat with a login, so the self-submission can be walked.
    ("admin.lan", "Nurul Fadilah", "LAN", [Role.ADMIN_PEMBINA]),
    ("ketua.ak.lan", "Irfan Maulana", "LAN", [Role.PENILAI_AK]),
    ("penilai1.ak.lan", "Kartika Dewi", "LAN", [Role.PENILAI_AK]),
    ("penilai2.ak.lan", "Lukman Hakim", "LAN", [Role.PENILAI_AK]),
    ("penilai3.ak.lan", "Mega Utami", "LAN", [Role.PENILAI_AK]),
    ("penilai4.ak.lan", "Nanda Pratama", "LAN", [Role.PENILAI_AK]),
    ("sekretariat.ak.lan", "Oktaviani Putri", "LAN", [Role.SEKRETARIAT_TIM]),
    ("analis.jabar", "Rudi Hartono, S.IP.", "PROV-JABAR", [Role.PEJABAT_FUNGSIONAL]),
    # LAN's Tim Penilai for the uji kompetensi of JF Analis Kebijakan (the kenaikan jenjang's, and
    # the inpassing's): a ketua and two penilai, pangkat IV (above every jenjang they assess).
    ("ketua.lan", "Putri Anggraeni", "LAN", [Role.KETUA_TIM, Role.PENILAI]),
    ("penilai1.lan", "Qori Ramadhan", "LAN", [Role.PENILAI]),
    ("penilai2.lan", "Sinta Widuri", "LAN", [Role.PENILAI]),
]

# NIPs of the demo accounts that sign with theirs: the ketua of the Tim Penilai AK signs the
# HAPAK's covering letter over his NIP (seed 001 BAB IV E.4.a).
NIP = {
    "ketua.ak.kemnaker": "197506172000031001",
    "penilai1.ak.kemnaker": "198003212005012002",
    "penilai2.ak.kemnaker": "198207152006041003",
    "penilai3.ak.kemnaker": "198411092008012004",
    "penilai4.ak.kemnaker": "198602282010121005",
    "ketua.ak.lan": "197408192001121001",
    "penilai1.ak.lan": "198105052006042002",
    "penilai2.ak.lan": "198309232009011003",
    "penilai3.ak.lan": "198512012010122004",
    "penilai4.ak.lan": "198707302011011005",
    # They sign the berita acara of the sidang over their NIPs.
    "ketua.lan": "197203142000032001",
    "penilai1.lan": "197611282002121002",
    "penilai2.lan": "197905062004122003",
}

#: The demo Tim Penilai of the uji kompetensi of JF Analis Kebijakan (pembina LAN): username,
#: peran, bersertifikat, golongan. Seed 001: an odd number, one ketua and one sekretaris, at least
#: two certified; a member's pangkat at least the assessed one (IV/c: above Ahli Madya's range).
TIM_UJI_LAN = [
    ("ketua.lan", "ketua", True, "IV/d"),
    ("penilai1.lan", "sekretaris", True, "IV/c"),
    ("penilai2.lan", "anggota", False, "IV/c"),
]

# The demo holder's record (imported: in the JF before the portal), linked to that login.
DEMO_PEJABAT = {
    "username": "pejabat.kemenhub", "jf": "pengantar-kerja", "jenjang": "ahli_pertama", "nip": "199203152019032001",
    # In the JF since 1 January two years before the demo's year (``tahun`` below: years counted
    # back from the day demo_data runs, so no date is ever in the future): the AK awal at that TMT,
    # then the konversi of the two full years since (Baik, 100 %; Sangat Baik, 150 %) at 12,5 a
    # year — the last one ended before the demo's day, and the PAK of the demo walk comes after.
    "golongan": "III/a", "tahun_tmt": -2, "unit_kerja": "Biro Sumber Daya Manusia", "tempat_lahir": "Surabaya",
    "mutasi": [
        ("awal", "25.00", "", None), ("konversi", "12.50", "baik", -2),
        ("konversi", "18.75", "sangat_baik", -1),
    ],
}  # fmt: skip

# The JF Analis Kebijakan holder who submits their own usulan penetapan AK (the JF allows it):
# 25 + 12,5 + 18,75 = 56,25 AK, past the 50 of Ahli Pertama's next pangkat — the walk ends in a PAK.
DEMO_PEJABAT_JFAK = {
    "username": "analis.jabar", "jf": "analis-kebijakan", "jenjang": "ahli_pertama", "nip": "199005122015031002",
    "golongan": "III/a", "tahun_tmt": -2, "unit_kerja": "Biro Organisasi Sekretariat Daerah",
    "tempat_lahir": "Bandung", "mutasi": DEMO_PEJABAT["mutasi"],
}  # fmt: skip

# Seed 001 BAB IV C, Tabel 1 (JFAK): (kode, nama, bulan pengajuan, hari 1-7, bulan PAK, bulan
# kenaikan pangkat). A third, demo-only period opens in the month ``demo_data`` runs (the whole
# month), so that the self-submission can be walked on the demo's date; its sumber says so. Its
# PAK month is that same month (the demo's PAK is issued on the demo's date: a PAK month three
# months on, as seed 001's, would have the letter dated before its own period's PAK month, or in
# the future), and kenaikan pangkat three months after the PAK, as in seed 001.
# The periods carry the names of Tabel 1 itself: "I" (first week of October → PAK January →
# kenaikan pangkat April) and "IV" (first week of April → July → October), not I/II.
PERIODE_JFAK = [
    ("I", "Periode I", 10, 1, 7, 1, 4),
    ("IV", "Periode IV", 4, 1, 7, 7, 10),
]
#: Names an older demo gave these periods (kode, nama) → the seed's (issue 19 F9): renamed on the
#: next ``demo_data`` run.
PERIODE_JFAK_LAMA = {
    ("I", "Periode I (Oktober)"): ("I", "Periode I"),
    ("II", "Periode II (April)"): ("IV", "Periode IV"),
}
SUMBER_PERIODE = "Rancangan Peraturan Kepala LAN tentang Tata Kerja Tim Penilai JFAK, Bab IV C, Tabel 1"


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


def demo_pejabat(instansi, d=None) -> None:
    """A demo holder's record and ledger (``DEMO_PEJABAT`` by default), linked to their login
    (once the JF's reference data is loaded; ``make run`` loads it first). Safe to run again."""
    from datetime import date
    from decimal import Decimal

    from apps.core import tenancy
    from apps.jabatan.models import MutasiAK, PejabatFungsional
    from apps.jabatan.services import mutasi_tambah
    from apps.referensi.models import Golongan, JabatanFungsional, Jenjang

    d = d or DEMO_PEJABAT
    jf = JabatanFungsional.objects.filter(kode=d["jf"]).first()
    user = User.objects.filter(username=d["username"]).first()
    if jf is None or user is None:
        return
    jenjang = Jenjang.objects.get(jf=jf, kode=d["jenjang"])
    ini = timezone.localdate().year
    tmt = date(ini + d["tahun_tmt"], 1, 1)
    with tenancy.scope(instansi):
        pejabat, _ = PejabatFungsional.objects.get_or_create(
            instansi=instansi, jf=jf, nip=d["nip"],
            defaults={
                "jenjang": jenjang, "nama": user.nama_lengkap, "kelas_jabatan": jenjang.kelas_jabatan,
                "tmt_jabatan": tmt, "golongan": Golongan.objects.get(kode=d["golongan"]), "tmt_golongan": tmt,
                "unit_kerja": d["unit_kerja"], "tempat_lahir": d["tempat_lahir"], "sumber": "impor", "user": user,
            },
        )  # fmt: skip
        if not pejabat.tempat_lahir:  # a holder from a demo run before the record had a tempat lahir
            PejabatFungsional.objects.filter(pk=pejabat.pk).update(tempat_lahir=d["tempat_lahir"])
        if MutasiAK.objects.filter(pejabat=pejabat).exists():
            return
        for jenis, nilai, predikat, selisih in d["mutasi"]:
            tahun = ini + selisih if selisih else None
            mulai = date(tahun, 1, 1) if tahun else tmt
            mutasi_tambah(
                pejabat, jenis, Decimal(nilai), oleh=None, periode_mulai=mulai,
                periode_selesai=date(tahun, 12, 31) if tahun else None, predikat=predikat,
                persentase=Decimal({"baik": 100, "sangat_baik": 150}.get(predikat, 0)) if predikat else None,
                koefisien=jenjang.koefisien_ak if predikat else None, bulan=12 if predikat else None,
                keterangan="Data demo" + (f": konversi predikat {tahun}" if tahun else ": AK awal (impor)"),
            )  # fmt: skip


def demo_tim_ak(pembina, jf_kode="pengantar-kerja", akhiran="kemnaker", nama="Tim Penilai Pusat JF Pengantar Kerja",
                nomor_sk="KEP.001/PK/{tahun}") -> None:  # fmt: skip
    """The central Tim Penilai angka kredit of a JF (Pengantar Kerja by default) and its
    sekretariat, for a three-year term from this year (once the JF exists), formed by the JF's
    admin pembina ``admin.<akhiran>`` through the same service and rules as the team form
    (``apps.penetapan.pembentukan``, seed 001 BAB II): ketua, sekretaris and three members (the
    pusat team's minimum), two of them certified."""
    from datetime import date

    from apps.core import tenancy
    from apps.penetapan import pembentukan
    from apps.penetapan.models import TimPenilaiAK
    from apps.referensi.models import JabatanFungsional

    jf = JabatanFungsional.objects.filter(kode=jf_kode).first()
    admin = User.objects.filter(username=f"admin.{akhiran}").first()
    if jf is None or admin is None:
        return
    tahun = timezone.localdate().year
    with tenancy.activate(tenancy.scope_for_user(admin)):
        if TimPenilaiAK.objects.filter(instansi=pembina, jf=jf).exists():
            return
        anggota = [
            (User.objects.get(username=f"{username}.ak.{akhiran}"), peran, bersertifikat)
            for username, peran, bersertifikat in (
                ("ketua", "ketua", True),
                ("penilai1", "sekretaris", True),
                ("penilai2", "anggota", False),
                ("penilai3", "anggota", False),
                ("penilai4", "anggota", False),
            )
        ]
        pembentukan.tim_bentuk(
            actor=admin, jf=jf, nama=nama, mulai=date(tahun, 1, 1),
            anggota=anggota, sekretariat=[User.objects.get(username=f"sekretariat.ak.{akhiran}")],
            nomor_sk=nomor_sk.format(tahun=tahun),
        )  # fmt: skip


def demo_tim_uji_lan() -> None:
    """LAN's Tim Penilai for the uji kompetensi of JF Analis Kebijakan (the scoring and sidang of
    its inpassing and kenaikan jenjang usulan), for three years from this year, formed by
    ``admin.lan`` through the team service and its rules (``apps.verifikasi.services.tim_bentuk``,
    seed 001), as the admin does on the Tim penilai page. Once: an existing team is left alone."""
    from datetime import date

    from apps.core import tenancy
    from apps.referensi.models import Golongan, JabatanFungsional
    from apps.verifikasi import services as pembina_services
    from apps.verifikasi.models import TimPenilai

    jf = JabatanFungsional.objects.filter(kode="analis-kebijakan").first()
    admin = User.objects.filter(username="admin.lan").first()
    if jf is None or admin is None:
        return
    tahun = timezone.localdate().year
    with tenancy.activate(tenancy.scope_for_user(admin)):
        if TimPenilai.objects.filter(jf=jf).exists():
            return
        golongan = {g.kode: g for g in Golongan.objects.all()}
        pembina_services.tim_bentuk(
            actor=admin, jf=jf, nama="Tim Penilai Uji Kompetensi JF Analis Kebijakan", mulai=date(tahun, 1, 1),
            selesai=date(tahun + 2, 12, 31),
            anggota=[(User.objects.get(username=u), peran, sert, golongan[gol]) for u, peran, sert, gol in TIM_UJI_LAN],
        )  # fmt: skip


PERIODE_FIELDS = ("kode", "nama", "bulan_pengajuan", "hari_mulai", "hari_selesai", "bulan_pak",
                  "bulan_kenaikan_pangkat", "aktif", "sumber")  # fmt: skip


def demo_periode_jfak() -> None:
    """The demo's periods of penetapan AK, saved by each JF's admin pembina through the period
    service (audited): JF Analis Kebijakan's from seed 001 BAB IV C, and for Analis Kebijakan and
    Pengantar Kerja (whose sources give no periods) a demo-only period of the current month (moved
    to the month ``demo_data`` runs in, so it is open on the demo's date and the README's AK
    walk can be tried with either JF)."""
    from apps.core import tenancy
    from apps.penetapan import domain, services
    from apps.penetapan.models import PeriodePenetapan
    from apps.referensi.models import JabatanFungsional

    bulan = timezone.localdate().month

    def setelah(n: int) -> int:
        return (bulan - 1 + n) % 12 + 1

    # Open the whole month: up to its last day (a period refuses a day the month never has).
    demo = ("DEMO", "Periode demo (bulan berjalan)", bulan, 1, domain.hari_terbanyak(bulan), bulan, setelah(3),
            "Data demo: dibuka sepanjang bulan berjalan dan PAK-nya terbit pada bulan yang sama agar pengajuan "
            "sampai PAK dapat dicoba pada tanggal demo; bukan periode resmi")  # fmt: skip
    for jf_kode, admin_username, resmi in (
        ("analis-kebijakan", "admin.lan", [(*p, SUMBER_PERIODE) for p in PERIODE_JFAK]),
        ("pengantar-kerja", "admin.kemnaker", []),
    ):
        jf = JabatanFungsional.objects.filter(kode=jf_kode).first()
        admin = User.objects.filter(username=admin_username).first()
        if jf is None or admin is None:
            continue
        with tenancy.activate(tenancy.scope_for_user(admin)):
            if resmi:
                for lama in PeriodePenetapan.objects.filter(jf=jf, kode__in=[k for k, _n in PERIODE_JFAK_LAMA]):
                    if baru := PERIODE_JFAK_LAMA.get((lama.kode, lama.nama)):
                        data = {f: getattr(lama, f) for f in PERIODE_FIELDS} | {"kode": baru[0], "nama": baru[1]}
                        services.periode_simpan(actor=admin, jf=jf, periode=lama, data=data)
            for kode, nama, pengajuan, mulai, selesai, pak, kp, sumber in [*resmi, demo]:
                periode = PeriodePenetapan.objects.filter(jf=jf, kode=kode).first()
                terkini = periode is not None and (periode.bulan_pengajuan, periode.bulan_pak) == (bulan, bulan)
                if periode is not None and (kode != "DEMO" or terkini):
                    continue
                if kode == "DEMO":
                    # Two active windows of one JF may not share a day (services.periode_simpan): in
                    # the month of an official window (April, October) the demo period, open all
                    # month, stands in for it, which is set inactive.
                    for resmi_lain in PeriodePenetapan.objects.filter(jf=jf, aktif=True, bulan_pengajuan=bulan):
                        services.periode_simpan(
                            actor=admin, jf=jf, periode=resmi_lain,
                            data={f: getattr(resmi_lain, f) for f in PERIODE_FIELDS} | {"aktif": False},
                        )  # fmt: skip
                data = {
                    "kode": kode, "nama": nama, "bulan_pengajuan": pengajuan, "hari_mulai": mulai,
                    "hari_selesai": selesai, "bulan_pak": pak, "bulan_kenaikan_pangkat": kp,
                    "aktif": kode == "DEMO" or pengajuan != bulan, "sumber": sumber,
                }  # fmt: skip
                services.periode_simpan(actor=admin, jf=jf, data=data, periode=periode)
                if kode == "DEMO":
                    # The demo period has left the month of an official one it stood in for.
                    kode_resmi = [r[0] for r in resmi]
                    for kembali in PeriodePenetapan.objects.filter(jf=jf, kode__in=kode_resmi, aktif=False).exclude(
                        bulan_pengajuan=bulan
                    ):
                        services.periode_simpan(
                            actor=admin, jf=jf, periode=kembali,
                            data={f: getattr(kembali, f) for f in PERIODE_FIELDS} | {"aktif": True},
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
        demo_pejabat(instansi["PROV-JABAR"], DEMO_PEJABAT_JFAK)
        demo_tim_ak(
            instansi["LAN"], jf_kode="analis-kebijakan", akhiran="lan", nama="Tim Penilai Pusat JF Analis Kebijakan",
            nomor_sk="KEP.001/JFAK/{tahun}",
        )  # fmt: skip
        demo_tim_uji_lan()
        demo_periode_jfak()
        from apps.portal.demo_standar import standar_demo

        if n := standar_demo():
            self.stdout.write(
                self.style.WARNING(
                    f"Data demo: standar kompetensi sementara (belum terverifikasi) untuk {n} jenjang yang tidak "
                    "memilikinya di seed, agar penilaian demo dapat dicoba; ganti dengan SKJ resmi di halaman JF. "
                    '"Pengambilan keputusan" Ahli Utama disalin dari Ahli Madya dan ditandai pada barisnya.'
                )
            )
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
