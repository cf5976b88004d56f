"""The penetapan angka kredit fixtures: JF Analis Kebijakan (seed 001's JF) with seed 001's two
periods, a province with a kabupaten, teams of each level formed directly (as the pembina's
admin would), holders with a ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core import tenancy
from apps.jabatan.models import PejabatFungsional
from apps.penetapan import selectors, services
from apps.penetapan.models import AnggotaTimAK, PeriodePenetapan, SekretariatTimAK, TimPenilaiAK
from apps.referensi.models import Golongan, Jenjang
from tests.factories import InstansiFactory, UserFactory
from tests.pdfs import pdf_dokumen

#: In the October window of seed 001 (first week of October).
DALAM_PERIODE = date(2026, 10, 3)


def as_user(user):
    return tenancy.activate(tenancy.scope_for_user(user))


def periode_seed_001(jf):
    """Seed 001 BAB IV C, Tabel 1: first week of October → PAK January → kenaikan pangkat April;
    first week of April → July → October."""
    PeriodePenetapan.objects.create(
        jf=jf,
        kode="I",
        nama="Periode I",
        bulan_pengajuan=10,
        hari_mulai=1,
        hari_selesai=7,
        bulan_pak=1,
        bulan_kenaikan_pangkat=4,
    )
    PeriodePenetapan.objects.create(
        jf=jf,
        kode="II",
        nama="Periode II",
        bulan_pengajuan=4,
        hari_mulai=1,
        hari_selesai=7,
        bulan_pak=7,
        bulan_kenaikan_pangkat=10,
    )
    return jf


@pytest.fixture
def jfak(referensi):
    """JF Analis Kebijakan, seed 001's JF, with its two periods."""
    return periode_seed_001(referensi["analis-kebijakan"])


@pytest.fixture
def prov(db):
    return InstansiFactory(
        kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi", kota="Semarang"
    )


@pytest.fixture
def kab(prov):
    return InstansiFactory(
        kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov, kota="Purwokerto"
    )


@pytest.fixture
def kab2(prov):
    return InstansiFactory(kode="KAB-CILACAP", nama="Pemerintah Kabupaten Cilacap", jenis="kabupaten", parent=prov)


@pytest.fixture
def pic_kab(kab):
    return UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])


@pytest.fixture
def pic_kab2(kab2):
    return UserFactory(username="pic.cilacap", instansi=kab2, roles=["pic_instansi"])


#: The ketua's NIP in every team formed here (printed under their signature on the HAPAK).
KETUA_NIP = "197203151998031004"


def bentuk_tim(owner, jf, tingkat, *, n=3, prefix="tim", nips=None, pengganti=0, sekretariat_mulai=None):
    """A team of ``n`` members (the first is ketua, the second sekretaris) plus ``pengganti``
    substitutes and one sekretariat user with a one-year term running today."""
    hari = timezone.localdate()
    with tenancy.all_tenants(reason="test factory"):
        tim = TimPenilaiAK.objects.create(
            instansi=owner,
            jf=jf,
            tingkat=tingkat,
            nama=f"Tim Penilai {owner.nama}",
            masa_mulai=hari - timedelta(days=60),
            masa_selesai=hari + timedelta(days=900),
        )
        anggota = []
        for i in range(n + pengganti):
            # The ketua signs the HAPAK with their NIP under the signature: they have one.
            nip = (nips or {}).get(i, KETUA_NIP if i == 0 else "")
            user = UserFactory(
                username=f"{prefix}.{owner.kode.lower()}.{i}", instansi=owner, roles=["penilai_ak"], nip=nip
            )
            peran = ["ketua", "sekretaris"][i] if i < 2 else ("anggota" if i < n else "pengganti")
            anggota.append(AnggotaTimAK.objects.create(tim=tim, instansi=owner, jf=jf, user=user, peran=peran))
        stp = UserFactory(username=f"stp.{prefix}.{owner.kode.lower()}", instansi=owner, roles=["sekretariat_tim"])
        mulai = sekretariat_mulai or hari - timedelta(days=30)
        SekretariatTimAK.objects.create(
            tim=tim, instansi=owner, jf=jf, user=stp, masa_mulai=mulai, masa_selesai=mulai + timedelta(days=364)
        )
    return {"tim": tim, "anggota": anggota, "sekretariat": stp}


