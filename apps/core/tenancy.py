"""Tenant scoping — the one place that decides which instansi's rows a piece of code may see.

Every tenant-owned model (one with an ``instansi`` foreign key) inherits :class:`TenantModel`,
whose managers refuse to run a query unless a scope is active (default-deny, in the manner of
django-scopes and pretix). A scope is entered

* per request by :class:`apps.core.middleware.TenantScopeMiddleware` (and the API base view),
  from the logged-in user's membership;
* explicitly with ``tenancy.scope(instansi)`` in tasks and commands;
* or, as a deliberate and greppable opt-out, with ``tenancy.all_tenants(reason=...)``.

PostgreSQL row-level security is the backstop: the database backend
(:mod:`apps.core.db.backend.base`) copies the active scope into per-transaction settings
(``siaks.instansi_id``, ``siaks.all_tenants``, ``siaks.jf_ids``, ``siaks.pejabat_id``) before the
first query of each transaction, and the policies created by :func:`apps.core.rls.enable_rls`
compare rows against them. With no scope, the settings are empty and the application role sees no
tenant rows.

A **pejabat fungsional** (the JF holder, role ``pejabat_fungsional``) has the narrowest scope: no
instansi at all, only their own holder record (``pejabat_id``). Models that declare
``tenancy_pejabat_path`` (the record, its AK ledger, its letters and usulan penetapan) show the
rows of that record; every other tenant model shows nothing (default-deny), and the RLS policies
say the same (``enable_rls(..., pejabat_column=...)``).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ScopeError(RuntimeError):
    """A tenant-owned model was used while no tenant scope was active."""


@dataclass(frozen=True)
class Scope:
    """What the current code may see.

    ``instansi_id``: the tenant (the user's own instansi).
    ``jf_ids``: for staff of an instansi pembina, the jabatan fungsional they administer; models
    that declare ``tenancy_jf_path`` are also visible when their JF is one of these.
    ``pejabat_id``: for a JF holder who logs in (role ``pejabat_fungsional`` alone), their own
    holder record; with no instansi, only models that declare ``tenancy_pejabat_path`` show rows.
    ``all_tenants``: every row — only through :func:`all_tenants`, with a reason.
    """

    instansi_id: int | None = None
    jf_ids: frozenset[int] = field(default_factory=frozenset)
    all_tenants: bool = False
    reason: str = ""
    pejabat_id: int | None = None

    def db_settings(self) -> tuple[str, str, str, str]:
        return (
            "" if self.instansi_id is None else str(self.instansi_id),
            "on" if self.all_tenants else "off",
            ",".join(str(i) for i in sorted(self.jf_ids)),
            "" if self.pejabat_id is None else str(self.pejabat_id),
        )


_current: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("siaks_scope", default=None)


def current() -> Scope | None:
    return _current.get()


@contextmanager
def activate(new: Scope | None) -> Iterator[Scope | None]:
    token = _current.set(new)
    try:
        yield new
    finally:
        _current.reset(token)


def scope(instansi: int | models.Model | None, *, jf_ids: Iterable[int] = ()) -> AbstractContextManager:
    """Scope to one instansi (and, for pembina staff, to the JFs they administer)."""
    instansi_id = getattr(instansi, "pk", instansi)
    return activate(Scope(instansi_id=instansi_id, jf_ids=frozenset(jf_ids)))


def all_tenants(*, reason: str) -> AbstractContextManager:
    """The explicit opt-out: every instansi's rows. Say why; grep for ``all_tenants(``."""
    if not reason:
        raise ValueError("all_tenants() needs a reason")
    return activate(Scope(all_tenants=True, reason=reason))


def require() -> Scope:
    scope_ = _current.get()
    if scope_ is None:
        raise ScopeError(_("Tidak ada lingkup instansi aktif: data instansi hanya dapat dibaca dalam lingkup."))
    return scope_


def scope_for_user(user) -> Scope | None:
    """The scope a logged-in user works in: their instansi, plus for pembina staff the JFs
    their instansi administers. None for anonymous users and for a superadmin without a
    membership (platform pages opt out explicitly where they need to)."""
    if not getattr(user, "is_authenticated", False):
        return None
    instansi = user.instansi
    if instansi is None:
        return None
    if user.roles == {ROLE_PEJABAT}:
        # A holder alone sees their own record and what hangs on it, never the instansi's data.
        # (Holding another role of the instansi as well, the instansi's scope covers the record.)
        return Scope(pejabat_id=pejabat_id_for_user(user))
    jf_ids: frozenset[int] = frozenset()
    if getattr(user, "is_pembina_staff", False):
        # Loaded with the user in the request's first query (apps/portal/konteks.py), else here.
        preloaded = getattr(user, "_siaks_jf_ids", None)
        jf_ids = preloaded if preloaded is not None else pembina_jf_ids(instansi.pk)
    return Scope(instansi_id=instansi.pk, jf_ids=jf_ids)


#: The role of a JF holder who logs in (``apps.accounts.models.Role.PEJABAT_FUNGSIONAL``; core
#: imports no app above it).
ROLE_PEJABAT = "pejabat_fungsional"


def pejabat_id_for_user(user) -> int | None:
    """The holder record whose login this user is (``SIAKS_PEJABAT_MODEL``, field ``user``), or
    None: then the holder's scope shows nothing."""
    preloaded = getattr(user, "_siaks_pejabat_id", TIDAK_DIMUAT)
    if preloaded is not TIDAK_DIMUAT:
        return preloaded
    from django.apps import apps
    from django.conf import settings

    PejabatFungsional = apps.get_model(settings.SIAKS_PEJABAT_MODEL)
    # Read before the holder's scope exists: only the row whose login is this very user.
    with all_tenants(reason="find the holder record of the logged-in pejabat fungsional"):
        found = PejabatFungsional.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    user._siaks_pejabat_id = found
    return found


TIDAK_DIMUAT = object()


def pembina_jf_ids(instansi_id: int) -> frozenset[int]:
    """JFs administered by an instansi pembina."""
    from django.apps import apps
    from django.conf import settings

    # Named by setting, like AUTH_USER_MODEL: core imports no app above it.
    JabatanFungsional = apps.get_model(settings.SIAKS_JF_MODEL)
    return frozenset(JabatanFungsional.objects.filter(instansi_pembina_id=instansi_id).values_list("pk", flat=True))


# --------------------------------------------------------------------------- models


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Filters by the active scope; raises :class:`ScopeError` with none (default-deny)."""

    use_in_migrations = False

    def get_queryset(self) -> TenantQuerySet:
        active = require()
        qs = super().get_queryset()
        if active.all_tenants:
            return qs
        condition = models.Q(instansi_id=active.instansi_id) if active.instansi_id else models.Q(pk__in=[])
        pejabat_path = getattr(self.model, "tenancy_pejabat_path", None)
        if pejabat_path and active.pejabat_id:
            condition |= models.Q(**{pejabat_path: active.pejabat_id})
        penilai_path = getattr(self.model, "tenancy_penilai_path", None)
        if penilai_path and active.instansi_id:
            condition |= models.Q(**{f"{penilai_path}_id": active.instansi_id})
        jf_path = getattr(self.model, "tenancy_jf_path", None)
        if jf_path and active.jf_ids:
            jf_condition = models.Q(**{f"{jf_path}__in": sorted(active.jf_ids)})
            since = getattr(self.model, "tenancy_jf_since", None)
            if since:
                jf_condition &= models.Q(**{f"{since}__isnull": False})
            if penilai_path:
                # A Tim Penilai AK's letter is not the pembina's national data (see TenantModel).
                jf_condition &= models.Q(**{f"{penilai_path}__isnull": True})
            condition |= jf_condition
        return qs.filter(condition)


class ScopedModel(models.Model):
    """What the tenant- and JF-owned bases share: the scoped manager is also the base manager
    (related objects are fetched through it), and a row is saved only where the active scope may
    write it (:meth:`writable_in`, the managers' and the RLS policies' rule)."""

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs) -> None:
        if not self.writable_in(require()):
            raise ScopeError(_("Data ini bukan milik instansi Anda."))
        super().save(*args, **kwargs)

    def writable_in(self, active: Scope) -> bool:
        raise NotImplementedError


class TenantModel(ScopedModel):
    """Base for every model owned by one instansi (the tenant)."""

    instansi = models.ForeignKey(
        "core.Instansi",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("instansi"),
    )

    objects = TenantManager()

    # Models visible to pembina staff of the JF (e.g. usulan) name the path to their JF id here.
    tenancy_jf_path: str | None = None
    # ...and, when the pembina may see a row only from some moment on (an usulan once submitted,
    # a document version once it went with a submission), the nullable column that records it:
    # while it is NULL the row stays the instansi's own. The RLS policy says the same
    # (``enable_rls(..., jf_since=...)``).
    tenancy_jf_since: str | None = None
    # Models a JF holder sees (their record, its ledger, letters, usulan penetapan) name the path
    # to the holder record's id here ("id" for the record itself); the RLS policy names the column
    # (``enable_rls(..., pejabat_column=...)``).
    tenancy_pejabat_path: str | None = None
    # Rows filed under one instansi and shared with a second one that issued them — a Tim
    # Penilai AK's PAK or HAPAK of another instansi's holder (a provincial team, a kabupaten
    # holder) and its versions, parafs and signatures: the nullable foreign key to that second
    # instansi. The RLS policy names its column (``enable_rls(..., penilai_column=...)``); which
    # of that instansi's users read the row is the app's selectors' business. Such a row is no
    # national data of the JF's pembina: the JF path (``tenancy_jf_path``) admits only rows whose
    # column is NULL. Seed 001 BAB IV E: a PAK/HAPAK goes to the holder, their instansi and the
    # team (and the PYB signing it) — an inpassing verifikator of the pembina is none of them.
    tenancy_penilai_path: str | None = None

    class Meta(ScopedModel.Meta):
        abstract = True

    def writable_in(self, active: Scope) -> bool:
        """The row is the scope's own, or (for pembina staff) of a JF the scope administers —
        the same rule the managers and the RLS policies apply."""
        if active.all_tenants or (active.instansi_id and self.instansi_id == active.instansi_id):
            return True
        penilai = self.tenancy_penilai_path
        if penilai and active.instansi_id and getattr(self, f"{penilai}_id", None) == active.instansi_id:
            return True
        if active.pejabat_id and self.tenancy_pejabat_path:
            path = self.tenancy_pejabat_path
            if "__" not in path:
                attname = path if path in ("id", "pk") else f"{path}_id"
                return getattr(self, attname, None) == active.pejabat_id
            return False
        path = self.tenancy_jf_path
        if not (path and "__" not in path and getattr(self, f"{path}_id", None) in active.jf_ids):
            return False
        if penilai and getattr(self, f"{penilai}_id", None) is not None:
            return False
        return self.tenancy_jf_since is None or getattr(self, self.tenancy_jf_since) is not None


class JFScopedManager(models.Manager):
    """Rows of one jabatan fungsional that belong to no instansi pengguna (a JF's Tim Penilai, its
    sidang and their berita acara): visible only to the pembina staff whose scope holds the JF,
    or under :func:`all_tenants`. No scope raises :class:`ScopeError` (default-deny), a scope
    without JFs (an instansi pengguna) sees no rows."""

    use_in_migrations = False

    def get_queryset(self) -> models.QuerySet:
        active = require()
        qs = super().get_queryset()
        if active.all_tenants:
            return qs
        return qs.filter(jf_id__in=sorted(active.jf_ids))


class JFScopedModel(ScopedModel):
    """Base for models owned by a JF (through its instansi pembina) rather than by a tenant.

    Subclasses declare the ``jf`` foreign key themselves (core names no app above it); the
    RLS policy is :func:`apps.core.rls.enable_jf_rls` on that column. The tenancy meta test
    fails for a model with a ``jf`` key that is neither this, a :class:`TenantModel`, nor listed
    in :data:`EXEMPT_JF_MODELS`."""

    objects = JFScopedManager()

    class Meta(ScopedModel.Meta):
        abstract = True

    def writable_in(self, active: Scope) -> bool:
        """The same rule as the manager and the RLS policy: the scope administers the row's JF."""
        return active.all_tenants or self.jf_id in active.jf_ids


# Models with an ``instansi`` foreign key that are *not* tenant-owned, each with the reason.
# tests/core/test_tenancy_meta.py fails for any other model with such a key that is not a
# TenantModel with an RLS policy.
EXEMPT_MODELS: dict[str, str] = {
    "core.Instansi": "the tenant itself (parent is a self-reference)",
    "referensi.JabatanFungsional": "reference data every role reads; the key names the JF's "
    "pembina, which administers the JF but does not own it as a tenant",
    "accounts.Membership": "read before a scope exists, to find the user's scope; only ever "
    "queried for the logged-in user (User.active_memberships)",
    "surat.PenomoranSurat": "an issuer's letter counter (last number per series and year), no personal "
    "data; only the numbering service touches it, with the issuer taken from the letter being issued",
    "surat.PolaNomor": "an issuer's number format (configuration, not tenant data); edited only by the "
    "issuer's own PPK or admin pembina (apps.surat.services.pola_simpan)",
}

# Models with a ``jf`` foreign key (to the JF model) that are neither tenant- nor JF-owned, each
# with the reason; tests/core/test_tenancy_meta.py fails for any other such model that is not a
# TenantModel or JFScopedModel with an RLS policy. Every model of a reference-data app is exempt.
REFERENCE_APPS: dict[str, str] = {
    "referensi": "national reference data (a JF's stages, levels, checklist, AK tables, predikat "
    "percentages) that every role reads; edited only by the JF's admin pembina through its services",
}
EXEMPT_JF_MODELS: dict[str, str] = {
    "rekap.RekapHarian": "counts of transitions per JF and day, no personal data and no instansi; read only "
    "by the recap selectors for the JFs the viewer's recap covers (the superadmin's national recap spans all)",
    "penetapan.PeriodePenetapan": "a JF's periods of penetapan angka kredit (seed 001: submission window, PAK "
    "and kenaikan pangkat months): reference data like the referensi app's, read by every role that proposes "
    "or assesses; no personal data",
}
