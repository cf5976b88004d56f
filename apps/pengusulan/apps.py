from django.apps import AppConfig


class PengusulanConfig(AppConfig):
    name = "apps.pengusulan"
    label = "pengusulan"
    verbose_name = "Pengusulan"

    def ready(self) -> None:
        from apps.pengusulan import metrik  # noqa: F401 - registers usulan per status
