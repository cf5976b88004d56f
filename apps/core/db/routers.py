from __future__ import annotations

from django.conf import settings


class OwnerMigratesRouter:
    """Only the owner connection creates tables; the application role never changes schema."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == settings.MIGRATION_DATABASE
