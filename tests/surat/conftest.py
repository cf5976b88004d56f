"""Letters fixtures: usulan walked through the real services up to lulus / tidak lulus, and a
helper that runs the render requests the outbox holds (as the worker would)."""

from __future__ import annotations

import subprocess
from datetime import date

from pypdf import PdfReader

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.surat import services as surat_services
from tests.verifikasi.conftest import as_user

TANGGAL = date(2026, 8, 3)
PENANDATANGAN = ("Dr. Ir. Rahmat Hidayat, M.Si.", "Direktur Bina Penempatan Tenaga Kerja", "197001011995031001")
PENANDATANGAN_PPK = ("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal Kementerian Perhubungan", "196805121993031002")


def konfirmasi_baris_ak(admin, usulan_list) -> None:
    """The admin pembina confirms (through the service) the AK reference rows the usulan rest on."""
    from apps.pengusulan.models import Usulan
    from apps.referensi import services as referensi_services

    with all_tenants():
        rows = {
            r
            for u in Usulan.objects.filter(pk__in=[u.pk for u in usulan_list]).select_related(
                "ak_tabel_ref", "ak_dasar_ref"
            )
            for r in (u.ak_tabel_ref, u.ak_dasar_ref)
            if r is not None and not r.terverifikasi
        }
    with as_user(admin):
        for row in sorted(rows, key=lambda r: (type(r).__name__, r.pk)):
            referensi_services.ak_row_update(row=row, nilai=row.nilai, terverifikasi=True, actor=admin)


def render_antrean() -> int:
    """Run every pending ``surat.render`` request in the outbox, as the worker would."""
    from apps.surat.tasks import render

    done = 0
    for message in OutboxMessage.objects.filter(task_name="surat.render", published_at__isnull=True).order_by(
        "created_at"
    ):
        render.apply(kwargs=message.kwargs, task_id=str(message.id), throw=True)
        OutboxMessage.objects.filter(pk=message.pk).update(published_at=message.created_at)
        done += 1
    return done


def tandatangani_basah(surat, actor, *, alasan: str = "Layanan TTE sedang gangguan (keadaan kahar).") -> None:
    """The issuer signs ``surat`` by the manual fallback of seed 001 through apps.ttd: the worker
    renders it, then ``actor`` (its admin pembina or PPK) uploads the scan of the wet-signed copy
    with the reason. A rekomendasi waits for its signed berita acara, an SK for its signed
    rekomendasi (apps.surat.services)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from apps.ttd import services as ttd_services
    from tests.pdfs import pindaian

    render_antrean()
    versi = versi_berlaku(surat)
    with versi.berkas.open("rb") as fh:
        scan = pindaian(fh.read())
    with as_user(actor), transaction.atomic():  # as the views' penolakan() gives it
        ttd_services.unggah_salinan(
            actor=actor, versi=versi, upload=SimpleUploadedFile("pindaian.pdf", scan), alasan_manual=alasan
        )


def tandatangani_ba(sidang, admin) -> None:
    """The sidang's berita acara signed (wet-ink scan uploaded by the admin pembina)."""
    from apps.surat.models import JenisSurat, Surat

    with all_tenants():
        ba = Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)
    tandatangani_basah(ba, admin)


def tandatangani_rekomendasi(admin) -> None:
    """Every rekomendasi of the admin's instansi not signed yet, signed (wet-ink scan uploaded by
    the admin pembina): what the PPK needs before issuing an SK."""
    from apps.surat.models import JenisSurat, Surat, VersiSurat

    with all_tenants():
        rows = list(Surat.objects.filter(jenis=JenisSurat.REKOMENDASI, penerbit_id=admin.instansi.pk).order_by("id"))
    for surat in rows:
        render_antrean()
        with all_tenants():
            signed = VersiSurat.objects.filter(surat=surat, diganti_at__isnull=True).exclude(ttd_berkas="").exists()
        if not signed:
            tandatangani_basah(surat, admin)


