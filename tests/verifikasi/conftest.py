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
    """JF Pengantar Kerja: the one shipped with a full competency standard (seed 002)."""
    return referensi["pengantar-kerja"]


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


TODAY = date(2026, 6, 20)
