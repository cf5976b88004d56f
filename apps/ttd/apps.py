from django.apps import AppConfig


class TtdConfig(AppConfig):
    name = "apps.ttd"
    label = "ttd"
    verbose_name = "Tanda tangan elektronik"

    def ready(self):
        from apps.ttd import signals  # noqa: F401
