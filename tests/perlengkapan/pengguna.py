"""The instansi and the users of each tenant (see tests/perlengkapan/__init__.py)."""

from __future__ import annotations

import pytest

from tests.factories import InstansiFactory, PegawaiFactory, UserFactory


@pytest.fixture
def instansi_a(db):
    return InstansiFactory(kode="KEMENHUB", nama="Kementerian Perhubungan")


@pytest.fixture
def instansi_b(db):
    return InstansiFactory(kode="PROV-JABAR", nama="Pemerintah Provinsi Jawa Barat", jenis="provinsi")


@pytest.fixture
def pembina(db):
    return InstansiFactory(kode="KEMENSETNEG", nama="Kementerian Sekretariat Negara", is_pembina=True)


@pytest.fixture
def pic_a(instansi_a):
    return UserFactory(username="pic.a", instansi=instansi_a, roles=["pic_instansi"])


@pytest.fixture
def ppk_a(instansi_a):
    return UserFactory(username="ppk.a", instansi=instansi_a, roles=["ppk"])


@pytest.fixture
def pic_b(instansi_b):
    return UserFactory(username="pic.b", instansi=instansi_b, roles=["pic_instansi"])


@pytest.fixture
def verifikator(pembina):
    return UserFactory(username="verifikator", instansi=pembina, roles=["verifikator"])


@pytest.fixture
def superadmin(db):
    return UserFactory(username="superadmin", instansi=None, roles=[], is_superuser=True, is_staff=True)


@pytest.fixture
def pegawai_a(instansi_a):
    return PegawaiFactory(instansi=instansi_a, nama="Ani Wulandari", nip="198609262015052001")


@pytest.fixture
def pegawai_b(instansi_b):
    return PegawaiFactory(instansi=instansi_b, nama="Budi Hartono", nip="197901012005011002")


@pytest.fixture
def referensi(db):
    """The shipped reference data: golongan, AK tables, JF AKS / Pengantar Kerja / Analis Kebijakan."""
    from apps.referensi.loader import load_all

    load_all()
    from apps.referensi.models import JabatanFungsional

    return {jf.kode: jf for jf in JabatanFungsional.objects.select_related("instansi_pembina")}


@pytest.fixture
def admin_setneg(referensi):
    return UserFactory(username="admin.setneg", instansi=referensi["aks"].instansi_pembina, roles=["admin_pembina"])


@pytest.fixture
def admin_lan(referensi):
    return UserFactory(
        username="admin.lan", instansi=referensi["analis-kebijakan"].instansi_pembina, roles=["admin_pembina"]
    )


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
def ppk_pk(instansi_a, pk):
    return UserFactory(username="ppk.pk", instansi=instansi_a, roles=["ppk"], nama_lengkap="Ir. Budi Santoso, M.T.")


@pytest.fixture
def aks(referensi):
    return referensi["aks"]


@pytest.fixture
def pic(referensi, instansi_a):
    return UserFactory(username="pic.kemenhub", instansi=instansi_a, roles=["pic_instansi"])


@pytest.fixture
def pic_lain(referensi, instansi_b):
    return UserFactory(username="pic.jabar", instansi=instansi_b, roles=["pic_instansi"])
