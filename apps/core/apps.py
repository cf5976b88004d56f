from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Inti platform"

    def ready(self) -> None:
        from apps.core import signals

        post_migrate.connect(signals.grant_app_role_privileges, sender=self)