def sk_terbit(*, admin, ppk, jf, instansi, usulan):
    """The letters path end to end through the services: the admin pembina issues the
    rekomendasi, the PPK issues the SK for ``usulan``, the worker renders both and the PPK
    uploads the signed copy. Returns the SK's version."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.surat import services as surat_services
    from apps.surat.models import VersiSurat
    from tests.pdfs import valid_pdf

    with as_user(admin):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=admin, jf=jf, instansi_id=instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, admin)
    with as_user(ppk):
        sk = surat_services.sk_terbitkan(
            actor=ppk, usulan_ids=[usulan.pk], tanggal=TANGGAL, tmt=TANGGAL, penandatangan=PENANDATANGAN_PPK
        )[0]
    render_antrean()
    with all_tenants():
        versi = VersiSurat.objects.get(surat=sk)
    with as_user(ppk):
        surat_services.ttd_unggah(actor=ppk, versi=versi, upload=SimpleUploadedFile("ttd.pdf", valid_pdf(padding=4208)))
    return versi


def putuskan_seleksi(verifikator, usulan, keputusan, catatan=""):
    """The verifier decides the seleksi administrasi of ``usulan``: every mandatory document sesuai
    (``memenuhi``) or not, with ``catatan``."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.referensi.models import PersyaratanDokumen
    from apps.verifikasi import services

    with as_user(verifikator):
        services.pemeriksaan_mulai(actor=verifikator, usulan=usulan)
        sesuai = keputusan == "memenuhi"
        hasil = {
            p.pk: (sesuai, "" if sesuai else catatan)
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        services.pemeriksaan_catat_dokumen(actor=verifikator, usulan=usulan, hasil=hasil)
        tenggat = timezone.localdate() + timedelta(days=14) if keputusan == "perbaikan" else None
        return services.pemeriksaan_putuskan(
            actor=verifikator, usulan=usulan, keputusan=keputusan, catatan=catatan, tenggat=tenggat
        )


# ---------------------------------------------------------------- issuing letters in tests


def terbitkan_rekomendasi(pembina_staf, jf, instansi, tanggal=TANGGAL):
    """The JF's admin pembina issues the rekomendasi for ``instansi`` and signs it (wet-ink scan)."""
    with as_user(pembina_staf["admin"]):
        surat = surat_services.rekomendasi_terbitkan(
            actor=pembina_staf["admin"], jf=jf, instansi_id=instansi.pk, tanggal=tanggal, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(surat, pembina_staf["admin"])
    return surat


def terbitkan_sk(ppk, usulan, *, kolektif=False, tmt=date(2026, 9, 1)):
    """The PPK issues the SK (and PAK) of ``usulan``."""
    with as_user(ppk):
        return surat_services.sk_terbitkan(
            actor=ppk, usulan_ids=[u.pk for u in usulan], tanggal=date(2026, 8, 20), tmt=tmt,
            penandatangan=PENANDATANGAN_PPK, kolektif=kolektif,
        )  # fmt: skip


def versi_berlaku(surat):
    """The letter's version in force."""
    from apps.surat.models import VersiSurat

    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(surat=surat, diganti_at__isnull=True)


def terbitkan_semua(diputuskan, pembina_staf, jf, instansi, ppk):
    """One of each letter, issued and rendered with the worst-case data (issue 13 §6)."""
    from apps.pengusulan.models import Usulan
    from apps.surat import services
    from apps.surat.models import JenisSurat, Surat

    verifikator = pembina_staf["verifikator"]  # who decides the seleksi administrasi and signs its berita acara
    verifikator.nama_lengkap, verifikator.nip = VERIFIKATOR_TERPANJANG
    verifikator.save(update_fields=["nama_lengkap", "nip"])
    lulus, _t, sidang = diputuskan(3, 1, terburuk=True)
    jf.instansi_pembina.refresh_from_db()  # the worst-case letterhead
    with all_tenants():
        Usulan.objects.filter(pk__in=[u.pk for u in lulus + _t]).update(
            pengantar_nomor="800.1.2.3/0456/BKPSDMD/VI/2026", pengantar_tanggal=date(2026, 6, 10)
        )
    with as_user(pembina_staf["admin"]):
        rekomendasi = services.rekomendasi_terbitkan(
            actor=pembina_staf["admin"], jf=jf, instansi_id=instansi.pk, tanggal=date(2026, 8, 3),
            penandatangan=PENANDATANGAN_PEMBINA_TERPANJANG,
        )  # fmt: skip
    tandatangani_basah(rekomendasi, pembina_staf["admin"])
    with as_user(ppk):
        satu = services.sk_terbitkan(
            actor=ppk, usulan_ids=[lulus[0].pk], tanggal=date(2026, 8, 20), tmt=date(2026, 9, 1),
            penandatangan=PENANDATANGAN_TERPANJANG,
        )  # fmt: skip
        kolektif = services.sk_terbitkan(
            actor=ppk, usulan_ids=[u.pk for u in lulus[1:]], tanggal=date(2026, 8, 20), tmt=date(2026, 9, 1),
            penandatangan=PENANDATANGAN_TERPANJANG, kolektif=True,
        )  # fmt: skip
    render_antrean()
    with all_tenants():
        ba = Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)
        ba_seleksi = Surat.objects.filter(jf=jf, jenis=JenisSurat.BERITA_ACARA_SELEKSI).latest("id")
    return {
        "berita-acara": ba,
        "berita-acara-seleksi": ba_seleksi,
        "rekomendasi": rekomendasi,
        "sk": next(s for s in satu if s.jenis == JenisSurat.SK),
        "sk-kolektif": next(s for s in kolektif if s.jenis == JenisSurat.SK_KOLEKTIF),
        "pak": next(s for s in satu if s.jenis == JenisSurat.PAK),
    }


PYB_TERPANJANG = (
    "Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si.",
    "Sekretaris Daerah Kabupaten Kepulauan Siau Tagulandang Biaro",
    "196805121993031002",
)


def terbitkan_penetapan(referensi) -> dict:
    """The letters of the penetapan angka kredit after the SK (apps.penetapan), issued through the
    services and rendered with the worst-case data (issue 13 §6): the holders' instansi is the
    longest name with a three-line letterhead and its own team, the holders and the signers carry
    academic titles, the numbers are long. One holder meets the AK for the next pangkat (PAK), the
    other does not (HAPAK)."""
    from decimal import Decimal

    from django.utils import timezone

    from apps.core.models import Instansi
    from apps.penetapan import selectors as penetapan_selectors
    from apps.penetapan import services as penetapan_services
    from apps.surat.models import PolaNomor, Surat
    from tests.factories import InstansiFactory, UserFactory
    from tests.penetapan.conftest import bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan

    jf = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-SULUT", nama="Pemerintah Provinsi Sulawesi Utara", jenis="provinsi")
    kab = InstansiFactory(
        kode="KAB-SITARO", nama=INSTANSI_TERPANJANG, jenis="kabupaten", parent=prov, kota="Ondong Siau",
        kop_surat=KOP_TIGA_BARIS, alamat="",
    )  # fmt: skip
    for seri, pola in (
        ("pak", "800.1.3.3/{urut:04d}/PAK-AK/TPAK-{kode}/{bulan_romawi}/{tahun}"),
        ("hapak", "800.1.3.3/{urut:04d}/HAPAK/TPAK-{kode}/{bulan_romawi}/{tahun}"),
    ):
        PolaNomor.objects.update_or_create(penerbit_id=kab.pk, seri=seri, defaults={"pola": pola})
    pic = UserFactory(username="pic.sitaro", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jf, "kabupaten_kota", n=3, prefix="tpak")
    ketua, stp = tim["anggota"][0], tim["sekretariat"]
    with all_tenants():
        Instansi.objects.filter(pk=kab.pk).update(nama=INSTANSI_TERPANJANG)
        type(ketua.user).objects.filter(pk=ketua.user_id).update(
            nama_lengkap="Dr. Ir. Raden Mas Bagus Prakoso Wirjosoemarto, M.Sc., M.M.", nip="197203151998031004"
        )
        type(stp).objects.filter(pk=stp.pk).update(
            nama_lengkap="Hj. Sri Rahayu Kusumastuti Wulandari, S.Sos., M.A.P.", nip="198001012005012003"
        )
    ketua.user.refresh_from_db()
    stp.refresh_from_db()
    kurang = buat_pejabat(kab, jf, nip="198609262015052001", nama=NAMA_TERPANJANG, ak_awal=Decimal("40"))
    cukup = buat_pejabat(
        kab, jf, nip="198701012010011003", nama=nama_terburuk(1), ak_awal=Decimal("62.5")
    )  # fmt: skip
    usulan = []
    for pejabat in (kurang, cukup):
        u = usulan_diajukan(pic, pejabat)
        with as_user(stp):
            usulan.append(
                penetapan_services.sekretariat_periksa(actor=stp, usulan=penetapan_selectors.usulan(u.pk), lengkap=True)
            )
    for anggota in tim["anggota"]:
        with as_user(anggota.user):
            penetapan_services.penilaian_simpan(actor=anggota.user, usulan=usulan[0], rekomendasi="setuju")
            penetapan_services.penilaian_simpan(actor=anggota.user, usulan=usulan[1], rekomendasi="setuju")
    with as_user(stp):
        sidang = penetapan_services.sidang_buka(
            actor=stp, tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk for u in usulan]
        )
    with as_user(ketua.user):
        hasil = penetapan_services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB_TERPANJANG, hadir_ids=[a.pk for a in tim["anggota"]]
        )
    render_antrean()
    by_status = {h.status: h for h in hasil}
    with all_tenants():
        return {
            "pak-ak": Surat.objects.get(pk=by_status["pak"].surat_id),
            "hapak": Surat.objects.get(pk=by_status["hapak"].surat_id),
        }


