"""Development only (``make run``): register the demo accounts as signing officials with
certificates from the development CA (``SIAKS_TTD_DEV_DIR``), so the demo can sign for real.

The PPK of Kemenhub and Jawa Barat and the pembina staff (the admin, and the ketua, members and
verifiers who sign the berita acara) sign with the ``pkcs12`` backend; the PPK of Kota Bandung
signs through the fake BSrE (passphrase ``siaks-bsre``). An SK is signed by
the official whose NIP it names: type the NIP this command prints in the SK form."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core import tenancy

DEMO = {
    # username: (backend, NIP, NIK, jabatan)
    "ppk.kemenhub": ("pkcs12", "196805121993031002", "3173011205680002", "Sekretaris Jenderal"),
    "ppk.jabar": ("pkcs12", "197003152000031001", "3273011503700001", "Sekretaris Daerah"),
    "ppk.bandung": ("bsre", "197506202001122002", "3273016006750002", "Sekretaris Daerah"),
    "admin.setneg": ("pkcs12", "197201011998031001", "", "Deputi Bidang Administrasi Aparatur"),
    "admin.kemnaker": ("pkcs12", "197001011995031001", "", "Direktur Bina Penempatan Tenaga Kerja"),
    "ketua.setneg": ("pkcs12", "198001012005012001", "", "Ketua Tim Penilai"),
    "ketua.kemnaker": ("pkcs12", "198002022006041002", "", "Ketua Tim Penilai"),
    # The berita acara of a sidang is signed by the ketua and each member present, the berita acara
    # seleksi administrasi by the verifiers who decided: every demo member and verifier is registered.
    "penilai1.setneg": ("pkcs12", "198103032006041003", "", "Anggota Tim Penilai"),
    "penilai2.setneg": ("pkcs12", "198204042007012004", "", "Anggota Tim Penilai"),
    "verifikator.setneg": ("pkcs12", "198305052008012005", "", "Verifikator Tim Seleksi Administrasi"),
    "penilai1.kemnaker": ("pkcs12", "198406062009012006", "", "Anggota Tim Penilai"),
    "penilai2.kemnaker": ("pkcs12", "198507072010011007", "", "Anggota Tim Penilai"),
    "verifikator.kemnaker": ("pkcs12", "198608082011012008", "", "Verifikator Tim Seleksi Administrasi"),
    # The ketua of the central Tim Penilai angka kredit (issue 19) signs the HAPAK's covering letter
    # over his NIP (seed 001 BAB IV E.4.a): the same NIP demo_data gives his account.
    "ketua.ak.kemnaker": ("pkcs12", "197506172000031001", "", "Ketua Tim Penilai Angka Kredit"),
}


class Command(BaseCommand):
    help = "Daftarkan akun demo sebagai pejabat penanda tangan elektronik (hanya pengembangan)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sk", type=int, default=0,
            help="terbitkan juga N SK satu halaman yang menyebut pejabat --pejabat (mencoba tanda tangan massal)",
        )  # fmt: skip
        parser.add_argument("--pejabat", default="ppk.bandung", help="akun pejabat penanda tangan SK itu")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Hanya untuk pengembangan (DEBUG).")
        self._pejabat()
        if options.get("sk"):
            self._sk(options["sk"], options["pejabat"])

    def _sk(self, n: int, username: str) -> None:
        """N one-page SKs of the official's instansi naming them as signer (rendered by the worker
        through the outbox), to try batch signing with a big batch. Each is a real letter, as the
        portal's own flow makes it: a pegawai and their usulan (recommended), the pembina's
        rekomendasi listing them, and the SK linked to the usulan, so "Perbaiki surat", the
        letter list and the public page read the same rows as for any SK, and signing it moves
        the usulan to "SK terbit"."""
        from datetime import date, timedelta
        from decimal import Decimal

        from django.db import transaction

        from apps.pengusulan.domain import Status
        from apps.pengusulan.models import Pegawai, Usulan
        from apps.referensi.models import Jenjang
        from apps.surat import isi, services
        from apps.surat.models import JenisSurat
        from apps.ttd.models import Pejabat

        with tenancy.all_tenants(reason="development: demo SKs to sign in a batch"):
            p = Pejabat.objects.select_related("instansi", "user").filter(user__username=username, aktif=True).first()
            if p is None:
                raise CommandError(f"{username} bukan pejabat penanda tangan aktif.")
            jenjang = (
                Jenjang.objects.select_related("jf", "jf__instansi_pembina", "golongan_min")
                .filter(kode="ahli_pertama")
                .order_by("jf__nama")
                .first()
            )
            if jenjang is None:
                raise CommandError("Muat referensi dahulu (jenjang Ahli Pertama tidak ada).")
            jf = jenjang.jf
            pembina = jf.instansi_pembina
            hari_ini = date.today()
            # A rerun adds new pegawai: the demo NIPs already used in this instansi are skipped.
            awal = Pegawai.objects.filter(instansi=p.instansi, nama__startswith="Pegawai Demo ").count()
            with transaction.atomic():
                usulan_list = []
                for i in range(awal + 1, awal + n + 1):
                    lahir = date(1990, 1, 1) + timedelta(days=(i - 1) // 999)
                    nip = f"{lahir:%Y%m%d}201505{1 + i % 2}{(i - 1) % 999 + 1:03d}"
                    nama = f"Pegawai Demo {i}"
                    pegawai = Pegawai.objects.create(
                        instansi=p.instansi, nip=nip, nama=nama, tempat_lahir="Bandung", tanggal_lahir=lahir,
                        jenis_kelamin="L" if i % 2 else "P", tmt_cpns=date(2015, 5, 1), golongan=jenjang.golongan_min,
                        tmt_golongan=date(2021, 4, 1), pendidikan="s1", jabatan_saat_ini="Pelaksana",
                        unit_kerja="Bagian Umum", pengalaman_bulan=64,
                    )  # fmt: skip
                    usulan_list.append(
                        Usulan.objects.create(
                            instansi=p.instansi, pegawai=pegawai, pegawai_nip=nip, pegawai_nama=nama, jf=jf,
                            jenjang=jenjang, status=Status.DIREKOMENDASIKAN, diajukan_at=timezone.now(),
                            ak_awal=Decimal("112.500"), ak_nilai_tabel=Decimal("100.000"),
                            ak_dasar=Decimal("12.500"), masa_kerja_pangkat=4, masa_kerja_bulan=64,
                            masa_kerja_per=hari_ini,
                            data_pegawai={
                                "nip": nip, "nama": nama, "tempat_lahir": "Bandung", "tanggal_lahir": str(lahir),
                                "pangkat": "Penata Muda", "golongan": "III/a", "tmt_golongan": "2021-04-01",
                                "pendidikan": "Sarjana (S1)", "jabatan_saat_ini": "Pelaksana",
                                "unit_kerja": "Bagian Umum",
                            },
                        )
                    )  # fmt: skip
                rekomendasi = services._create(
                    jenis=JenisSurat.REKOMENDASI, penerbit=pembina, instansi_id=p.instansi_id, jf=jf,
                    tanggal=hari_ini, actor=None, penandatangan=("Pejabat Pembina Demo", "Deputi", ""),
                    perihal=f"Rekomendasi Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian",
                )  # fmt: skip
                services._baris(rekomendasi, usulan_list)
                services._versi(
                    rekomendasi, isi.rekomendasi(rekomendasi, direkomendasikan=usulan_list, tidak=[]), actor=None
                )
                for usulan in usulan_list:
                    surat = services._create(
                        jenis=JenisSurat.SK, penerbit=p.instansi, instansi_id=p.instansi_id, jf=jf, tanggal=hari_ini,
                        perihal=f"Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian a.n. "
                        f"{usulan.pegawai_nama}"[:250],
                        actor=p.user, penandatangan=(p.nama, p.jabatan, p.nip), tmt=hari_ini, rekomendasi=rekomendasi,
                    )  # fmt: skip
                    services._baris(surat, [usulan])
                    ditetapkan_di = p.instansi.kota or "Jakarta"
                    services._versi(surat, isi.sk(surat, [usulan], rekomendasi, ditetapkan_di=ditetapkan_di),
                                    actor=p.user)  # fmt: skip
            from apps.rekap.services import rekap_bangun_ulang

            with transaction.atomic():
                rekap_bangun_ulang()  # the usulan above were made outside the services
        self.stdout.write(f"{n} SK demo untuk {p.nama} diterbitkan; PDF dibuat worker.")

    def _pejabat(self) -> None:
        from apps.accounts.models import User
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.models import Pejabat

        ca = CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR)
        passphrase = settings.SIAKS_TTD_PKCS12_PASSPHRASE.encode()
        lines = []
        with tenancy.all_tenants(reason="development: demo signing officials"):
            for username, (backend, nip, nik, jabatan) in DEMO.items():
                user = User.objects.filter(username=username).first()
                if user is None or user.instansi is None:
                    continue
                if user.nip != nip:
                    User.objects.filter(pk=user.pk).update(nip=nip)
                nama = user.nama_lengkap or username
                ident = ca.pejabat(nama, nik=nik, nip=nip, instansi=user.instansi.nama)
                Pejabat.objects.update_or_create(
                    instansi=user.instansi, user=user,
                    defaults={"nama": nama, "nip": nip, "nik": nik, "jabatan": jabatan, "backend": backend,
                              "pkcs12": ident.pkcs12(passphrase) if backend == "pkcs12" else b"",
                              "sidik_jari": ident.sidik_jari, "aktif": True},
                )  # fmt: skip
                lines.append(f"  {username}: NIP {nip} ({backend})")
        self.stdout.write("Pejabat TTE demo (ketik NIP ini sebagai NIP penanda tangan):\n" + "\n".join(lines))
