from __future__ import annotations

from django.conf import settings
from django.db import connections


def grant_app_role_privileges(sender, using, **kwargs) -> None:
    """After migrations (run by the owner), give the application role data access — not DDL.

    The app role can read and write rows (subject to RLS) and use sequences; it cannot change
    the schema or the migration history."""
    if using != settings.MIGRATION_DATABASE:
        return
    app_user = settings.DATABASES["default"].get("USER")
    if not app_user or app_user == settings.DATABASES[using].get("USER"):
        return
    quoted = connections[using].ops.quote_name(app_user)
    with connections[using].cursor() as cursor:
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}")
        cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON TABLE django_migrations FROM {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        if settings.SIAKS_GRANT_TRUNCATE_TO_APP:
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {quoted}")
