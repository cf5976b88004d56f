from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import Membership, User
from apps.core import tenancy
from apps.core.models import Instansi
from apps.pengusulan.models import Pegawai

PASSWORD = "kata-sandi-uji-2026"


class InstansiFactory(DjangoModelFactory):
    class Meta:
        model = Instansi
        django_get_or_create = ("kode",)

    kode = factory.Sequence(lambda n: f"INST{n:03d}")
    nama = factory.Sequence(lambda n: f"Instansi Uji {n}")
    jenis = Instansi.Jenis.KEMENTERIAN
    kota = "Jakarta"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    nama_lengkap = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@uji.siaks.go.id")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @classmethod
    def _create(cls, model_class, *args, instansi=None, roles=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        for role in roles:
            Membership.objects.get_or_create(user=user, role=role, defaults={"instansi": instansi})
        return user


class TenantFactory(DjangoModelFactory):
    """Tenant-owned rows are made with an explicit, greppable opt-out of scoping."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with tenancy.all_tenants(reason="test factory"):
            return super()._create(model_class, *args, **kwargs)


class PegawaiFactory(TenantFactory):
    class Meta:
        model = Pegawai

    instansi = factory.SubFactory(InstansiFactory)
    nip = factory.Sequence(lambda n: f"19860926201505{1 + n % 2}{n % 1000:03d}")
    nama = factory.Faker("name", locale="id_ID")


def gol_penilai(kode: str = "IV/a"):
    """A Tim Penilai member's golongan: at least that of the pegawai assessed (seed 001 C.2)."""
    from apps.referensi.models import Golongan

    return Golongan.objects.get(kode=kode)
