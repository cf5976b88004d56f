"""Development only (``make run``): register the demo accounts as signing officials with
certificates from the development CA (``SIAKS_TTD_DEV_DIR``), so the demo can sign for real.

The PPK of Kemenhub and Jawa Barat and the pembina staff (the admin, and the ketua, members and
verifiers who sign the berita acara) sign with the ``pkcs12`` backend; the PPK of Kota Bandung
signs through the fake BSrE (passphrase ``siaks-bsre``). An SK is signed by
the official whose NIP it names: type the NIP this command prints in the SK form."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        through the outbox), to try batch signing with a big batch. Not tied to any usulan."""
        from datetime import date
        from decimal import Decimal
        from types import SimpleNamespace

        from django.db import transaction

        from apps.referensi.models import Jenjang
        from apps.surat import isi, services
        from apps.ttd.models import Pejabat

        with tenancy.all_tenants(reason="development: demo SKs to sign in a batch"):
            p = Pejabat.objects.select_related("instansi", "user").filter(user__username=username, aktif=True).first()
            if p is None:
                raise CommandError(f"{username} bukan pejabat penanda tangan aktif.")
            jenjang = Jenjang.objects.select_related("jf", "jf__instansi_pembina").filter(kode="ahli_pertama").first()
            jf = jenjang.jf
            rekomendasi = SimpleNamespace(penerbit=jf.instansi_pembina, nomor="001/REK/DEMO/2026", tanggal=date.today())
            for i in range(1, n + 1):
                nip = f"1990{i:02d}012015051{i:03d}"[:18]
                usulan = SimpleNamespace(
                    pk=None, masa_kerja_per=date.today(),  # what the SK's rows read of an usulan (no PAK cited)
                    nomor=f"USL-DEMO-{i:06d}", jenis="penyesuaian", pegawai_nip=nip, pegawai_nama=f"Pegawai Demo {i}",
                    jenjang=jenjang, ak_awal=Decimal("112.500"), masa_kerja_pangkat=4, masa_kerja_bulan=64,
                    ak_nilai_tabel=Decimal("100.000"), ak_dasar=Decimal("12.500"),
                    data_pegawai={"nip": nip, "nama": f"Pegawai Demo {i}", "tempat_lahir": "Bandung",
                                  "tanggal_lahir": "1990-01-01", "pangkat": "Penata Muda", "golongan": "III/a",
                                  "tmt_golongan": "2021-04-01", "pendidikan": "Sarjana (S1)",
                                  "jabatan_saat_ini": "Pelaksana", "unit_kerja": "Bagian Umum"},
                )  # fmt: skip
                with transaction.atomic():
                    surat = services._create(
                        jenis="sk", penerbit=p.instansi, instansi_id=p.instansi_id, jf=jf, tanggal=date.today(),
                        perihal=f"Pengangkatan dalam JF {jf.nama} (demo {i})", actor=p.user,
                        penandatangan=(p.nama, p.jabatan, p.nip), tmt=date.today(),
                    )  # fmt: skip
                    services._versi(surat, isi.sk(surat, [usulan], rekomendasi), actor=p.user)
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