def pdf_text(versi) -> str:
    with versi.berkas.open("rb") as fh:
        reader = PdfReader(fh)
        return "\n".join(page.extract_text() for page in reader.pages)


# The PPK's signer as typed in the SK form.
TTD_FORM = {
    "penandatangan_nama": "Ir. Budi Santoso, M.T.",
    "penandatangan_jabatan": "Sekretaris Jenderal",
    "penandatangan_nip": "196805121993031002",
}


def rekomendasi_lewat_halaman(client, admin, pk, instansi, konfirmasi="ya"):
    """The admin pembina issues the rekomendasi of JF ``pk`` for ``instansi`` through the page
    (with ``konfirmasi=None``: the confirmation summary only)."""
    from django.urls import reverse

    client.force_login(admin)
    return client.post(
        reverse("surat:rekomendasi"),
        {"jf": pk.kode, "instansi": [instansi.pk], "tanggal": "2026-08-03",
         "penandatangan_nama": PENANDATANGAN[0], "penandatangan_jabatan": PENANDATANGAN[1],
         **({"konfirmasi": konfirmasi} if konfirmasi else {})},
    )  # fmt: skip


def versi_sk_antre(instansi, jf):
    """A one-page SK of ``instansi`` (no usulan), numbered and waiting for its render."""
    from django.db import transaction

    from apps.surat.models import JenisSurat

    ttd = ("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", "196805121993031002")
    with tenancy.scope(instansi), transaction.atomic():
        surat = surat_services._create(
            jenis=JenisSurat.SK, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
            perihal="x", actor=None, penandatangan=ttd,
        )  # fmt: skip
        return surat_services._versi(surat, {"nomor": "1", "perihal": "x"}, actor=None)


