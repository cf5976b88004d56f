from __future__ import annotations

from datetime import date

import pytest

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.referensi.models import Jenjang
from tests.factories import UserFactory
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory


@pytest.fixture
def pk(referensi):
    """JF Pengantar Kerja: the one shipped with a full competency standard (seed 002). Its PAK is set
    to be issued with the SK by the SK's signer (the letter tests read that PAK); the default, the PAK
    signed by the atasan langsung before the SK (seed 004), is tested in tests/surat/test_pak.py."""
    from apps.referensi.models import PakPenandatangan
    from apps.referensi.services import pak_dokumen_sesuaikan

    jf = referensi["pengantar-kerja"]
    jf.pak_penandatangan = PakPenandatangan.PEJABAT_SK
    jf.save(update_fields=["pak_penandatangan"])
    pak_dokumen_sesuaikan(jf)
    return jf


@pytest.fixture
def kemnaker(pk):
    return pk.instansi_pembina


@pytest.fixture
def staf(kemnaker):
    """Pembina staff of Kemnaker, one per role."""
    make = lambda username, roles, nip="": UserFactory(username=username, instansi=kemnaker, roles=roles, nip=nip)  # noqa: E731
    return {
        "verifikator": make("verif.kemnaker", ["verifikator"]),
        "verifikator2": make("verif2.kemnaker", ["verifikator"]),
        "admin": make("admin.kemnaker", ["admin_pembina"]),
        "ketua": make("ketua.kemnaker", ["ketua_tim", "penilai"]),
        "penilai1": make("penilai1.kemnaker", ["penilai"]),
        "penilai2": make("penilai2.kemnaker", ["penilai"]),
        "penilai3": make("penilai3.kemnaker", ["penilai"]),
        "penilai4": make("penilai4.kemnaker", ["penilai"]),
    }


@pytest.fixture
def pic_pk(instansi_a, pk):
    return UserFactory(username="pic.pk", instansi=instansi_a, roles=["pic_instansi"])


@pytest.fixture
def diajukan(pic_pk, pk):
    """Make submitted usulan for JF Pengantar Kerja (Ahli Muda) at the PIC's instansi."""

    def make(n: int = 1, *, nip_prefix: str = "19860926 201505 1 ", nama=None, **extra) -> list:
        with tenancy.scope(pic_pk.instansi):
            pic_services.formasi_simpan(
                actor=pic_pk, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=50
            )
            made = []
            for i in range(n):
                pegawai = pic_services.pegawai_create(
                    actor=pic_pk,
                    data=pegawai_data(
                        nip=f"{nip_prefix}{i + 1:03d}", nama=nama(i) if nama else f"Pegawai PK {i + 1}", **extra
                    ),
                )
                made.append(pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk))
        for u in made:
            upload_all_mandatory(pic_pk, u)
        with tenancy.scope(pic_pk.instansi):
            return [pic_services.usulan_ajukan(actor=pic_pk, usulan=u, on=ON) for u in made]

    return make


def as_user(user):
    return tenancy.activate(tenancy.scope_for_user(user))


#: The term of the teams the tests form.
MULAI, SELESAI = date(2026, 1, 1), date(2028, 12, 31)


def bentuk_tim(staf, jf, *, nama: str = "Tim Penilai PK 2026", mulai=MULAI, selesai=SELESAI, sertifikat_anggota=False):
    """The team every pembina test uses: ketua, sekretaris (both certified) and one member,
    formed by the JF's admin through the service."""
    from apps.verifikasi import services
    from tests.factories import gol_penilai

    with as_user(staf["admin"]):
        return services.tim_bentuk(
            actor=staf["admin"],
            jf=jf,
            nama=nama,
            mulai=mulai,
            selesai=selesai,
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (staf["penilai1"], "sekretaris", True, gol_penilai()),
                (staf["penilai2"], "anggota", sertifikat_anggota, gol_penilai()),
            ],
        )


@pytest.fixture
def tim(pk, staf):
    return bentuk_tim(staf, pk)


def lulus_administrasi(usulan, staf):
    """Walk a submitted usulan through the seleksi administrasi to lulus administrasi."""
    from apps.referensi.models import PersyaratanDokumen
    from apps.verifikasi import services

    v = staf["verifikator"]
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {p.pk: (True, "") for p in PersyaratanDokumen.objects.filter(jf=usulan.jf, wajib=True)}
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        return services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")


def nilai_semua(user, usulan, rekomendasi="lulus"):
    """The penilai declares no conflict and scores every competency at its standard level."""
    from apps.referensi.models import Kompetensi
    from apps.verifikasi import selectors, services

    with as_user(user):
        penugasan = selectors.penugasan_saya(user).get(usulan=usulan)
        services.penugasan_bebas_konflik(actor=user, penugasan=penugasan)
        nilai = {
            k.pk: (k.level, "Portofolio menunjukkan bukti.") for k in Kompetensi.objects.filter(jenjang=usulan.jenjang)
        }
        return services.nilai_simpan(
            actor=user, penugasan=penugasan, nilai=nilai, rekomendasi=rekomendasi, selesai=True
        )


TODAY = date(2026, 6, 20)


def spec(i, peran="anggota", sert=True):
    """A team member as the pure team rules see it (``verifikasi.domain.validasi_tim``)."""
    from apps.verifikasi import domain

    return domain.AnggotaSpec(i, f"Anggota {i}", peran, sert)
