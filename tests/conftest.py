"""Test database: made and migrated by the owner role, used by the application role.

pytest-django would otherwise create the test database through ``default`` — the application
role, which may not create databases or tables. Here the owner connection creates and migrates
``test_siaks`` and ``default`` is pointed at it, so tests run under the same role and
row-level security as production."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import InstansiFactory, PegawaiFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    owner = connections[settings.MIGRATION_DATABASE]
    old_name = owner.settings_dict["NAME"]
    with django_db_blocker.unblock():
        test_name = owner.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        default = connections["default"]
        default.close()
        default.settings_dict["NAME"] = test_name
        settings.DATABASES["default"]["NAME"] = test_name
    yield
    with django_db_blocker.unblock():
        for conn in connections.all():
            conn.close()
        owner.creation.destroy_test_db(old_name, verbosity=0)


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _stop_test_redis_at_the_end():
    """The suite's own Redis (siaks.settings.test) does not outlive the test run."""
    yield
    from siaks import embedded

    if getattr(settings, "TEST_REDIS_SOCKET", None):
        embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
