from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from apps.core import tenancy
from apps.core.tenancy import ScopeError
from apps.pengusulan.models import Pegawai
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db


def _raw_count(table: str = "pengusulan_pegawai") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _tulisan_lingkup(monkeypatch) -> list:
    """The scope writes (``SET_SCOPE_SQL``, its values) the backend sends from now on."""
    import psycopg

    from apps.core.db.backend.base import SET_SCOPE_SQL

    ditulis = []
    asli = psycopg.Cursor.execute

    def execute(cur, query, *args, **kwargs):
        if query == SET_SCOPE_SQL:
            ditulis.append(args[0] if args else None)
        return asli(cur, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", execute)
    return ditulis


@pytest.fixture
def two_tenants(pegawai_a, pegawai_b):
    return pegawai_a, pegawai_b


class TestScopedManager:
    def test_it_refuses_to_query_without_a_scope(self, two_tenants):
        with pytest.raises(ScopeError):
            list(Pegawai.objects.all())

    def test_it_refuses_related_access_without_a_scope(self, two_tenants):
        # The base manager is scoped too: no back door through relations or save().
        with pytest.raises(ScopeError):
            Pegawai._base_manager.count()

    def test_it_shows_only_the_scoped_instansi(self, two_tenants, instansi_a):
        with tenancy.scope(instansi_a):
            assert [p.nama for p in Pegawai.objects.all()] == ["Ani Wulandari"]

    def test_it_rejects_other_instansi_lookups(self, two_tenants, instansi_a):
        _, pegawai_b = two_tenants
        with tenancy.scope(instansi_a), pytest.raises(Pegawai.DoesNotExist):
            Pegawai.objects.get(pk=pegawai_b.pk)

    def test_all_tenants_needs_a_reason(self):
        with pytest.raises(ValueError):
            tenancy.all_tenants(reason="")

    def test_all_tenants_sees_everything(self, two_tenants):
        with tenancy.all_tenants(reason="test"):
            assert Pegawai.objects.count() == 2

    def test_it_refuses_to_save_a_row_for_another_instansi(self, instansi_a, instansi_b):
        with tenancy.scope(instansi_a), pytest.raises(ScopeError):
            Pegawai(instansi=instansi_b, nip="198609262015051009", nama="X").save()


class TestRowLevelSecurity:
    def test_with_no_tenant_set_the_app_role_sees_zero_rows(self, two_tenants):
        assert _raw_count() == 0

    def test_in_a_tenant_scope_raw_sql_sees_that_tenant_only(self, two_tenants, instansi_a):
        with tenancy.scope(instansi_a):
            assert _raw_count() == 1

    def test_leaving_the_scope_inside_one_transaction_hides_rows_again(self, two_tenants, instansi_a):
        with transaction.atomic():
            with tenancy.scope(instansi_a):
                assert _raw_count() == 1
            assert _raw_count() == 0

    def test_a_rolled_back_savepoint_does_not_leave_another_scope_behind(self, two_tenants, instansi_a, instansi_b):
        with transaction.atomic(), tenancy.scope(instansi_a):
            assert _raw_count() == 1
            try:
                with transaction.atomic(), tenancy.scope(instansi_b):
                    assert _raw_count() == 1
                    raise RuntimeError("roll back the savepoint")
            except RuntimeError:
                pass
            with connection.cursor() as cursor:
                cursor.execute("SELECT nama FROM pengusulan_pegawai")
                assert cursor.fetchall() == [("Ani Wulandari",)]

    def test_a_block_without_a_savepoint_does_not_set_the_scope_again(self, two_tenants, instansi_a, monkeypatch):
        """Issue 17 (helper i17h): the scope was written again after every atomic block, also one
        that makes no savepoint (``bulk_create``, ``delete``), which cannot undo it: one round
        trip more for each, e.g. the signing worker's receipt insert. Session 13: neither does a
        real savepoint opened after the write (only a rollback to a savepoint opened before it can
        undo it: the tests above and below)."""
        ditulis = _tulisan_lingkup(monkeypatch)
        with transaction.atomic(), tenancy.scope(instansi_a):
            assert _raw_count() == 1
            assert len(ditulis) == 1
            with transaction.atomic(savepoint=False):
                assert _raw_count() == 1
            Pegawai.objects.filter(nama="tidak ada").delete()  # Django's own atomic(savepoint=False)
            assert _raw_count() == 1
            assert len(ditulis) == 1
            # A real savepoint opened after the scope was written cannot undo it either: one
            # round trip per query, not two (a third of a journey's queries were these writes).
            with transaction.atomic():
                assert _raw_count() == 1
                with transaction.atomic():
                    assert _raw_count() == 1
            try:
                with transaction.atomic():
                    assert _raw_count() == 1
                    raise RuntimeError("roll back a savepoint opened after the write")
            except RuntimeError:
                pass
            assert _raw_count() == 1
            assert len(ditulis) == 1

    def test_a_scope_written_inside_a_released_savepoint_stands_and_a_rolled_back_one_is_written_again(
        self, two_tenants, instansi_a, instansi_b, monkeypatch
    ):
        ditulis = _tulisan_lingkup(monkeypatch)
        with transaction.atomic():
            with transaction.atomic(), tenancy.scope(instansi_a):
                assert _raw_count() == 1  # written inside the savepoint
            with tenancy.scope(instansi_a):
                assert _raw_count() == 1  # released: it stands, not written again
            assert len(ditulis) == 1
            with tenancy.scope(instansi_a):
                try:
                    with transaction.atomic(), tenancy.scope(instansi_b):
                        assert _raw_count() == 1
                        raise RuntimeError("roll back")
                except RuntimeError:
                    pass
                assert _raw_count() == 1 and len(ditulis) == 3  # A written again after B's rollback
            # No scope once a rollback undid the last write: the empty scope is written, so the
            # scope written earlier in the transaction (A, outside the savepoint) does not apply.
            with tenancy.scope(instansi_a):
                assert _raw_count() == 1
                try:
                    with transaction.atomic(), tenancy.all_tenants(reason="test"):
                        assert _raw_count() == 2
                        raise RuntimeError("roll back")
                except RuntimeError:
                    pass
            assert _raw_count() == 0
            with connection.cursor() as cursor:
                cursor.execute("SAVEPOINT handmade")
                with tenancy.scope(instansi_b):
                    assert _raw_count() == 1
                cursor.execute("ROLLBACK TO SAVEPOINT handmade")  # raw SQL: followed too
                with tenancy.scope(instansi_b):
                    assert _raw_count() == 1
                    cursor.execute("SELECT nama FROM pengusulan_pegawai")
                    assert cursor.fetchall() == [(two_tenants[1].nama,)]

    def test_policy_blocks_writing_another_tenants_row(self, two_tenants, instansi_a, instansi_b):
        insert = (
            "INSERT INTO pengusulan_pegawai (instansi_id, nip, nama, jabatan_saat_ini, unit_kerja, "
            "created_at, updated_at) VALUES (%s, '198609262015051003', 'Penyusup', '', '', now(), now())"
        )
        with (
            tenancy.scope(instansi_a),
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(insert, [instansi_b.pk])

    def test_policy_hides_other_tenants_rows_from_updates(self, two_tenants, instansi_a):
        with tenancy.scope(instansi_a), connection.cursor() as cursor:
            cursor.execute("UPDATE pengusulan_pegawai SET nama = 'diubah'")
            assert cursor.rowcount == 1
        with tenancy.all_tenants(reason="test"):
            assert sorted(Pegawai.objects.values_list("nama", flat=True)) == ["Budi Hartono", "diubah"]


@pytest.mark.django_db(transaction=True)
class TestAutocommit:
    def test_a_scoped_query_outside_a_transaction_still_carries_the_tenant(self, instansi_a, instansi_b):
        PegawaiFactory(instansi=instansi_a)
        PegawaiFactory(instansi=instansi_b)
        assert not connection.in_atomic_block
        with tenancy.scope(instansi_a):
            assert _raw_count() == 1
            assert Pegawai.objects.count() == 1
        assert _raw_count() == 0


def test_pembina_staff_scope_carries_the_jfs_their_instansi_administers(referensi):
    from tests.factories import InstansiFactory, UserFactory

    aks = referensi["aks"]
    verifikator = UserFactory(instansi=aks.instansi_pembina, roles=["verifikator"])
    scope = tenancy.scope_for_user(verifikator)
    assert scope.instansi_id == aks.instansi_pembina_id
    assert scope.jf_ids == frozenset({aks.pk})
    kota = InstansiFactory(kode="KOTA-X", jenis="kota")
    pic = UserFactory(instansi=kota, roles=["pic_instansi"])
    assert tenancy.scope_for_user(pic).jf_ids == frozenset()
