"""Everything the request prelude needs about the signed-in user, in one query.

Every page needs the user, their active memberships (roles, instansi), the JFs their instansi
administers (the pembina tenant scope), whether they have a confirmed authenticator (2FA) and
their unread notification count (the menu badge), and whether a paraf and signature queue is
theirs (the "Paraf & TTE" menu item). Loaded one by one that was six queries on
every request; here it is one: the memberships with their user and instansi, plus the rest as
subqueries. Nothing is cached across requests, so nothing can go stale: a role revoked, an
authenticator removed or a notification read is seen by the next request.

Used by :class:`apps.portal.backends.ModelBackend` (``request.user``); the consumers
(:func:`apps.core.tenancy.scope_for_user`, :func:`apps.accounts.dua_langkah.perlu_verifikasi`,
the OTP middleware, the navigation) read the preloaded values and query as before when a user
object did not come through here (API tokens, scripts, tests that build users)."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject

TIDAK_ADA = object()
#: Why the prelude reads across tenants: only rows of the signed-in user themselves.
MILIK_SENDIRI = (
    "the signed-in user's own rows: memberships, and the signing official record and paraf chains naming them"
)


def _totp(user_ref: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    fields = {f.attname: f.attname for f in TOTPDevice._meta.concrete_fields}
    return Subquery(
        TOTPDevice.objects.filter(user_id=OuterRef(user_ref), confirmed=True)
        .order_by("id")
        .values(j=JSONObject(**fields))[:1]
    )


def _belum_dibaca(user_ref: str):
    from apps.notifikasi.models import Notifikasi

    count = (
        Notifikasi.objects.filter(user_id=OuterRef(user_ref), dibaca_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def _tugas_ttd(user_id):
    """Whether a paraf and signature queue is the user's (the "Paraf & TTE" menu item): an active
    signing official record of theirs, a step of an active paraf chain, or a letter issued with a
    chain naming them that is not signed yet. These rows are the user's own but tenant-owned: the
    prelude reads them across tenants (a chain of the issuer of a team's PAK may name them)."""
    from django.db.models import Exists, Q

    from apps.ttd.models import AlurVersi, LangkahParaf, Pejabat

    return (
        Exists(Pejabat.objects.filter(user_id=user_id, aktif=True))
        | Exists(LangkahParaf.objects.filter(user_id=user_id, alur__aktif=True))
        | Exists(
            AlurVersi.objects.filter(
                Q(langkah__contains=[{"user": user_id}]) | Q(langkah__contains=[{"atau": [user_id]}]),
                versi__diganti_at__isnull=True,
                versi__ttd_berkas="",
            )
        )
    )


def _device(data):
    if not data:
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    fields = TOTPDevice._meta.concrete_fields
    values = [f.to_python(data.get(f.attname)) for f in fields]
    return TOTPDevice.from_db("default", [f.attname for f in fields], values)


def muat(user_id):
    """The user with everything above attached, or None."""
    from apps.accounts.models import Membership, User
    from apps.core import tenancy
    from apps.referensi.models import JabatanFungsional

    with tenancy.all_tenants(reason=MILIK_SENDIRI):
        rows = list(
            Membership.objects.filter(user_id=user_id, is_active=True)
            .select_related("user", "instansi")
            .annotate(
                _jf_ids=ArraySubquery(
                    JabatanFungsional.objects.filter(instansi_pembina_id=OuterRef("instansi_id"))
                    .order_by()
                    .values("pk")
                ),
                _totp=_totp("user_id"),
                _belum=_belum_dibaca("user_id"),
                _ttd=_tugas_ttd(user_id),
            )
            .order_by("id")
        )
    if rows:
        first = rows[0]
        user = first.user
        for m in rows:
            m.user = user
        user.__dict__["active_memberships"] = rows  # the cached_property, filled
        user._siaks_jf_ids = frozenset(first._jf_ids or ())
        totp, belum = first._totp, first._belum
        user._siaks_tugas_ttd = bool(first._ttd)
    else:  # no active membership (the platform's superadmin, a deactivated account)
        user = User.objects.filter(pk=user_id).annotate(_totp=_totp("pk"), _belum=_belum_dibaca("pk")).first()
        if user is None:
            return None
        user.__dict__["active_memberships"] = []
        user._siaks_jf_ids = frozenset()
        totp, belum = user._totp, user._belum
    user._siaks_totp = _device(totp)
    user._siaks_belum_dibaca = belum
    return user


def jf_pembina(user):
    """The preloaded pembina JF ids, or TIDAK_ADA."""
    return getattr(user, "_siaks_jf_ids", TIDAK_ADA)


def totp(user):
    """The preloaded confirmed authenticator (None if there is none), or TIDAK_ADA."""
    return getattr(user, "_siaks_totp", TIDAK_ADA)


def belum_dibaca(user):
    return getattr(user, "_siaks_belum_dibaca", TIDAK_ADA)