def layout_text(versi) -> str:
    """The letter's text as ``pdftotext -layout`` lays it out (lines as printed)."""
    with versi.berkas.open("rb") as fh:
        data = fh.read()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def all_tenants():
    return tenancy.all_tenants(reason="test")


# ---------------------------------------------------------------- worst cases for the layout (issue 13 §6)

NAMA_TERPANJANG = "Dr. Raden Ayu Sekar Kusumawardhani Prameswari, S.H., M.Kn."
INSTANSI_TERPANJANG = "Pemerintah Kabupaten Kepulauan Siau Tagulandang Biaro"
KOP_TIGA_BARIS = (
    "PEMERINTAH KABUPATEN KEPULAUAN SIAU TAGULANDANG BIARO\n"
    "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA DAERAH\n"
    "Jalan Raya Ulu Siau Nomor 1, Ondong, Kecamatan Siau Barat, Kode Pos 95861"
)
KOP_PEMBINA = (
    "KEMENTERIAN KETENAGAKERJAAN REPUBLIK INDONESIA\n"
    "DIREKTORAT JENDERAL PEMBINAAN PENEMPATAN TENAGA KERJA DAN PERLUASAN KESEMPATAN KERJA\n"
    "Jalan Jenderal Gatot Subroto Kaveling 51, Jakarta Selatan 12950"
)
UNIT_TERPANJANG = "Bidang Pengembangan Kompetensi dan Penilaian Kinerja Aparatur Sipil Negara Daerah"
PENANDATANGAN_TERPANJANG = (
    "Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si.",
    "Bupati Kepulauan Siau Tagulandang Biaro",
    "196805121993031002",
)
# The Tim Penilai who sign the berita acara, and the verifier who signs the berita acara seleksi.
TIM_TERPANJANG = {
    "ketua": ("Dr. Ir. Raden Ayu Sekar Kusumawardhani, S.H., M.Si.", "197203151998032004"),
    "penilai1": ("Prof. Dr. Ir. Bambang Hadi Wicaksono Suryadiningrat, M.Eng., Ph.D.", "196905121994031001"),
    "penilai2": ("Hj. Sri Rahayu Kusumastuti Wulandari, S.Sos., M.A.P.", "198001012005012003"),
}
VERIFIKATOR_TERPANJANG = ("Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si.", "197501012000031001")
PENANDATANGAN_PEMBINA_TERPANJANG = (
    "Prof. Dr. Ir. Hj. Siti Nurhaliza Kusumaningrum, M.Sc., Ph.D.",
    "Direktur Jenderal Pembinaan Penempatan Tenaga Kerja dan Perluasan Kesempatan Kerja",
    "197001011995031001",
)


