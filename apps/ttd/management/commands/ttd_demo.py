"""Development only (``make run``): register the demo accounts as signing officials with
certificates from the development CA (``SIAKS_TTD_DEV_DIR``), so the demo can sign for real.

The PPK of Kemenhub and Jawa Barat and the pembina staff (the admin, and the ketua, members and
verifiers who sign the berita acara) sign with the ``pkcs12`` backend; the PPK of Kota Bandung
signs through the fake BSrE (passphrase ``siaks-bsre``). An SK is signed by
the official whose NIP it names: type the NIP this command prints in the SK form.

Idempotent and never destructive: it registers only the demo accounts that are not officials
yet and leaves the others as the instansi's PIC or admin left them (it prints which)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

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
    # LAN's central Tim Penilai AK (JF Analis Kebijakan) likewise: its HAPAK waits for the paraf of
    # sekretariat.ak.lan (the first step of every HAPAK's chain), then its ketua signs.
    "ketua.ak.lan": ("pkcs12", "197408192001121001", "", "Ketua Tim Penilai Angka Kredit"),
    # JF Analis Kebijakan (pembina LAN): its admin signs the rekomendasi, its uji kompetensi team
    # (demo_data's ``TIM_UJI_LAN``, the NIPs demo_data gives them) the berita acara of the sidang.
    "admin.lan": ("pkcs12", "197106222000031001", "", "Kepala Pusat Pembinaan Analis Kebijakan"),
    "ketua.lan": ("pkcs12", "197203142000032001", "", "Ketua Tim Penilai"),
    "penilai1.lan": ("pkcs12", "197611282002121002", "", "Anggota Tim Penilai"),
    "penilai2.lan": ("pkcs12", "197905062004122003", "", "Anggota Tim Penilai"),
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
            from django.core.exceptions import ValidationError
            from django.db import transaction
            from django.test.utils import override_settings

            from apps.ttd.penanda import TtdError

            # One transaction for the whole issuance: a refusal anywhere (a signature failing, the
            # fallback refused) leaves no pegawai, no half-signed berita acara, no rekomendasi
            # without its SKs behind, so a rerun starts clean. It also keeps the demo's render and
            # signing requests invisible to a running portal's outbox relay and worker (``make
            # run``) until they are done here: before, the relay could hand a member's signature to
            # the worker while this command signed the next member's or uploaded the fallback scan
            # over it ("Salinan bertanda tangan versi ini sudah ada", issue 17 fresh-eye walk).
            # The berita acara and rekomendasi are rendered in this process, the SKs by the
            # portal's worker: their verification links (footer, QR code) use the worker's site
            # URL — SIAKS_SITE_URL, else the one ``run_portal`` noted for the port it listens on.
            try:
                with override_settings(SITE_URL=_site_url()), transaction.atomic():
                    self._sk(options["sk"], options["pejabat"])
            except ValidationError as exc:  # a service refused (e.g. an AK row not confirmed): its reasons
                raise CommandError("SK demo tidak diterbitkan: " + " ".join(exc.messages)) from None
            except TtdError as exc:
                raise CommandError("SK demo tidak diterbitkan: " + exc.pesan) from None

    def _sk(self, n: int, username: str) -> None:
        """N one-page SKs of the official's instansi naming them as signer, each a real letter made
        in the portal's order through its services, so nothing the services refuse is made here:
        the pegawai and their usulan, scored by the pembina's Tim Penilai (demo data up to the
        sidang), the sidang decided by its ketua (the berita acara), the berita acara signed by the
        members present, the pembina's rekomendasi issued and signed by its official, and only then
        the SKs, issued by the PPK (``sk_terbitkan`` refuses an SK on an unsigned rekomendasi).

        The berita acara and the rekomendasi are rendered and signed here, electronically by their
        demo officials (the development CA and TSA: ``make run``); when the TSA does not answer or
        a signer is not a registered official, by the documented fallback — the admin pembina
        uploads the scan of the wet-signed letter with the reason. The SKs are rendered by the
        worker and wait for the PPK's batch signature."""
        from django.db import transaction

        from apps.jabatan.models import PejabatFungsional
        from apps.pengusulan.domain import Status
        from apps.pengusulan.models import Pegawai, Usulan
        from apps.pengusulan.selectors import ak_awal_fields
        from apps.referensi.models import Golongan, Jenjang
        from apps.surat import services as surat_services
        from apps.surat.models import JenisSurat, Surat
        from apps.ttd.models import Pejabat
        from apps.verifikasi import services as pembina_services
        from apps.verifikasi.models import AnggotaTim, PenugasanPenilai, TimPenilai

        with tenancy.all_tenants(reason="development: demo SKs to sign in a batch"):
            p = Pejabat.objects.select_related("instansi", "user").filter(user__username=username, aktif=True).first()
            if p is None or p.user is None:
                raise CommandError(f"{username} bukan pejabat penanda tangan aktif.")
            # The JF whose pembina has the demo staff: an admin registered as signing official (the
            # rekomendasi's signer), a ketua and two penilai (the Tim Penilai deciding the sidang).
            staf = None
            for jenjang in (
                Jenjang.objects.select_related("jf", "jf__instansi_pembina", "golongan_min")
                .filter(kode="ahli_pertama")
                .order_by("jf__nama")
            ):
                staf = self._staf_pembina(jenjang.jf.instansi_pembina)
                if staf is not None:
                    break
            if staf is None:
                raise CommandError(
                    "Tidak ada JF (jenjang Ahli Pertama) yang instansi pembinanya punya admin pembina terdaftar "
                    "sebagai pejabat penanda tangan, ketua tim dan dua penilai: muat referensi dan demo_data, "
                    "lalu jalankan ttd_demo tanpa --sk dahulu."
                )
            jf = jenjang.jf
            hari_ini = timezone.localdate()
            tinggi = Golongan.objects.order_by("-urutan").first()  # the members' pangkat: not below the assessed
            # A rerun, or a run for another instansi, adds new pegawai: a NIP is one person's across
            # every instansi (apps.jabatan), so the demo numbers and NIPs used in any instansi are
            # skipped — two instansi's demo SKs for one NIP could not both be signed ("SK terbit"
            # refuses a second active pejabat fungsional; issue 17 fresh-eye walk).
            awal = Pegawai.objects.filter(nama__startswith="Pegawai Demo ").count()
            dipakai = set(Pegawai.objects.filter(nip__startswith="199").values_list("nip", flat=True))
            dipakai |= set(PejabatFungsional.objects.filter(nip__startswith="199").values_list("nip", flat=True))
            nomor = (i for i in itertools.count(awal + 1) if nip_demo(i)[1] not in dipakai)
            with transaction.atomic():
                tim = (
                    TimPenilai.objects.filter(jf=jf, periode_mulai__lte=hari_ini, periode_selesai__gte=hari_ini)
                    .filter(anggota__user=staf["ketua"], anggota__peran=AnggotaTim.Peran.KETUA)
                    .first()
                )
                if tim is None:
                    mulai = date(hari_ini.year, 1, 1)
                    with tenancy.activate(tenancy.scope_for_user(staf["admin"])):
                        tim = pembina_services.tim_bentuk(
                            actor=staf["admin"], jf=jf, nama=f"Tim Penilai Demo {jf.nama}"[:150], mulai=mulai,
                            selesai=date(mulai.year + 3, 1, 1) - timedelta(days=1),
                            anggota=[
                                (staf["ketua"], "ketua", True, tinggi),
                                (staf["penilai"][0], "sekretaris", True, tinggi),
                                (staf["penilai"][1], "anggota", True, tinggi),
                            ],
                        )  # fmt: skip
                anggota = list(tim.anggota.select_related("user"))
                usulan_list = []
                for i in itertools.islice(nomor, n):
                    lahir, nip = nip_demo(i)
                    nama = f"Pegawai Demo {i}"
                    pegawai = Pegawai.objects.create(
                        instansi=p.instansi, nip=nip, nama=nama, tempat_lahir="Bandung", tanggal_lahir=lahir,
                        jenis_kelamin="L" if i % 2 else "P", tmt_cpns=date(2015, 5, 1), golongan=jenjang.golongan_min,
                        tmt_golongan=date(2021, 4, 1), pendidikan="s1", jabatan_saat_ini="Pelaksana",
                        unit_kerja="Bagian Umum", pengalaman_bulan=64,
                    )  # fmt: skip
                    # The dossier stage is demo data: submitted, administratively complete and being
                    # scored by the team, with the AK awal computed from the JF's reference rows.
                    usulan = Usulan.objects.create(
                        instansi=p.instansi, pegawai=pegawai, pegawai_nip=nip, pegawai_nama=nama, jf=jf,
                        jenjang=jenjang, status=Status.PENILAIAN, diajukan_at=timezone.now(),
                        **ak_awal_fields(pegawai, jf.pk, on=hari_ini),
                        data_pegawai={
                            "nip": nip, "nama": nama, "tempat_lahir": "Bandung", "tanggal_lahir": str(lahir),
                            "pangkat": jenjang.golongan_min.pangkat, "golongan": jenjang.golongan_min.kode,
                            "tmt_golongan": "2021-04-01", "pendidikan": "Sarjana (S1)",
                            "jabatan_saat_ini": "Pelaksana", "unit_kerja": "Bagian Umum",
                        },
                    )  # fmt: skip
                    PenugasanPenilai.objects.bulk_create(
                        PenugasanPenilai(
                            instansi=p.instansi, usulan=usulan, jf=jf, tim=tim, penilai=a.user,
                            ditugaskan_oleh=staf["admin"], bebas_konflik_at=timezone.now(),
                            rekomendasi=PenugasanPenilai.Rekomendasi.LULUS, selesai_at=timezone.now(),
                        )
                        for a in anggota
                    )  # fmt: skip
                    usulan_list.append(usulan)
                # The sidang, through the team's services: the ketua opens it, records who came and
                # decides; the berita acara is issued by the letters' service.
                with tenancy.activate(tenancy.scope_for_user(staf["ketua"])):
                    sidang = pembina_services.sidang_buka(
                        actor=staf["ketua"], tim=tim, usulan_list=usulan_list, tanggal=hari_ini,
                        tempat="Ruang Rapat Tim Penilai",
                    )  # fmt: skip
                    pembina_services.sidang_catat_kehadiran(actor=staf["ketua"], sidang=sidang, hadir=anggota)
                    pembina_services.sidang_putuskan(
                        actor=staf["ketua"], sidang=sidang, keputusan={u.pk: ("lulus", "") for u in usulan_list}
                    )
                ba = Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)
            self._tandatangani(ba, [a.user for a in anggota], pengunggah=staf["admin"])
            pj = staf["pejabat"]
            with transaction.atomic(), tenancy.activate(tenancy.scope_for_user(staf["admin"])):
                rekomendasi = surat_services.rekomendasi_terbitkan(
                    actor=staf["admin"], jf=jf, instansi_id=p.instansi_id, tanggal=hari_ini,
                    penandatangan=(pj.nama, pj.jabatan, pj.nip),
                )  # fmt: skip
            self._tandatangani(rekomendasi, [staf["admin"]], pengunggah=staf["admin"])
            with transaction.atomic(), tenancy.activate(tenancy.scope_for_user(p.user)):
                issued = surat_services.sk_terbitkan(
                    actor=p.user, usulan_ids=[u.pk for u in usulan_list], tanggal=hari_ini, tmt=hari_ini,
                    penandatangan=(p.nama, p.jabatan, p.nip), ditetapkan_di=p.instansi.kota or "Jakarta",
                )  # fmt: skip
            from apps.rekap.services import rekap_bangun_ulang

            with transaction.atomic():
                rekap_bangun_ulang()  # the usulan above were made outside the services
        jumlah_sk = sum(1 for s in issued if s.jenis == JenisSurat.SK)
        self.stdout.write(
            f"{jumlah_sk} SK demo untuk {p.nama} diterbitkan (berita acara {ba.nomor} dan rekomendasi "
            f"{rekomendasi.nomor} sudah ditandatangani); PDF dibuat worker."
        )

    @staticmethod
    def _staf_pembina(pembina) -> dict | None:
        """The pembina's demo staff: an admin pembina registered as (active) signing official, its
        ketua tim and two other penilai; None when any is missing."""
        from apps.accounts.models import Role, User
        from apps.ttd.models import Pejabat

        if pembina is None:
            return None

        def peran(role, *, kecuali=()):
            return list(
                User.objects.filter(
                    is_active=True, memberships__instansi=pembina, memberships__is_active=True, memberships__role=role
                )
                .exclude(pk__in=kecuali)
                .distinct()
                .order_by("username")
            )  # fmt: skip

        pejabat = (
            Pejabat.objects.select_related("user")
            .filter(instansi=pembina, aktif=True, user__in=peran(Role.ADMIN_PEMBINA))
            .order_by("user__username")
            .first()
        )
        ketua = peran(Role.KETUA_TIM)
        if pejabat is None or not ketua:
            return None
        penilai = peran(Role.PENILAI, kecuali=[ketua[0].pk])
        if len(penilai) < 2:
            return None
        return {"admin": pejabat.user, "pejabat": pejabat, "ketua": ketua[0], "penilai": penilai[:2]}

    def _tandatangani(self, surat, penanda: list, *, pengunggah) -> None:
        """Render ``surat`` and sign it: electronically by each of ``penanda`` (registered
        officials, the development CA and TSA), else by the fallback of seed 001 — the scan of the
        wet-signed letter uploaded by ``pengunggah`` with the reason. Through apps.ttd's services
        (paraf chain, identity and completeness checks included)."""
        from django.db import transaction

        from apps.core.models import OutboxMessage
        from apps.surat.models import VersiSurat
        from apps.surat.tasks import render
        from apps.ttd import services as ttd_services
        from apps.ttd import tasks as ttd_tasks
        from apps.ttd.models import Pejabat, TandaTangan

        versi = VersiSurat.objects.filter(surat=surat, diganti_at__isnull=True).order_by("-id").first()
        for msg in OutboxMessage.objects.filter(task_name="surat.render", published_at__isnull=True):
            if msg.kwargs.get("versi_id") == versi.pk:
                render.apply(kwargs=msg.kwargs, task_id=str(msg.id), throw=True)
                OutboxMessage.objects.filter(pk=msg.pk).update(published_at=timezone.now())
        versi.refresh_from_db()
        alasan = ""
        terdaftar = set(Pejabat.objects.filter(aktif=True, user__in=penanda).values_list("user_id", flat=True))
        if any(u.pk not in terdaftar for u in penanda):
            alasan = "penanda tangan belum terdaftar sebagai pejabat penanda tangan elektronik"
        elif not _tsa_menjawab():
            alasan = "layanan cap waktu (TSA) pengembangan tidak berjalan"
        if not alasan:
            for user in penanda:
                with transaction.atomic(), tenancy.activate(tenancy.scope_for_user(user)):
                    batch = ttd_services.minta_tandatangan(actor=user, versi_ids=[versi.pk])
                for tt in TandaTangan.objects.filter(batch=batch):
                    pesan = OutboxMessage.objects.filter(task_name=ttd_services.TASK, published_at__isnull=True)
                    for msg in pesan:
                        if msg.kwargs.get("ttd_id") == tt.pk:
                            ttd_tasks.tandatangani.apply(kwargs=msg.kwargs, task_id=str(msg.id))
                            OutboxMessage.objects.filter(pk=msg.pk).update(published_at=timezone.now())
                    tt.refresh_from_db()
                    if tt.status != TandaTangan.Status.SELESAI:
                        alasan = f"tanda tangan elektronik gagal ({tt.galat or tt.status})"
                        break
                if alasan:
                    break
        versi.refresh_from_db()
        if ttd_services.ditandatangani(versi):
            self.stdout.write(f"{surat.label_jenis()} {surat.nomor} ditandatangani secara elektronik.")
            return
        self._pindaian(versi, pengunggah, alasan or "tanda tangan elektronik tidak lengkap")

    def _pindaian(self, versi, pengunggah, sebab: str) -> None:
        """The documented fallback: the issuer uploads the scan of the wet-signed letter, with the
        reason (here: the page rendered as a picture, as a scanner makes it)."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from apps.ttd import services as ttd_services

        with versi.berkas.open("rb") as fh:
            scan = _pindai(fh.read())
        alasan = f"Demo pengembangan: {sebab}; surat ditandatangani basah lalu dipindai."
        with transaction.atomic(), tenancy.activate(tenancy.scope_for_user(pengunggah)):
            ttd_services.unggah_salinan(
                actor=pengunggah, versi=versi, upload=SimpleUploadedFile("pindaian.pdf", scan), alasan_manual=alasan
            )
        self.stdout.write(f"{versi.surat.label_jenis()} {versi.surat.nomor}: pindaian diunggah ({sebab}).")

    def _pejabat(self) -> None:
        """Register the demo accounts that are not signing officials yet; leave every official
        already registered as it is. What the instansi's PIC or admin changed since (backend, NIP,
        NIK, office, certificate, deactivation) is theirs: a rerun (each ``make run``) neither
        re-issues a certificate nor reactivates anyone, so it writes nothing once all are there
        and cannot touch an official whose letters a running portal's worker is signing.

        One transaction under an advisory lock: two commands at once (two ``make run`` against
        the same .data/) register each official once; the second sees the first's rows."""
        from django.db import connection, transaction
        from django.db.models import Q

        from apps.accounts.models import User
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.models import Pejabat

        ca = CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR)
        passphrase = settings.SIAKS_TTD_PKCS12_PASSPHRASE.encode()
        dibuat, ada, lewat = [], [], []
        with tenancy.all_tenants(reason="development: demo signing officials"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(hashtext('siaks.ttd_demo'))")
            users = User.objects.in_bulk(list(DEMO), field_name="username")
            for username, (backend, nip, nik, jabatan) in DEMO.items():
                user = users.get(username)
                if user is None or user.instansi is None:
                    lewat.append(f"  {username}: akun tidak ada (muat demo_data dahulu)")
                    continue
                # Registered already: this account's official, or the demo NIP's in that instansi
                # (an official whose account was unlinked on the officials page).
                p = (
                    Pejabat.objects.filter(instansi=user.instansi)
                    .filter(Q(user=user) | Q(nip=nip))
                    .order_by("-aktif", "pk")
                    .first()
                )
                if p is not None:
                    keadaan = "aktif" if p.aktif else "nonaktif"
                    ada.append(f"  {username}: NIP {p.nip or '-'} ({p.backend}, {keadaan})")
                    continue
                if nik and Pejabat.objects.filter(nik=nik).exists():
                    lewat.append(f"  {username}: NIK demo sudah dipakai pejabat lain; tidak didaftarkan")
                    continue
                if not user.nip:
                    User.objects.filter(pk=user.pk).update(nip=nip)
                elif user.nip != nip:
                    # The account's NIP was changed (the PIC's record): the official takes it.
                    nip = user.nip
                    if Pejabat.objects.filter(instansi=user.instansi, nip=nip).exists():
                        lewat.append(f"  {username}: NIP akun {nip} sudah dipakai pejabat lain; tidak didaftarkan")
                        continue
                nama = user.nama_lengkap or username
                if backend == "bsre":  # the certificate the fake BSrE signs with (ttd_layanan_uji)
                    ident = ca.pejabat_tersimpan(
                        settings.SIAKS_TTD_DEV_DIR, nama, nik=nik, nip=nip, instansi=user.instansi.nama
                    )
                else:
                    ident = ca.pejabat(nama, nik=nik, nip=nip, instansi=user.instansi.nama)
                Pejabat.objects.create(
                    instansi=user.instansi, user=user, nama=nama, nip=nip, nik=nik, jabatan=jabatan, backend=backend,
                    pkcs12=ident.pkcs12(passphrase) if backend == "pkcs12" else b"", sidik_jari=ident.sidik_jari,
                    aktif=True,
                )  # fmt: skip
                dibuat.append(f"  {username}: NIP {nip} ({backend})")
        if dibuat:
            self.stdout.write(
                "Pejabat TTE demo didaftarkan (ketik NIP ini sebagai NIP penanda tangan):\n" + "\n".join(dibuat)
            )
        if ada:
            self.stdout.write(
                "Pejabat TTE demo yang sudah terdaftar dibiarkan apa adanya (tidak diubah):\n" + "\n".join(ada)
            )
        if lewat:
            self.stdout.write("Tidak didaftarkan:\n" + "\n".join(lewat))


def nip_demo(i: int) -> tuple[date, str]:
    """The birth date and NIP of "Pegawai Demo ``i``"."""
    lahir = date(1990, 1, 1) + timedelta(days=(i - 1) // 999)
    return lahir, f"{lahir:%Y%m%d}201505{1 + i % 2}{(i - 1) % 999 + 1:03d}"


def _site_url() -> str:
    """The site URL the portal's worker renders letters with: SIAKS_SITE_URL when set, else the one
    the running portal noted (``run_portal --addrport``), else this process's setting."""
    import os

    from siaks import embedded

    return os.environ.get("SIAKS_SITE_URL") or embedded.site_url_portal() or settings.SITE_URL


def _tsa_menjawab() -> bool:
    """Does the development TSA accept connections (``make run`` starts it after this command)?"""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(settings.SIAKS_TTD_TSA_URL or "")
    if not url.hostname:
        return False
    try:
        with socket.create_connection((url.hostname, url.port or 80), timeout=2):
            return True
    except OSError:
        return False


def _pindai(pdf: bytes) -> bytes:
    """The pages of ``pdf`` as pictures in a new PDF: what a scanner returns (no text layer, no
    electronic signature, never byte-identical to the issued PDF)."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [doc[i].render(scale=200 / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    return out.getvalue()
