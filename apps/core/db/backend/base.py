"""PostgreSQL backend that carries the tenant scope into each transaction for RLS.

Before the first query of a transaction the active :mod:`apps.core.tenancy` scope is written with
``set_config(..., is_local => true)``: the values vanish with the transaction, so a pooled
connection never carries one request's tenant into the next. A query that runs in autocommit
mode while a scope is active is wrapped in its own transaction for the same reason.

It is written again only when the scope changes or may have been undone: a ``ROLLBACK TO
SAVEPOINT`` undoes a ``set_config`` made after that savepoint, so the backend follows the
transaction's savepoints (from the statements themselves, Django's and raw ones alike) and
remembers how deep the scope was written. A savepoint opened after the scope was written, or
released, leaves it standing: before this, every savepoint (each service's atomic block) cost one
round trip more.
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
UNKNOWN = (object(), -1)
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
        #: The live savepoints of the current transaction, outermost first.
        self._siaks_savepoints: list[str] = []
        #: (scope values written, how many savepoints were live then); None: nothing written in this
        #: transaction; UNKNOWN: a rollback undid the last write, an older one may stand.
        self._siaks_applied: tuple | None = None
        self.execute_wrappers.append(self._apply_tenant_scope)

    # Every way a transaction can end: whatever was set is gone.
    def _siaks_new_transaction(self) -> None:
        self._siaks_savepoints = []
        self._siaks_applied = None

    def _siaks_follow_savepoint(self, sql: str) -> None:
        """Bookkeeping after a savepoint statement ran: what it did to the written scope."""
        verb, _sep, name = sql.rpartition(" ")
        name = name.strip().strip('"')
        stack = self._siaks_savepoints
        if verb == "SAVEPOINT":
            stack.append(name)
            return
        if name not in stack:  # a savepoint this backend did not see opened: assume the worst
            if self._siaks_applied is not None:
                self._siaks_applied = UNKNOWN
            return
        i = stack.index(name)
        applied = self._siaks_applied
        if verb == "ROLLBACK TO SAVEPOINT":
            del stack[i + 1 :]  # the savepoint stays; the ones opened inside it are gone
            if applied is not None and applied[1] > i:  # written inside it: undone, an older write may stand
                self._siaks_applied = UNKNOWN
        else:  # RELEASE SAVEPOINT: it and those inside it end; what they wrote now stands outside
            del stack[i:]
            if applied is not None and applied[1] > i:
                self._siaks_applied = (applied[0], i)

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
            result = execute(sql, params, many, context)
            self._siaks_follow_savepoint(sql)
            return result
        active = tenancy.current()
        wanted = None if active is None else active.db_settings()
        if not self.in_atomic_block:
            if wanted is None or not self.get_autocommit():
                return execute(sql, params, many, context)
            with transaction.atomic(using=self.alias):
                return self._apply_tenant_scope(execute, sql, params, many, context)
        applied = self._siaks_applied
        if (wanted is not None) if applied is None else applied[0] != wanted:
            # On a plain cursor of the raw connection: the query's own cursor may be a named
            # server-side cursor (QuerySet.iterator()), which would only DECLARE the set_config.
            with self.connection.cursor() as plain:
                plain.execute(SET_SCOPE_SQL, wanted or EMPTY)
            self._siaks_applied = (wanted, len(self._siaks_savepoints))
        return execute(sql, params, many, context)