def nama_terburuk(i: int) -> str:
    return NAMA_TERPANJANG if i == 0 else f"Dr. Ir. Raden Mas Bagus Prakoso Wirjosoemarto {i}, M.Sc., M.M."


def kasus_terburuk(*, pengguna, pembina) -> None:
    """Make the letters' data the realistic worst case: a three-line letterhead, the longest
    instansi name and long number formats (names and unit kerja come with the pegawai)."""
    from apps.core.models import Instansi
    from apps.surat.models import PolaNomor

    Instansi.objects.filter(pk=pengguna.pk).update(
        nama=INSTANSI_TERPANJANG, kop_surat=KOP_TIGA_BARIS, kota="Ondong Siau", alamat="",
    )  # fmt: skip
    Instansi.objects.filter(pk=pembina.pk).update(kop_surat=KOP_PEMBINA)
    pengguna.refresh_from_db()
    pembina.refresh_from_db()
    pola = {
        (pengguna.pk, "sk"): "800.1.3.3/{urut:04d}/SK-JF/BKPSDMD-{kode}/{bulan_romawi}/{tahun}",
        (pengguna.pk, "pak"): "800.1.3.3/{urut:04d}/PAK-JF/BKPSDMD-{kode}/{bulan_romawi}/{tahun}",
        (pembina.pk, "rekomendasi"): "B-{urut:04d}/PPTKPKK/KP.01.03/{bulan_romawi}/{tahun}",
        (pembina.pk, "berita_acara"): "BA-{urut:04d}/TIM-PENILAI/PPTKPKK/{bulan_romawi}/{tahun}",
    }
    for (penerbit, seri), teks in pola.items():
        PolaNomor.objects.update_or_create(penerbit_id=penerbit, seri=seri, defaults={"pola": teks})
