"""Every tenant-owned table is scoped twice: by its manager and by a PostgreSQL policy.

These fail for a new model with an ``instansi`` foreign key, or a ``jf`` foreign key (a JF-owned
model: a Tim Penilai, a sidang, ...), that forgets either."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from apps.core.models import Instansi
from apps.core.tenancy import (
    EXEMPT_JF_MODELS,
    EXEMPT_MODELS,
    REFERENCE_APPS,
    JFScopedManager,
    TenantManager,
    TenantModel,
)

pytestmark = pytest.mark.django_db


def _models_with_instansi_fk():
    for model in apps.get_models():
        if model._meta.label in EXEMPT_MODELS:
            continue
        if any(f.is_relation and f.many_to_one and f.related_model is Instansi for f in model._meta.concrete_fields):
            yield model


def _jf_owned_models():
    """Models with a foreign key to the JF that are not tenant-owned (no instansi key) and not
    reference data: owned by the JF's pembina, scoped by the JF."""
    jf_model = apps.get_model(settings.SIAKS_JF_MODEL)
    for model in apps.get_models():
        if model._meta.label in EXEMPT_JF_MODELS or model._meta.app_label in REFERENCE_APPS:
            continue
        if issubclass(model, TenantModel):
            continue
        if any(f.is_relation and f.many_to_one and f.related_model is jf_model for f in model._meta.concrete_fields):
            yield model


def _rls_tables() -> dict[str, tuple[bool, bool, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                   (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """
        )
        return {name: (rls, force, policies) for name, rls, force, policies in cursor.fetchall()}


def test_there_are_tenant_models_to_check():
    labels = {m._meta.label for m in _models_with_instansi_fk()}
    assert {"pengusulan.Pegawai", "core.AuditLog"} <= labels


def test_every_model_with_an_instansi_key_has_the_scoped_managers():
    missing = [
        m._meta.label
        for m in _models_with_instansi_fk()
        if not isinstance(m._default_manager, TenantManager) or not isinstance(m._base_manager, TenantManager)
    ]
    assert missing == [], f"models without the default-deny manager: {missing}"


def test_every_model_with_an_instansi_key_has_a_forced_rls_policy():
    tables = _rls_tables()
    problems = []
    for model in _models_with_instansi_fk():
        table = model._meta.db_table
        rls, force, policies = tables[table]
        if not (rls and force and policies >= 1):
            problems.append(f"{table}: enabled={rls} forced={force} policies={policies}")
    assert problems == []


def test_there_are_jf_owned_models_to_check():
    labels = {m._meta.label for m in _jf_owned_models()}
    assert {"verifikasi.TimPenilai", "verifikasi.Sidang", "verifikasi.BeritaAcara"} <= labels


def test_every_jf_owned_model_has_the_jf_scoped_managers():
    missing = [
        m._meta.label
        for m in _jf_owned_models()
        if not isinstance(m._default_manager, JFScopedManager) or not isinstance(m._base_manager, JFScopedManager)
    ]
    assert missing == [], f"JF-owned models without the default-deny manager: {missing}"


def test_every_jf_owned_model_has_a_forced_rls_policy_on_its_jf():
    tables = _rls_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, qual FROM pg_policies WHERE schemaname = 'public'")
        quals = dict(cursor.fetchall())
    problems = []
    for model in _jf_owned_models():
        table = model._meta.db_table
        rls, force, policies = tables[table]
        if not (rls and force and policies >= 1 and "siaks.jf_ids" in (quals.get(table) or "")):
            problems.append(f"{table}: enabled={rls} forced={force} policies={policies}")
    assert problems == []


def test_exemptions_have_reasons():
    assert all(reason.strip() for reason in EXEMPT_MODELS.values())
    assert all(reason.strip() for reason in [*EXEMPT_JF_MODELS.values(), *REFERENCE_APPS.values()])


def test_the_app_role_is_neither_superuser_nor_owner_nor_exempt_from_rls():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT pg_get_userbyid(datdba) <> current_user FROM pg_database WHERE datname = current_database()"
        )
        assert cursor.fetchone() == (True,)


def test_the_app_role_cannot_change_the_schema():
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE pengusulan_pegawai DISABLE ROW LEVEL SECURITY")


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_start_from_an_empty_database():
    """Django's flush must see every table through the app connection (a router that hid them
    once left rows behind between tests)."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    assert "pengusulan_pegawai" in tables and "core_auditlog" in tables
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('siaks.all_tenants', 'on', false)")
        cursor.execute("SELECT count(*) FROM pengusulan_pegawai")
        count = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('siaks.all_tenants', '', false)")
    assert count == 0


def test_no_unused_visibility_function_is_left_in_the_database():
    """The policies read the tenant settings in sub-selects (apps.core.rls); the old functions are gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'siaks\\_%%visible'")
        assert cursor.fetchall() == []
        cursor.execute("SELECT count(*) FROM pg_policies WHERE qual LIKE '%%visible(%%'")
        assert cursor.fetchone()[0] == 0
