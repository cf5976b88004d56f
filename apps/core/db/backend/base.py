"""PostgreSQL backend that carries the tenant scope into each transaction for RLS.

Before the first query of a transaction (and again after a savepoint boundary, since a savepoint
rollback undoes ``set_config``) the active :mod:`apps.core.tenancy` scope is written with
``set_config(..., is_local => true)``: the values vanish with the transaction, so a pooled
connection never carries one request's tenant into the next. A query that runs in autocommit
mode while a scope is active is wrapped in its own transaction for the same reason.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.db.backends.postgresql import base

from apps.core import tenancy

SET_SCOPE_SQL = (
    "SELECT set_config('siaks.instansi_id', %s, true), "
    "set_config('siaks.all_tenants', %s, true), "
    "set_config('siaks.jf_ids', %s, true), "
    "set_config('siaks.pejabat_id', %s, true)"
)
EMPTY = ("", "off", "", "")
# Transaction control reads no rows and may run in an aborted transaction (rollback to savepoint).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


#: After a failed connection attempt, further attempts in this process fail at once for this
#: many seconds: while the database is unreachable a request answers its 503 in about the pool's
#: timeout (2 s), instead of waiting again at every query of the request and its error handling.
FAIL_FAST_SECONDS = 2.0
_unreachable_until = 0.0


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        global _unreachable_until
        if time.monotonic() < _unreachable_until:
            raise self.Database.OperationalError("database unreachable (failed moments ago; not retried yet)")
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError:
            _unreachable_until = time.monotonic() + FAIL_FAST_SECONDS
            raise

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._siaks_tx_serial = 0
        self._siaks_applied: tuple | None = None
        self.execute_wrappers.append(self._apply_tenant_scope)

    # Every way a transaction can end starts a new serial: whatever was set is gone.
    def _siaks_new_transaction(self) -> None:
        self._siaks_tx_serial += 1
        self._siaks_applied = None

    def connect(self) -> None:
        self._siaks_new_transaction()
        super().connect()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._siaks_new_transaction()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._siaks_new_transaction()

    def set_autocommit(self, *args, **kwargs) -> None:
        try:
            super().set_autocommit(*args, **kwargs)
        finally:
            self._siaks_new_transaction()

    def _apply_tenant_scope(self, execute, sql, params, many, context):
        if isinstance(sql, str) and sql.startswith(TRANSACTION_CONTROL):
            return execute(sql, params, many, context)
        active = tenancy.current()
        wanted = None if active is None else active.db_settings()
        if not self.in_atomic_block:
            if wanted is None or not self.get_autocommit():
                return execute(sql, params, many, context)
            with transaction.atomic(using=self.alias):
                return self._apply_tenant_scope(execute, sql, params, many, context)
        # The savepoints the scope would be undone with. An atomic block that made none (``None``:
        # ``atomic(savepoint=False)``, as ``bulk_create`` and ``delete`` use) cannot undo it — a
        # failure there dooms the whole transaction — so it does not ask for the scope again.
        key = (self._siaks_tx_serial, tuple(sid for sid in self.savepoint_ids if sid is not None))
        applied = self._siaks_applied
        if not (applied is None and wanted is None) and applied != (key, wanted):
            # On a plain cursor of the raw connection: the query's own cursor may be a named
            # server-side cursor (QuerySet.iterator()), which would only DECLARE the set_config.
            with self.connection.cursor() as plain:
                plain.execute(SET_SCOPE_SQL, wanted or EMPTY)
            self._siaks_applied = (key, wanted)
        return execute(sql, params, many, context)