def buat_pejabat(
    instansi,
    jf,
    *,
    nip="198609262015052001",
    nama="Ani Wulandari",
    jenjang_kode="ahli_pertama",
    ak_awal=Decimal("40"),
    lahir=None,
    user=None,
    rincian_awal=None,
    awal_pada=None,
) -> PejabatFungsional:
    from apps.jabatan.services import mutasi_tambah

    with tenancy.scope(instansi):
        jenjang = Jenjang.objects.get(jf=jf, kode=jenjang_kode)
        p = PejabatFungsional.objects.create(
            instansi=instansi,
            jf=jf,
            jenjang=jenjang,
            nip=nip,
            nama=nama,
            kelas_jabatan=jenjang.kelas_jabatan,
            tmt_jabatan=date(2024, 1, 1),
            golongan=Golongan.objects.get(kode="III/a"),
            tmt_golongan=date(2024, 1, 1),
            sumber="impor",
            tanggal_lahir=lahir,
            user=user,
        )
        mutasi_tambah(
            p, "awal", ak_awal, oleh=None, keterangan="AK awal (impor)", rincian=rincian_awal, periode_mulai=awal_pada
        )
    return p


def lengkapi(actor, usulan):
    for jenis in services.DOKUMEN_WAJIB:
        services.dokumen_unggah(
            actor=actor,
            usulan=usulan,
            jenis=jenis,
            upload=SimpleUploadedFile(f"{jenis}.pdf", pdf_dokumen(jenis), "application/pdf"),
        )


def usulan_diajukan(pic, pejabat, pada=DALAM_PERIODE):
    with as_user(pic):
        u = services.usulan_buat(actor=pic, pejabat=pejabat, pada=pada)
        lengkapi(pic, u)
        return services.usulan_ajukan(actor=pic, usulan=u, pada=pada)


# The provincial team and two holders of its kabupaten that the workflow tests (and the signing
# layout test) take through assessment and sidang.
PYB = ("Dr. Sekretaris Daerah, M.Si.", "Sekretaris Daerah Provinsi Jawa Tengah", "197001011990031001")


@pytest.fixture
def tim_prov(prov, jfak):
    return bentuk_tim(prov, jfak, "provinsi", n=5, pengganti=1)


@pytest.fixture
def ani(kab, jfak):
    # Her AK awal came from the portal's inpassing SK (the ledger row's source says so).
    return buat_pejabat(
        kab, jfak, ak_awal=Decimal("40"), rincian_awal={"sumber": "sk_inpassing", "surat": "800/1/SK-INP/2024"}
    )


@pytest.fixture
def budi(kab, jfak):
    return buat_pejabat(kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"))


def ke_penilaian(pic, pejabat, tim):
    """Submitted and found complete by the team's sekretariat: in assessment."""
    u = usulan_diajukan(pic, pejabat)
    with as_user(tim["sekretariat"]):
        return services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)


def nilai_ak(anggota, u, rekomendasi="setuju", catatan=""):
    """The member's online assessment of the usulan: agrees with the computed AK, or not (with
    a note)."""
    if rekomendasi == "tidak_setuju" and not catatan:
        catatan = "Predikat 2025 tidak didukung dokumen SKP."
    with as_user(anggota.user):
        return services.penilaian_simpan(actor=anggota.user, usulan=u, rekomendasi=rekomendasi, catatan=catatan)


def sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov) -> list:
    """Ani (40 AK, short of 50) and Budi (62,5) assessed by four members who agree with the
    computed AK, decided in one sidang of the provincial team with five present: the decided
    usulan (a HAPAK and a PAK issued)."""
    ua = ke_penilaian(pic_kab, ani, tim_prov)
    ub = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, ua)
        nilai_ak(a, ub)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(
            actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[ua.pk, ub.pk]
        )
    with as_user(ketua.user):
        return services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim_prov["anggota"][:5]]
        )
